// PyTorch's pooling arithmetic: output sizes with ceil_mode, and avg_pool2d's per-window divisors.

/**
 * Output extent of a pooling window along one axis, as PyTorch's pooling_output_shape:
 * ⌊(n + 2p − d(k−1) − 1)/s⌋ + 1, or with `ceil` the ceiling, dropping a last window that would
 * start beyond the input and the left padding ((out−1)·s ≥ n + p).
 * @example poolOut(5, 2, 2, 0, 1, true)   // 3 (floor mode gives 2)
 */
export function poolOut(n: number, k: number, s: number, p: number, d: number, ceil: boolean): number {
  const span = n + 2 * p - d * (k - 1) - 1;
  if (!ceil) return Math.floor(span / s) + 1;
  let out = Math.ceil(span / s) + 1;
  if ((out - 1) * s >= n + p) out--;
  return out;
}

/** Options deciding what avg pooling divides each window's sum by (PyTorch's avg_pool2d). */
export interface AvgDivisorOptions {
  countIncludePad: boolean;
  divisorOverride: number | null;
}

/**
 * Per-axis window sizes for avg_pool2d's divisor along one axis: with count_include_pad the window
 * clipped to the padded input [−p, n + p), else clipped to the input [0, n) (PyTorch's CPU kernel).
 */
function axisCounts(n: number, k: number, s: number, p: number, out: number, includePad: boolean): number[] {
  const counts: number[] = [];
  for (let o = 0; o < out; o++) {
    const start = o * s - p, end = Math.min(start + k, n + p);
    counts.push(includePad ? end - start : Math.min(end, n) - Math.max(start, 0));
  }
  return counts;
}

/**
 * The divisor of every output position (row-major [OH·OW]) of avg_pool2d, or null when all are kh·kw
 * (the plain mean over each window).
 * @example avgDivisors([3, 3], [2, 2], [2, 2], [0, 0], [2, 2], { countIncludePad: true, divisorOverride: null })   // [4, 2, 2, 1]
 */
export function avgDivisors(
  size: readonly [number, number], k: readonly [number, number], s: readonly [number, number], p: readonly [number, number],
  out: readonly [number, number], o: AvgDivisorOptions,
): number[] | null {
  const l = out[0] * out[1];
  if (o.divisorOverride !== null) return new Array<number>(l).fill(o.divisorOverride);
  const rows = axisCounts(size[0], k[0], s[0], p[0], out[0], o.countIncludePad);
  const cols = axisCounts(size[1], k[1], s[1], p[1], out[1], o.countIncludePad);
  const full = k[0] * k[1];
  const div: number[] = [];
  for (const r of rows) for (const c of cols) div.push(r * c);
  return div.every((v) => v === full) ? null : div;
}
