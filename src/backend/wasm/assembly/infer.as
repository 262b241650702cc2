// AssemblyScript source of the fused inference linear layer: out = act(x @ wᵀ + b) in one call, row block by row block.
//
// The matmul's own loop order (matmul.as gemmRows): per k slice, the weights' slice is packed once and every
// block of ROWS output rows runs over it; in the last slice each block, once complete, gets its bias added and
// its activation applied while it is still in cache. (Packing each slice once per block, as before, repacked
// the weights m / ROWS times; packing all slices up front left them too large for L2 and was slower.) The epilogue calls the very kernels the eager path
// runs (elementwise.as), in the same order on the same values, so results are bit-identical to
// matmul, then add, then the activation.
import { edgeTile, gemmBlock, matmulRange, packB, packedColumns, sliceDepth } from './matmul';
import { binary, unary, unaryParam } from './elementwise';

/** Output rows per block: the matmul's MC, so one block's output stays in L2 between kernel and epilogue. */
const ROWS: i32 = 128;
const ADD: i32 = 0;

/**
 * out[m, n] = act(x[m, k] @ w[n, k]ᵀ + b[n]) with b = 0 meaning no bias. act < 0: none; 0..99: a unary
 * op code of elementwise.as; 100 + c: parametrised op c with parameters p, q. pA/pB: pack buffers.
 */
export function linearAct(x: usize, w: usize, b: usize, out: usize, m: i32, k: i32, n: i32, act: i32, p: f32, q: f32, pA: usize, pB: usize): void {
  if (n > packedColumns()) {
    for (let r0 = 0; r0 < m; r0 += ROWS) {
      const rows = min(ROWS, m - r0);
      matmulRange(x, w, out, 1, m, k, n, 0, 1, 0, 0, pA, pB, r0, r0 + rows);
      epilogue(out, b, r0, rows, n, act, p, q);
    }
    return;
  }
  const depth = sliceDepth(k), edge = edgeTile(pB);
  for (let pc = 0; pc < k; pc += depth) {
    const kc = min(depth, k - pc);
    packB(w, k, n, true, pc, kc, 0, n, pB);
    for (let r0 = 0; r0 < m; r0 += ROWS) {
      const rows = min(ROWS, m - r0);
      gemmBlock(x, out, m, k, n, false, r0, rows, pc, kc, 0, n, pA, pB, edge, pc > 0);
      if (pc + kc >= k) epilogue(out, b, r0, rows, n, act, p, q);
    }
  }
}

/** Rows [r0, r0+rows) of out[., n]: the bias added, then the activation (codes as linearAct). */
// @ts-ignore: decorator
@inline
function epilogue(out: usize, b: usize, r0: i32, rows: i32, n: i32, act: i32, p: f32, q: f32): void {
  const o = out + <usize>r0 * <usize>n * 4;
  if (b != 0) binary(ADD, o, n, 1, b, 0, 1, o, rows, n);
  if (act >= 100) unaryParam(act - 100, o, o, rows * n, p, q);
  else if (act >= 0) unary(act, o, o, rows * n);
}
