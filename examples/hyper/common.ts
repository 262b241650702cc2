// Shared helpers for the hypernetwork examples: --quick flag, seeded toy data, timing, one JSON line.
import { Tensor, Rng, ready } from 'neurite';

/** True when the script was run with --quick (small sizes for CI). */
export const quick = process.argv.includes('--quick');

/** The backend the examples run on: WASM SIMD where it loads (the package's default), else JS. */
export async function setup(): Promise<string> {
  return (await ready()).backend;
}

/** x ~ U[lo, hi] (n points) and y = f(x) + N(0, sd²), as [n, 1] tensors. */
export function toy1d(n: number, lo: number, hi: number, f: (x: number) => number, sd: number, rng: Rng): { x: Tensor; y: Tensor } {
  const xs = new Float32Array(n), ys = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    xs[i] = lo + (hi - lo) * rng.uniform();
    ys[i] = f(xs[i]!) + sd * rng.normal();
  }
  return { x: new Tensor(xs, [n, 1]), y: new Tensor(ys, [n, 1]) };
}

/** Mean squared error between two equally sized tensors, as a number. */
export function mseOf(a: Tensor, b: Tensor): number {
  let s = 0;
  for (let i = 0; i < a.size; i++) s += (a.data[i]! - b.data[i]!) ** 2;
  return s / a.size;
}

/** Rounds for printing. */
export const r = (v: number, d = 4): number => Number(v.toFixed(d));

/** Prints the example's one JSON line. */
export function report(fig: Record<string, unknown>): void {
  console.log(JSON.stringify(fig));
}
