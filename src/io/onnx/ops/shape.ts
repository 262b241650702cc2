// ONNX movement and shape ops (Reshape, Transpose, Concat, Split, Flatten, Squeeze/Unsqueeze, Shape, Gather, Constant, Identity, Dropout).
import { Tensor } from '../../../tensor/tensor.js';
import { fmtShape } from '../../../core/errors.js';
import { sizeOf } from '../../../core/shape.js';
import { concat, indexSelect, narrow, permute, reshape } from '../../../ops/movement.js';
import { IntValue, type Value } from '../values.js';
import { type OpCall, type OpSpec, axisOf, fail, input, intIn, movement, scalarIn } from './call.js';

/** Reshape's target: 0 copies the input's dim (unless allowzero), one -1 is inferred. */
function reshapeTarget(c: OpCall, from: readonly number[], spec: readonly number[], allowZero: boolean): number[] {
  const out = spec.map((d, i) => {
    if (d !== 0 || allowZero) return d;
    if (i >= from.length) throw fail(c, `shape ${fmtShape(spec)} copies dim ${i} (0) of input ${fmtShape(from)}, which has no such dim`);
    return from[i]!;
  });
  const unknown = out.flatMap((d, i) => (d === -1 ? [i] : []));
  if (unknown.length > 1 || out.some((d) => d < -1 || !Number.isInteger(d))) throw fail(c, `shape ${fmtShape(spec)} is invalid (at most one -1, other dims ≥ 0)`);
  const known = out.reduce((n, d) => (d === -1 ? n : n * d), 1), n = sizeOf(from);
  if (unknown.length === 1) {
    if (known === 0 || n % known !== 0) throw fail(c, `cannot reshape ${fmtShape(from)} (${n} elements) to ${fmtShape(spec)}`);
    out[unknown[0]!] = n / known;
  }
  if (sizeOf(out) !== n) throw fail(c, `cannot reshape ${fmtShape(from)} (${n} elements) to ${fmtShape(spec)} (${sizeOf(out)} elements)`);
  return out;
}

function reshapeOp(c: OpCall): Value[] {
  const x = input(c, 0);
  const spec = c.opset < 5 ? c.attrs.ints('shape') ?? [] : [...intIn(c, 1).data];
  const to = reshapeTarget(c, x.shape, spec, c.attrs.int('allowzero', 0) === 1);
  return [movement(x, (t) => reshape(t, to))];
}

function transposeOp(c: OpCall): Value[] {
  const x = input(c, 0);
  const perm = c.attrs.ints('perm') ?? x.shape.map((_, i) => x.shape.length - 1 - i);
  if (perm.length !== x.shape.length || new Set(perm.map((p) => axisOf(c, p, x.shape.length, 'perm entry'))).size !== perm.length) {
    throw c.attrs.error('perm', `[${perm.join(',')}] is not a permutation of the ${x.shape.length} dims of ${fmtShape(x.shape)}`);
  }
  return [movement(x, (t) => permute(t, perm))];
}

function concatOp(c: OpCall): Value[] {
  const xs = c.inputs.map((_, i) => input(c, i));
  if (!c.attrs.has('axis') && c.opset >= 4) throw c.attrs.error('axis', 'is required');
  const rank = xs[0]!.shape.length, axis = axisOf(c, c.attrs.int('axis', 1), rank);
  const bad = xs.find((x) => x.shape.length !== rank || x.shape.some((d, k) => k !== axis && d !== xs[0]!.shape[k]));
  if (bad) throw fail(c, `inputs ${xs.map((x) => fmtShape(x.shape)).join(', ')} must agree outside axis ${axis}`);
  const ints = xs.filter((x) => x instanceof IntValue) as IntValue[];
  if (ints.length === xs.length) {
    const out = concat(ints.map((v) => new Tensor(Float64Array.from(v.data), v.shape)), axis);
    return [new IntValue(ints[0]!.dtype, out.shape, Array.from(out.data))];
  }
  if (ints.length > 0) throw fail(c, 'mixes integer and float inputs');
  return [concat(xs as Tensor[], axis)];
}

