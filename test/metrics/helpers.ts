// Shared test helpers for the metrics tests: fixture loading and float64 tolerance checks.
import { readFileSync } from 'node:fs';
import assert from 'node:assert/strict';

/** One case of test/fixtures/metrics.json (fields vary by case). */
export type MetricsCase = Record<string, unknown> & { name: string };

/** The cases of test/fixtures/metrics.json, computed with scikit-learn. */
export function loadMetricsCases(): MetricsCase[] {
  const raw = readFileSync(new URL('../fixtures/metrics.json', import.meta.url), 'utf8');
  return (JSON.parse(raw) as { cases: MetricsCase[] }).cases;
}

/** Asserts |a - b| <= 1e-9 + 1e-7 |b| (NaN matches NaN), naming `what` on failure. */
export function close(a: number, b: number, what: string): void {
  if (Number.isNaN(b)) {
    assert.ok(Number.isNaN(a), `${what}: got ${a}, expected NaN`);
    return;
  }
  assert.ok(Math.abs(a - b) <= 1e-9 + 1e-7 * Math.abs(b), `${what}: got ${a}, expected ${b}`);
}

/** Element-wise `close` over equal-length arrays. */
export function closeAll(a: readonly number[], b: readonly number[], what: string): void {
  assert.equal(a.length, b.length, `${what}: length ${a.length}, expected ${b.length}`);
  a.forEach((v, i) => close(v, b[i]!, `${what}[${i}]`));
}
