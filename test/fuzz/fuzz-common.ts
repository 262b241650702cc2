// Shared fuzzing settings and checks: run counts (small in CI, NEURITE_FUZZ_RUNS on demand), the seed
// (NEURITE_FUZZ_SEED, so a failure reproduces), and what counts as a raw (unclear) error.

/** Runs per property: `ci` by default, or NEURITE_FUZZ_RUNS (e.g. 8000) when set. */
export function fuzzRuns(ci: number): number {
  const n = Number(process.env.NEURITE_FUZZ_RUNS ?? ci);
  if (!Number.isInteger(n) || n < 1) throw new Error(`NEURITE_FUZZ_RUNS must be a positive integer, got ${process.env.NEURITE_FUZZ_RUNS}`);
  return n;
}

/** The seed of every property (fast-check prints the seed and path of a failure to replay it). */
export const FUZZ_SEED = Number(process.env.NEURITE_FUZZ_SEED ?? 20261201);

/** fast-check parameters for a property run with `ci` runs in CI. */
export const fuzzParams = (ci: number): { numRuns: number; seed: number; endOnFailure: boolean } => ({ numRuns: fuzzRuns(ci), seed: FUZZ_SEED, endOnFailure: true });

const RAW = [TypeError, RangeError, ReferenceError, SyntaxError, EvalError, URIError];

/**
 * The first raw JavaScript error (TypeError, RangeError incl. stack overflow, … or a plain Error) in
 * `e` or its `cause` chain, or null when every error in the chain is one of neurite's typed errors.
 */
export function rawErrorIn(e: unknown): Error | null {
  for (let cur: unknown = e, hops = 0; cur !== undefined && hops < 10; cur = (cur as { cause?: unknown }).cause, hops++) {
    if (!(cur instanceof Error)) return new Error(`thrown non-Error ${String(cur)}`);
    if (RAW.some((C) => cur instanceof C) || cur.constructor === Error) return cur;
  }
  return null;
}

/** Throws (failing the property) when `e` is not of type `expected` or hides a raw error. */
export function assertClearError(e: unknown, expected: new (...a: never[]) => Error, input: () => string): void {
  const raw = rawErrorIn(e);
  if (!(e instanceof expected) || raw !== null) {
    const err = raw ?? (e as Error);
    throw new Error(`expected a clear ${expected.name}, got ${err?.name}: ${err?.message}\n  input: ${input().slice(0, 300)}`);
  }
}

/** Runs `fn`, failing when it takes longer than `ms` (a near-hang on a small input). */
export function timed<T>(ms: number, what: () => string, fn: () => T): T {
  const t0 = performance.now();
  try {
    return fn();
  } finally {
    const dt = performance.now() - t0;
    if (dt > ms) throw new Error(`took ${dt.toFixed(0)} ms (limit ${ms} ms): ${what().slice(0, 300)}`);
  }
}
