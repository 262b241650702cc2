// Integer tensors through ONNX ops that also take them (Add, Max, Clip, MaxPool, ...): exact float64 arithmetic, then the integer type's wrap-around.
import { Tensor } from '../../../tensor/tensor.js';
import { IntValue, type IntDType, type Value } from '../values.js';
import { type OpCall, type OpSpec, fail } from './call.js';

const ranges: Record<IntDType, [number, number]> = {
  int8: [-(2 ** 7), 2 ** 8], uint8: [0, 2 ** 8], int16: [-(2 ** 15), 2 ** 16], uint16: [0, 2 ** 16],
  int32: [-(2 ** 31), 2 ** 32], uint32: [0, 2 ** 32], int64: [-(2 ** 63), 2 ** 64], uint64: [0, 2 ** 64], bool: [0, 2],
};

/**
 * Float values as the integer type: `round` (trunc for Div/Pow/Cast), then wrap-around like numpy
 * (bool: non-zero is 1); values not exact as integers (|v| > 2^53, NaN, ±∞) are refused.
 * @example toInts(c, tensor([300]), 'uint8', Math.trunc).data   // [44]
 */
export function toInts(c: OpCall, t: { data: ArrayLike<number>; shape: readonly number[] }, dtype: IntDType, round: (v: number) => number): IntValue {
  const [lo, span] = ranges[dtype];
  const data = Array.from(t.data, (v) => {
    if (dtype === 'bool') return v !== 0 && !Number.isNaN(v) ? 1 : 0;
    const r = round(v);
    if (!Number.isFinite(r) || Math.abs(r) > Number.MAX_SAFE_INTEGER) throw fail(c, `integer result ${v} is not exact in neurite's float64 integer arithmetic (|value| > 2^53, or a division by zero)`);
    if (dtype === 'int64' || dtype === 'uint64') return dtype === 'uint64' && r < 0 ? r + span : r;
    return ((((r - lo) % span) + span) % span) + lo;
  });
  return new IntValue(dtype, t.shape, data);
}

/** How an op takes integer tensors: which inputs are data, how results round, whether float inputs may mix in. */
export interface IntegerRules {
  /** Rounding of each float64 result before wrapping (default: none; Div, Pow, Cast: Math.trunc). */
  round?: (v: number) => number;
  /** Other inputs may be float (Pow's exponent); otherwise mixed inputs keep the op's own rules. */
  mixed?: boolean;
  /** The data inputs (default: all); the others (ReduceSum's axes) stay integer. */
  data?: readonly number[];
}

/**
 * Runs `spec` on integer inputs too: when input 0 is an integer tensor (and, unless `mixed`, no
 * input is float), its data inputs run as exact float64 tensors and the outputs come back as input
 * 0's type, wrapped as numpy does. Integer division truncates toward zero (as ONNX Runtime).
 * @example const intAdd = integerCapable({ attrs: [], run: (c) => [add(floatIn(c, 0), floatIn(c, 1))] })
 */
export function integerCapable(spec: OpSpec, rules: IntegerRules = {}): OpSpec {
  const { round = (v: number) => v, mixed = false, data } = rules;
  return {
    attrs: spec.attrs,
    run: (c) => {
      const first = c.inputs[0];
      if (!(first instanceof IntValue) || (!mixed && c.inputs.some((v) => v instanceof Tensor))) return spec.run(c);
      const isData = (i: number): boolean => data === undefined || data.includes(i);
      const inputs = c.inputs.map((v, i) => (v instanceof IntValue && isData(i) ? new Tensor(Float64Array.from(v.data), v.shape) : v));
      const outs = spec.run({ ...c, inputs });
      return outs.map((o: Value | undefined) => (o instanceof Tensor ? toInts(c, o, first.dtype, round) : o));
    },
  };
}
