// AssemblyScript source of the fused inference linear layer: out = act(x @ wᵀ + b) in one call, row block by row block.
//
// The weights are packed once (every k slice, matmul.as packBWhole); each block of ROWS output rows is then
// computed over them by the packed matmul, and gets its bias added and its activation applied while it is
// still in cache. (Weights too large for the pack buffer: each block runs the whole matmul, packing as it goes.) The epilogue calls the very kernels the eager path
// runs (elementwise.as), in the same order on the same values, so results are bit-identical to
// matmul, then add, then the activation.
import { gemmBlockPacked, matmulRange, packBWhole } from './matmul';
import { binary, unary, unaryParam } from './elementwise';

/** Output rows per block: the matmul's MC, so one block's output stays in L2 between kernel and epilogue. */
const ROWS: i32 = 128;
const ADD: i32 = 0;

/**
 * out[m, n] = act(x[m, k] @ w[n, k]ᵀ + b[n]) with b = 0 meaning no bias. act < 0: none; 0..99: a unary
 * op code of elementwise.as; 100 + c: parametrised op c with parameters p, q. pA/pB: pack buffers.
 */
export function linearAct(x: usize, w: usize, b: usize, out: usize, m: i32, k: i32, n: i32, act: i32, p: f32, q: f32, pA: usize, pB: usize): void {
  const packed = packBWhole(w, k, n, true, pB);
  for (let r0 = 0; r0 < m; r0 += ROWS) {
    const rows = min(ROWS, m - r0);
    if (packed) gemmBlockPacked(x, out, m, k, n, false, r0, rows, pA, pB);
    else matmulRange(x, w, out, 1, m, k, n, 0, 1, 0, 0, pA, pB, r0, r0 + rows);
    const o = out + <usize>r0 * <usize>n * 4;
    if (b != 0) binary(ADD, o, n, 1, b, 0, 1, o, rows, n);
    if (act >= 100) unaryParam(act - 100, o, o, rows * n, p, q);
    else if (act >= 0) unary(act, o, o, rows * n);
  }
}