/**
 * Split along `axis` into the node's outputs: sizes from the `split` input (opset ≥ 13) or attribute,
 * else equal parts (opset 18's num_outputs, or one per output; a last smaller part when it does not divide).
 */
function splitOp(c: OpCall): Value[] {
  const x = input(c, 0), axis = axisOf(c, c.attrs.int('axis', 0), x.shape.length), n = x.shape[axis]!;
  const outputs = c.node.output.length;
  const given = c.opset >= 13 ? (c.inputs[1] === undefined ? undefined : [...intIn(c, 1).data]) : c.attrs.ints('split');
  let sizes: number[];
  if (given !== undefined) {
    if (given.length !== outputs || given.some((d) => !Number.isInteger(d) || d < 0) || given.reduce((a, b) => a + b, 0) !== n) {
      throw fail(c, `split sizes [${given.join(',')}] must be ${outputs} non-negative integers summing to axis ${axis}'s size ${n}`);
    }
    sizes = given;
  } else {
    const parts = c.attrs.int('num_outputs', outputs), each = Math.ceil(n / parts);
    if (parts !== outputs) throw c.attrs.error('num_outputs', `is ${parts} but the node has ${outputs} outputs`);
    sizes = Array.from({ length: parts }, (_, i) => Math.max(0, Math.min(each, n - i * each)));
  }
  let start = 0;
  return sizes.map((len) => {
    const from = start;
    start += len;
    return movement(x, (t) => narrow(t, axis, from, len));
  });
}

function flattenOp(c: OpCall): Value[] {
  const x = input(c, 0), r = x.shape.length, axis = c.attrs.int('axis', 1);
  if (axis < -r || axis > r) throw c.attrs.error('axis', `${axis} is out of range for rank ${r} (allowed −${r}…${r})`);
  const a = axis < 0 ? axis + r : axis;
  return [movement(x, (t) => reshape(t, [sizeOf(x.shape.slice(0, a)), sizeOf(x.shape.slice(a))]))];
}

/** Squeeze/Unsqueeze axes: the attribute before opset 13, the second input from 13 on. */
function axesOf(c: OpCall): number[] | undefined {
  if (c.opset < 13) return c.attrs.ints('axes');
  return c.inputs[1] === undefined ? undefined : [...intIn(c, 1).data];
}

function squeezeOp(c: OpCall): Value[] {
  const x = input(c, 0), r = x.shape.length;
  const axes = axesOf(c)?.map((a) => axisOf(c, a, r, 'axes entry'));
  for (const a of axes ?? []) if (x.shape[a] !== 1) throw fail(c, `axis ${a} of ${fmtShape(x.shape)} has size ${x.shape[a]}, not 1`);
  const to = x.shape.filter((d, i) => (axes ? !axes.includes(i) : d !== 1));
  return [movement(x, (t) => reshape(t, to))];
}

function unsqueezeOp(c: OpCall): Value[] {
  const x = input(c, 0), axes = axesOf(c);
  if (!axes) throw fail(c, 'needs axes');
  const r = x.shape.length + axes.length;
  const at = axes.map((a) => axisOf(c, a, r, 'axes entry'));
  if (new Set(at).size !== at.length) throw fail(c, `axes [${axes.join(',')}] repeat an axis`);
  const rest = [...x.shape], to: number[] = [];
  for (let i = 0; i < r; i++) to.push(at.includes(i) ? 1 : rest.shift()!);
  return [movement(x, (t) => reshape(t, to))];
}

function shapeOp(c: OpCall): Value[] {
  const dims = input(c, 0).shape, r = dims.length;
  const clampAxis = (a: number): number => Math.min(r, Math.max(0, a < 0 ? a + r : a));
  const part = dims.slice(clampAxis(c.attrs.int('start', 0)), clampAxis(c.attrs.int('end', r)));
  return [new IntValue('int64', [part.length], part)];
}

function gatherOp(c: OpCall): Value[] {
  const x = input(c, 0), idx = intIn(c, 1), axis = axisOf(c, c.attrs.int('axis', 0), x.shape.length);
  const n = x.shape[axis]!;
  const bad = idx.data.find((i) => i < -n || i >= n);
  if (bad !== undefined) throw fail(c, `index ${bad} is out of range for axis ${axis} of ${fmtShape(x.shape)} (size ${n})`);
  const to = [...x.shape.slice(0, axis), ...idx.shape, ...x.shape.slice(axis + 1)];
  return [movement(x, (t) => reshape(indexSelect(t, axis, idx.data), to))];
}

