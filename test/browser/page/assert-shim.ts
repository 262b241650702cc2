// `node:assert/strict` inside a browser page: the assertions the conformance suite uses (equal, deepEqual, ok), strict as Node's.

function fail(message: string | undefined, fallback: string): never {
  throw new Error(message ? `${message} (${fallback})` : fallback);
}

function deepStrictEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const ka = Object.keys(a), kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepStrictEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

const assert = {
  /** Object.is equality, as assert/strict's equal. */
  equal(actual: unknown, expected: unknown, message?: string): void {
    if (!Object.is(actual, expected)) fail(message, `${String(actual)} !== ${String(expected)}`);
  },
  /** Structural equality with Object.is on leaves and prototypes compared, as assert/strict's deepEqual. */
  deepEqual(actual: unknown, expected: unknown, message?: string): void {
    if (!deepStrictEqual(actual, expected)) fail(message, `${JSON.stringify(actual)} does not deep-equal ${JSON.stringify(expected)}`);
  },
  /** Truthiness. */
  ok(value: unknown, message?: string): void {
    if (!value) fail(message, `${String(value)} is not truthy`);
  },
};

export default assert;
