// The one unknown-option check of the library: layers, heads, optimizers and module JSON reject keys they do not know.
import { ArgumentError } from './errors.js';
import { previewJson } from './limits.js';

/** The allowed keys of an options object, typed so that a key list cannot drift from its interface. */
export type AllowedKeys<T> = { readonly [K in keyof Required<T>]: true };

/**
 * Throws an ArgumentError naming `where`, each unknown key (with the closest allowed key when one
 * is a likely typo) and the allowed keys. Keys whose value is `undefined` are ignored, so spreading
 * optional values stays possible; `__proto__`/`constructor` given as own keys are unknown keys too.
 *
 * @example
 * checkOptions('Linear', { bais: false }, { bias: true, init: true });
 * // ArgumentError: Linear: unknown option "bais" (did you mean "bias"?); known options are bias, init
 */
export function checkOptions(where: string, opts: unknown, allowed: Readonly<Record<string, true>> | readonly string[]): void {
  if (opts === undefined) return;
  if (typeof opts !== 'object' || opts === null || Array.isArray(opts)) {
    throw new ArgumentError(where, `options must be an object, got ${describeValue(opts)}`);
  }
  const names = Array.isArray(allowed) ? allowed : Object.keys(allowed);
  const unknown = Object.keys(opts).filter((k) => !names.includes(k) && (opts as Record<string, unknown>)[k] !== undefined);
  if (unknown.length === 0) return;
  const listed = unknown.map((k) => {
    const near = closest(k, names);
    return `"${k}"${near === null ? '' : ` (did you mean "${near}"?)`}`;
  });
  const list = names.length === 0 ? 'there are none' : `known options are ${names.join(', ')}`;
  throw new ArgumentError(where, `unknown option${unknown.length > 1 ? 's' : ''} ${listed.join(', ')}; ${list}`);
}

/** A short rendering of a bad value for messages (JSON when possible, at most 60 characters, safe on hostile nesting). @example describeValue([1, 'a']) // '[1,"a"]' */
export function describeValue(v: unknown): string {
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean' || v === undefined || v === null) return String(v);
  return previewJson(v, 60);
}

/** The allowed name within edit distance 2 of `key` (case-insensitive), or null. */
function closest(key: string, names: readonly string[]): string | null {
  let best: string | null = null, bestD = 3;
  for (const n of names) {
    const d = editDistance(key.toLowerCase(), n.toLowerCase());
    if (d < bestD) [best, bestD] = [n, d];
  }
  return best;
}

/**
 * Levenshtein distance with adjacent transpositions counted as one edit.
 * @example editDistance('bais', 'bias') // 1
 */
export function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}
