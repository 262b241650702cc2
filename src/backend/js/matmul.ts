// JS reference matmul: a loop order per transpose case so every operand is read along its rows.
import type { Storage } from '../../core/dtype.js';
import type { MatmulParams } from '../backend.js';

/** C[m,n] = A[m,k] @ B[k,n]: i-k-j order, four rows of C at a time to reuse each B row. */
function mmNN(a: Storage, ao: number, b: Storage, bo: number, c: Storage, co: number, m: number, k: number, n: number): void {
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const c0 = co + i * n, c1 = c0 + n, c2 = c1 + n, c3 = c2 + n;
    const a0 = ao + i * k, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k;
    for (let p = 0; p < k; p++) {
      const x0 = a[a0 + p]!, x1 = a[a1 + p]!, x2 = a[a2 + p]!, x3 = a[a3 + p]!;
      const br = bo + p * n;
      for (let j = 0; j < n; j++) {
        const bv = b[br + j]!;
        c[c0 + j] = c[c0 + j]! + x0 * bv;
        c[c1 + j] = c[c1 + j]! + x1 * bv;
        c[c2 + j] = c[c2 + j]! + x2 * bv;
        c[c3 + j] = c[c3 + j]! + x3 * bv;
      }
    }
  }
  for (; i < m; i++) {
    const cr = co + i * n, ar = ao + i * k;
    for (let p = 0; p < k; p++) {
      const x = a[ar + p]!, br = bo + p * n;
      for (let j = 0; j < n; j++) c[cr + j] = c[cr + j]! + x * b[br + j]!;
    }
  }
}

/** C[m,n] = A[m,k] @ B[n,k]^T: row-by-row dot products, four B rows at a time. */
function mmNT(a: Storage, ao: number, b: Storage, bo: number, c: Storage, co: number, m: number, k: number, n: number): void {
  for (let i = 0; i < m; i++) {
    const ar = ao + i * k, cr = co + i * n;
    let j = 0;
    for (; j + 4 <= n; j += 4) {
      const b0 = bo + j * k, b1 = b0 + k, b2 = b1 + k, b3 = b2 + k;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let p = 0; p < k; p++) {
        const x = a[ar + p]!;
        s0 += x * b[b0 + p]!;
        s1 += x * b[b1 + p]!;
        s2 += x * b[b2 + p]!;
        s3 += x * b[b3 + p]!;
      }
      c[cr + j] = s0; c[cr + j + 1] = s1; c[cr + j + 2] = s2; c[cr + j + 3] = s3;
    }
    for (; j < n; j++) {
      const br = bo + j * k;
      let s = 0;
      for (let p = 0; p < k; p++) s += a[ar + p]! * b[br + p]!;
      c[cr + j] = s;
    }
  }
}

/** C[m,n] = A[k,m]^T @ B[k,n]: k-i-j order, so A, B and C are all read along rows. */
function mmTN(a: Storage, ao: number, b: Storage, bo: number, c: Storage, co: number, m: number, k: number, n: number): void {
  for (let p = 0; p < k; p++) {
    const ar = ao + p * m, br = bo + p * n;
    for (let i = 0; i < m; i++) {
      const x = a[ar + i]!, cr = co + i * n;
      for (let j = 0; j < n; j++) c[cr + j] = c[cr + j]! + x * b[br + j]!;
    }
  }
}

/** Batched matmul over the reference kernels; the rare A^T B^T case transposes B once into scratch. */
export function matmulJs(a: Storage, b: Storage, c: Storage, p: MatmulParams): void {
  const { batch, m, k, n, transA, transB, aBatchStride, bBatchStride } = p;
  c.fill(0);
  for (let t = 0; t < batch; t++) {
    const ao = t * aBatchStride, bo = t * bBatchStride, co = t * m * n;
    if (!transA && !transB) mmNN(a, ao, b, bo, c, co, m, k, n);
    else if (!transA && transB) mmNT(a, ao, b, bo, c, co, m, k, n);
    else if (transA && !transB) mmTN(a, ao, b, bo, c, co, m, k, n);
    else {
      const bt = new (b.constructor as Float64ArrayConstructor)(k * n);
      for (let j = 0; j < n; j++) for (let q = 0; q < k; q++) bt[q * n + j] = b[bo + j * k + q]!;
      mmTN(a, ao, bt, 0, c, co, m, k, n);
    }
  }
}
