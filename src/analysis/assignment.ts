// Linear assignment (Hungarian algorithm, O(n³)) for matching neurons between networks.
import { ArgumentError } from '../core/errors.js';

/**
 * Solves min_σ Σ_i cost[i][σ(i)] over permutations σ of a square n×n cost matrix with the
 * Hungarian algorithm (Kuhn–Munkres with potentials u, v: reduced costs c_ij − u_i − v_j ≥ 0),
 * O(n³). Returns σ as an array: row i is assigned column result[i].
 *
 * @example
 * hungarian([[4, 1], [2, 3]]);   // [1, 0]  (cost 1 + 2 = 3)
 */
export function hungarian(cost: readonly (readonly number[])[]): number[] {
  const n = cost.length;
  cost.forEach((row, i) => {
    if (row.length !== n) throw new ArgumentError('hungarian', `cost must be square: row ${i} has ${row.length} entries, expected ${n}`);
    row.forEach((c, j) => { if (!Number.isFinite(c)) throw new ArgumentError('hungarian', `cost[${i}][${j}] = ${c} is not finite`); });
  });
  // 1-based arrays; p[j] = row assigned to column j, way[j] = previous column on the augmenting path.
  const u = new Float64Array(n + 1), v = new Float64Array(n + 1);
  const p = new Int32Array(n + 1), way = new Int32Array(n + 1);
  for (let i = 1; i <= n; i++) {
    p[0] = i;
    let j0 = 0;
    const minv = new Float64Array(n + 1).fill(Infinity);
    const used = new Uint8Array(n + 1);
    do {
      used[j0] = 1;
      const i0 = p[0 + j0]!;
      let delta = Infinity, j1 = 0;
      for (let j = 1; j <= n; j++) {
        if (used[j]) continue;
        const cur = cost[i0 - 1]![j - 1]! - u[i0]! - v[j]!;
        if (cur < minv[j]!) { minv[j] = cur; way[j] = j0; }
        if (minv[j]! < delta) { delta = minv[j]!; j1 = j; }
      }
      for (let j = 0; j <= n; j++) {
        if (used[j]) { const r = p[j]!; u[r] = u[r]! + delta; v[j] = v[j]! - delta; } else minv[j] = minv[j]! - delta;
      }
      j0 = j1;
    } while (p[j0] !== 0);
    do { const j1 = way[j0]!; p[j0] = p[j1]!; j0 = j1; } while (j0 !== 0);
  }
  const result = new Array<number>(n);
  for (let j = 1; j <= n; j++) result[p[j]! - 1] = j - 1;
  return result;
}
