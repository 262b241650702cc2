// The explicit list of quant's module types for moduleFromJSON: QuantizedSequential, every saved field checked.
import { ArgumentError } from '../core/errors.js';
import { previewJson } from '../core/limits.js';
import type { ModuleJSON } from '../nn/module.js';
import { bool, checked, field, jsonKeys, num } from '../nn/json-args.js';
import type { Builder } from '../nn/registry.js';
import { QuantizedSequential, type QuantLayerJSON, type QuantStep } from './quantized-model.js';
import type { AffineParams } from './int8.js';

const positive = (j: ModuleJSON, k: string): number => {
  const v = num(j, k);
  if (!Number.isSafeInteger(v) || v < 1) throw new ArgumentError('moduleFromJSON', `${j.type}.${k}: expected a positive integer, got ${previewJson(v)}`);
  return v;
};

function pair(j: ModuleJSON, k: string, min: number): [number, number] {
  const v = field(j, k, 'numberList') as number[];
  if (v.length !== 2 || !v.every((e) => Number.isSafeInteger(e) && e >= min)) {
    throw new ArgumentError('moduleFromJSON', `${j.type}.${k}: expected [h, w] of integers ≥ ${min}, got ${previewJson(v)}`);
  }
  return [v[0]!, v[1]!];
}

/** A layer's `input`: { scale (finite, > 0; used as float32), zeroPoint (an int8 integer) }. */
function affine(j: ModuleJSON, at: string): AffineParams {
  const v = field(j, 'input', 'object') as Record<string, unknown>;
  const where = `${at}.quant.input`;
  const keys = Object.keys(v).sort().join(',');
  if (keys !== 'scale,zeroPoint') throw new ArgumentError('moduleFromJSON', `${where}: expected { "scale": number, "zeroPoint": integer }, got ${previewJson(v)}`);
  const { scale, zeroPoint } = v;
  if (typeof scale !== 'number' || !Number.isFinite(scale) || !(Math.fround(scale) > 0)) {
    throw new ArgumentError('moduleFromJSON', `${where}.scale: expected a finite number > 0 (a float32), got ${previewJson(scale)}`);
  }
  if (!Number.isInteger(zeroPoint) || (zeroPoint as number) < -128 || (zeroPoint as number) > 127) {
    throw new ArgumentError('moduleFromJSON', `${where}.zeroPoint: expected an integer in [-128, 127], got ${previewJson(zeroPoint)}`);
  }
  return { scale: Math.fround(scale), zeroPoint: zeroPoint as number };
}

function layer(raw: unknown, at: string): QuantLayerJSON {
  const j = { ...(field({ type: at, quant: raw } as ModuleJSON, 'quant', 'object') as object), type: `${at}.quant` } as ModuleJSON;
  const kind = j.kind;
  const input = j.input === undefined ? {} : { input: affine(j, at) };
  if (kind === 'linear') {
    jsonKeys(j, ['kind', 'in', 'out', 'bias', 'input']);
    return { kind, in: positive(j, 'in'), out: positive(j, 'out'), bias: bool(j, 'bias', true), ...input };
  }
  if (kind === 'conv2d') {
    jsonKeys(j, ['kind', 'in', 'out', 'bias', 'kernel', 'stride', 'padding', 'dilation', 'input']);
    return {
      kind, in: positive(j, 'in'), out: positive(j, 'out'), bias: bool(j, 'bias', true),
      kernel: pair(j, 'kernel', 1), stride: pair(j, 'stride', 1), padding: pair(j, 'padding', 0), dilation: pair(j, 'dilation', 1), ...input,
    };
  }
  throw new ArgumentError('moduleFromJSON', `${at}.quant.kind: expected "linear" or "conv2d", got ${previewJson(kind)}`);
}

const quantizedSequentialFromJSON = checked(['steps', 'calibration'], (j, build) => {
  const raw = field(j, 'steps', 'list') as unknown[];
  const steps: QuantStep[] = raw.map((s, i) => {
    const at = `QuantizedSequential.steps[${i}]`;
    const step = field({ type: 'QuantizedSequential.steps', [i]: s } as ModuleJSON, String(i), 'object') as Record<string, unknown>;
    const keys = Object.keys(step);
    if (keys.length !== 1 || (keys[0] !== 'quant' && keys[0] !== 'float')) {
      throw new ArgumentError('moduleFromJSON', `${at}: expected { quant: {...} } or { float: <module JSON> }, got ${previewJson(step)}`);
    }
    return keys[0] === 'quant' ? { quant: layer(step.quant, at) } : { float: build(step.float as ModuleJSON) };
  });
  const calibration = (field(j, 'calibration', 'object', true) ?? {}) as Record<string, unknown>;
  return new QuantizedSequential(steps, calibration);
});

/**
 * The int8 module types with their builders (io/modules.ts joins them with nn's and hyper's).
 * @example Object.keys(QUANT_MODULE_BUILDERS) // ['QuantizedSequential']
 */
export const QUANT_MODULE_BUILDERS: Readonly<Record<string, Builder>> = Object.freeze({
  QuantizedSequential: quantizedSequentialFromJSON,
});
