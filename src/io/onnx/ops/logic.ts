// ONNX comparisons (Equal, Greater, Less, ... → BOOL), Not and Where, on float and integer tensors.
import { Tensor } from '../../../tensor/tensor.js';
import { eq, ge, gt, le, lt, where } from '../../../ops/elementwise.js';
import { IntValue, type Value } from '../values.js';
import { type OpCall, type OpSpec, fail, input, intIn } from './call.js';
import { toInts } from './integer.js';

/** A value as a float Tensor (integers exactly, as float64). */
const asFloat = (v: Value): Tensor => (v instanceof Tensor ? v : new Tensor(Float64Array.from(v.data), v.shape));

/** A 0/1 float tensor as a BOOL value. */
const asBool = (t: Tensor): IntValue => new IntValue('bool', t.shape, Array.from(t.data));

const comparison = (f: (a: Tensor, b: Tensor) => Tensor): OpSpec => ({
  attrs: [],
  run: (c) => [asBool(f(asFloat(input(c, 0)), asFloat(input(c, 1))))],
});

function whereOp(c: OpCall): Value[] {
  const cond = intIn(c, 0), x = input(c, 1), y = input(c, 2);
  if (cond.dtype !== 'bool') throw fail(c, `condition "${c.node.input[0]}" must be a BOOL tensor, got ${cond.dtype}`);
  if ((x instanceof IntValue) !== (y instanceof IntValue)) throw fail(c, 'X and Y must have the same element type');
  const out = where(asFloat(cond), asFloat(x), asFloat(y));
  return [x instanceof IntValue ? toInts(c, out, x.dtype, (v) => v) : out];
}

function notOp(c: OpCall): Value[] {
  const x = intIn(c, 0);
  if (x.dtype !== 'bool') throw fail(c, `input must be a BOOL tensor, got ${x.dtype}`);
  return [new IntValue('bool', x.shape, x.data.map((v) => (v ? 0 : 1)))];
}

/** Logic ops by ONNX name. */
export const logicOps: Record<string, OpSpec> = {
  Equal: comparison(eq), Greater: comparison(gt), Less: comparison(lt), GreaterOrEqual: comparison(ge), LessOrEqual: comparison(le),
  Not: { attrs: [], run: notOp },
  Where: { attrs: [], run: whereOp },
};
