// AssemblyScript source of the float32 sum reduction (batch-norm statistics, bias and broadcast gradients).
//
// The same walk as the JS reference (src/backend/js/reduce.ts): the input as rows of its innermost
// (coalesced) dim; a row either accumulates into a row of `out` (out stride 1: lane-wise float32
// adds in the reference's order, so bit for bit) or sums to one value (out stride 0: float64
// partial sums, four of them, rounded once when added to `out`).
import { addInto } from './rows';

/**
 * Sums x (`total` floats, shape at `shape` as r i32s) into `out` (`outLen` floats, zeroed here)
 * with the output strides at `strides` (r i32s, 0 along reduced dims).
 */
export function reduceSum(x: usize, out: usize, outLen: i32, total: i32, shape: usize, strides: usize, idx: usize, r: i32): void {
  memory.fill(out, 0, <usize>outLen << 2);
  const n = load<i32>(shape + (<usize>(r - 1) << 2));
  if (total == 0 || n == 0) return;
  const so = load<i32>(strides + (<usize>(r - 1) << 2));
  const rows = total / n;
  for (let d = 0; d < r; d++) store<i32>(idx + (<usize>d << 2), 0);
  let oo = 0;
  for (let q = 0; q < rows; q++) {
    const row = x + ((<usize>q * n) << 2), dst = out + (<usize>oo << 2);
    if (so == 0) store<f32>(dst, <f32>(<f64>load<f32>(dst) + rowSum(row, n)));
    else addInto(dst, row, n);
    for (let d = r - 2; d >= 0; d--) {
      const ip = idx + (<usize>d << 2), step = load<i32>(strides + (<usize>d << 2)), extent = load<i32>(shape + (<usize>d << 2));
      const k = load<i32>(ip) + 1;
      oo += step;
      if (k < extent) { store<i32>(ip, k); break; }
      oo -= step * extent;
      store<i32>(ip, 0);
    }
  }
}

/** Σ row[0..n) in float64 (four partial sums). */
function rowSum(row: usize, n: i32): f64 {
  let a = f64x2.splat(0), b = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(row + (<usize>i << 2));
    a = f64x2.add(a, f64x2.promote_low_f32x4(v));
    b = f64x2.add(b, f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1)));
  }
  let s = (f64x2.extract_lane(a, 0) + f64x2.extract_lane(b, 0)) + (f64x2.extract_lane(a, 1) + f64x2.extract_lane(b, 1));
  for (; i < n; i++) s += <f64>load<f32>(row + (<usize>i << 2));
  return s;
}
