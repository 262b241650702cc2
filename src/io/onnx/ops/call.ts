// What an ONNX op implementation receives (inputs, attributes, opset) and the checked input readers they share.
import { Tensor } from '../../../tensor/tensor.js';
import { fmtShape } from '../../../core/errors.js';
import { OnnxImportError } from '../errors.js';
import type { NodeAttrs, OnnxNode } from '../node.js';
import { IntValue, type Value } from '../values.js';

/** One node's evaluation: its inputs (undefined where an optional input is absent), attributes and the model's opset. */
export interface OpCall {
  readonly node: OnnxNode;
  readonly label: string;
  readonly attrs: NodeAttrs;
  /** The model's default-domain opset version. */
  readonly opset: number;
  readonly inputs: readonly (Value | undefined)[];
}

/** An op: the attributes it understands (any other is refused at import) and its evaluation. */
export interface OpSpec {
  readonly attrs: readonly string[];
  run(c: OpCall): (Value | undefined)[];
}

/** An error naming the node. @example throw fail(c, 'needs 2 inputs') */
export function fail(c: OpCall, message: string): OnnxImportError {
  return new OnnxImportError(`${c.label}: ${message}`);
}

/** Input `i` as a float Tensor; missing or integer is an error naming the node and input. @example const x = floatIn(c, 0) */
export function floatIn(c: OpCall, i: number): Tensor {
  const v = c.inputs[i];
  if (v === undefined) throw fail(c, `input ${i} is required but absent`);
  if (v instanceof IntValue) {
    throw fail(c, `input ${i} ("${c.node.input[i]}") is an integer tensor (${v.dtype} ${fmtShape(v.shape)}); neurite runs this op on FLOAT/DOUBLE tensors only`);
  }
  return v;
}

/** Optional input `i` as a float Tensor (undefined when absent). @example const bias = optFloatIn(c, 2) */
export function optFloatIn(c: OpCall, i: number): Tensor | undefined {
  return c.inputs[i] === undefined ? undefined : floatIn(c, i);
}

/** Input `i` as integers (a shape, axes, indices); a float tensor is an error. @example intIn(c, 1).data // [0, -1] */
export function intIn(c: OpCall, i: number): IntValue {
  const v = c.inputs[i];
  if (v === undefined) throw fail(c, `input ${i} is required but absent`);
  if (!(v instanceof IntValue)) throw fail(c, `input ${i} ("${c.node.input[i]}") must be an integer tensor, got a ${v.dtype} tensor`);
  return v;
}

/** Every input as a float Tensor (variadic ops: Sum, Max, Mean). @example floatInputs(c).length */
export function floatInputs(c: OpCall): Tensor[] {
  return c.inputs.map((_, i) => floatIn(c, i));
}

/** The single number of a one-element float input (Clip's min/max). @example scalarIn(c, 1) ?? -Infinity */
export function scalarIn(c: OpCall, i: number): number | undefined {
  const t = optFloatIn(c, i);
  if (t === undefined) return undefined;
  if (t.size !== 1) throw fail(c, `input ${i} ("${c.node.input[i]}") must hold one number, got shape ${fmtShape(t.shape)}`);
  return t.data[0]!;
}

/** A normalised axis in [0, rank); out of range is an error naming the attribute. @example axisOf(c, -1, 3) // 2 */
export function axisOf(c: OpCall, axis: number, rank: number, what = 'axis'): number {
  if (!Number.isInteger(axis) || axis < -rank || axis >= rank) throw fail(c, `${what} ${axis} is out of range for rank ${rank}`);
  return axis < 0 ? axis + rank : axis;
}

/** Input `i`, float or integer; absent is an error. @example const x = input(c, 0) */
export function input(c: OpCall, i: number): Value {
  const v = c.inputs[i];
  if (v === undefined) throw fail(c, `input ${i} is required but absent`);
  return v;
}

/**
 * Runs a movement op on a float Tensor, or on an integer value through an exact float64 copy
 * (integers up to 2^53 survive; shapes and indices are far below).
 * @example movement(x, (t) => reshape(t, [2, -1]))
 */
export function movement(v: Value, f: (t: Tensor) => Tensor): Value {
  if (v instanceof Tensor) return f(v);
  const out = f(new Tensor(Float64Array.from(v.data), v.shape));
  return new IntValue(v.dtype, out.shape, Array.from(out.data));
}