function constantOp(c: OpCall): Value[] {
  const a = c.attrs;
  const t = a.tensor('value');
  if (t) return [t];
  if (a.has('value_float')) return [new Tensor(Float32Array.of(a.float('value_float', 0)), [])];
  if (a.has('value_floats')) { const f = a.floats('value_floats')!; return [new Tensor(Float32Array.from(f), [f.length])]; }
  if (a.has('value_int')) return [new IntValue('int64', [], [a.int('value_int', 0)])];
  if (a.has('value_ints')) { const v = a.ints('value_ints')!; return [new IntValue('int64', [v.length], v)]; }
  throw fail(c, `needs a value, value_float(s) or value_int(s) attribute (sparse and string constants are not supported); has ${a.names().join(', ') || 'none'}`);
}

/** A tensor of the shape given by input 0, filled with the one-element `value` (float 0 by default). */
function constantOfShapeOp(c: OpCall): Value[] {
  const dims = [...intIn(c, 0).data], value = c.attrs.tensor('value') ?? new Tensor(Float32Array.of(0), [1]);
  if (value.shape.reduce((a, b) => a * b, 1) !== 1) throw c.attrs.error('value', `must hold one element, got shape ${fmtShape(value.shape)}`);
  if (dims.some((d) => !Number.isInteger(d) || d < 0)) throw fail(c, `shape [${dims.join(',')}] must be non-negative integers`);
  const n = sizeOf(dims);
  if (value instanceof IntValue) return [new IntValue(value.dtype, dims, new Array<number>(n).fill(value.data[0]!))];
  const data = value.dtype === 'float64' ? new Float64Array(n) : new Float32Array(n);
  return [new Tensor(data.fill(value.data[0]!), dims)];
}

/** Dropout at inference: the identity (and an all-true mask). Training-mode dropout is random and refused. */
function dropoutOp(c: OpCall): Value[] {
  const x = input(c, 0);
  const training = c.opset >= 12 && c.inputs[2] !== undefined && intIn(c, 2).data[0] === 1;
  const ratio = c.opset >= 12 ? (scalarIn(c, 1) ?? 0.5) : c.attrs.float('ratio', 0.5);
  if (training && ratio !== 0) throw fail(c, `training_mode is true with ratio ${ratio}: random dropout cannot be reproduced; neurite runs Dropout as the identity (export the model in eval mode)`);
  if (c.opset < 7 && c.attrs.int('is_test', 0) === 0) throw c.attrs.error('is_test', 'is 0 (training-mode dropout); neurite runs Dropout as the identity: export the model in eval mode');
  return [x, new IntValue('bool', x.shape, new Array<number>(sizeOf(x.shape)).fill(1))];
}

/** Shape and movement ops by ONNX name. */
export const shapeOps: Record<string, OpSpec> = {
  Reshape: { attrs: ['allowzero', 'shape', 'consumed_inputs'], run: reshapeOp },
  Transpose: { attrs: ['perm'], run: transposeOp },
  Concat: { attrs: ['axis'], run: concatOp },
  Split: { attrs: ['axis', 'split', 'num_outputs'], run: splitOp },
  Flatten: { attrs: ['axis'], run: flattenOp },
  Squeeze: { attrs: ['axes'], run: squeezeOp },
  Unsqueeze: { attrs: ['axes'], run: unsqueezeOp },
  Shape: { attrs: ['start', 'end'], run: shapeOp },
  Gather: { attrs: ['axis'], run: gatherOp },
  Constant: { attrs: ['value', 'value_float', 'value_floats', 'value_int', 'value_ints', 'sparse_value', 'value_string', 'value_strings'], run: constantOp },
  ConstantOfShape: { attrs: ['value'], run: constantOfShapeOp },
  Identity: { attrs: [], run: (c) => [input(c, 0)] },
  Dropout: { attrs: ['ratio', 'is_test', 'seed', 'consumed_inputs'], run: dropoutOp },
};
