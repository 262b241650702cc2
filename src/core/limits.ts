// Resource limits for untrusted input: the largest tensor, file and JSON nesting neurite accepts, and a
// scoped allocation budget, each refusal a LimitError naming the bytes, what they were for and the limit.

/** The limits in force; change them with {@link setLimits}. */
export interface Limits {
  /** Largest single tensor storage in bytes (default 4 GiB). */
  maxTensorBytes: number;
  /** Largest model.json / config / safetensors header JSON nesting depth (default 64). */
  maxJsonDepth: number;
  /** Largest model.json file in bytes (default 64 MiB). */
  maxModelJsonBytes: number;
  /** Largest model.safetensors file in bytes (default 2 GiB, Node's largest single read). */
  maxWeightsBytes: number;
  /** Largest training config file in bytes (default 4 MiB). */
  maxConfigBytes: number;
  /**
   * Bytes a model's construction may allocate beyond 4× its weight tensors (default 64 MiB): the room
   * for initialisation temporaries and a hypernetwork's generated target, whose weights are not stored.
   */
  modelBuildSlackBytes: number;
}

const DEFAULTS: Limits = Object.freeze({
  maxTensorBytes: 4 * 2 ** 30, maxJsonDepth: 64, maxModelJsonBytes: 64 * 2 ** 20, maxWeightsBytes: 2 * 2 ** 30, maxConfigBytes: 4 * 2 ** 20,
  modelBuildSlackBytes: 64 * 2 ** 20,
});
let current: Limits = { ...DEFAULTS };

/**
 * Raised when an input asks for more than a limit allows (bytes, nesting depth); the message says how
 * much was asked, for what, and the limit.
 * @example
 * try { checkAllocation(8e12, 'zeros [1000000,1000000] float64'); } catch (e) { e instanceof LimitError; }
 */
export class LimitError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LimitError';
  }
}

/** The limits in force. @example getLimits().maxTensorBytes // 4294967296 */
export function getLimits(): Readonly<Limits> {
  return current;
}

/**
 * Changes some limits (the others keep their values); returns the previous limits so a caller can restore them.
 * @example const before = setLimits({ maxTensorBytes: 2 ** 34 }); try { bigJob(); } finally { setLimits(before); }
 */
export function setLimits(change: Partial<Limits>): Limits {
  const before = current;
  for (const [k, v] of Object.entries(change)) {
    if (!Object.hasOwn(DEFAULTS, k)) throw new LimitError(`setLimits: unknown limit "${k}"; known: ${Object.keys(DEFAULTS).join(', ')}`);
    if (typeof v !== 'number' || !(v > 0)) throw new LimitError(`setLimits: ${k} must be a positive number, got ${String(v)}`);
  }
  current = { ...current, ...change };
  return before;
}

/**
 * What a budget charges each allocation on top of its bytes: the JS objects around a storage (tensor,
 * module, closures), so a million tiny tensors exhaust a budget as surely as one big one.
 */
export const ALLOCATION_OVERHEAD_BYTES = 1024;

/** A scoped budget: the bytes still allowed and what the allocations are for. */
interface Budget { left: number; limit: number; what: string }
let budget: Budget | null = null;

/**
 * Throws a LimitError unless `bytes` is a non-negative safe integer within `limit` (default the tensor
 * limit); call it before allocating (hot paths first ask {@link allocationNeedsCheck}). Also charges an active {@link withAllocationBudget} scope.
 * @example checkAllocation(4 * 1e12, 'zeros [1000000,1000000]'); // LimitError: refusing to allocate 4000000000000 bytes …
 */
export function checkAllocation(bytes: number, what: string, limit = current.maxTensorBytes): void {
  if (!Number.isSafeInteger(bytes) || bytes < 0 || bytes > limit) {
    throw new LimitError(`refusing to allocate ${bytes} bytes for ${what} (limit ${limit} bytes)`);
  }
  if (budget !== null) {
    const charge = bytes + ALLOCATION_OVERHEAD_BYTES;
    if (charge > budget.left) {
      throw new LimitError(`refusing to allocate ${bytes} bytes for ${what} (limit ${budget.limit} bytes for ${budget.what}, ${budget.limit - budget.left} already allocated)`);
    }
    budget.left -= charge;
  }
}

/**
 * Whether an allocation of `bytes` must go through {@link checkAllocation}: false for the common case
 * (a whole number of bytes within the tensor limit, no budget active), so hot paths skip building a message.
 * @example if (allocationNeedsCheck(bytes)) checkAllocation(bytes, `a float32 tensor of ${n} elements`);
 */
export function allocationNeedsCheck(bytes: number): boolean {
  return budget !== null || !(bytes <= current.maxTensorBytes) || !Number.isInteger(bytes) || bytes < 0;
}

/**
 * Runs `fn` with a cumulative allocation budget: every tensor storage allocated inside (through
 * `allocate`) is charged its bytes + {@link ALLOCATION_OVERHEAD_BYTES}, and the first one that would
 * exceed `bytes` throws a LimitError before it is
 * allocated. Budgets nest (the inner one is charged too, via the outer's remainder).
 * @example withAllocationBudget(1 << 20, 'model.json architecture', () => moduleFromJSON(json));
 */
export function withAllocationBudget<T>(bytes: number, what: string, fn: () => T): T {
  const outer = budget;
  const mine: Budget = { left: outer === null ? bytes : Math.min(bytes, outer.left), limit: bytes, what };
  budget = mine;
  try {
    return fn();
  } finally {
    budget = outer;
    if (outer !== null) outer.left -= Math.min(bytes, outer.left) - mine.left;
  }
}

/**
 * Throws a LimitError when a file's size is over its limit: call before reading it.
 * @example checkFileSize('runs/a/model.json', stat.size, getLimits().maxModelJsonBytes);
 */
export function checkFileSize(file: string, bytes: number, limit: number): void {
  if (bytes > limit) throw new LimitError(`${file}: refusing to read ${bytes} bytes (limit ${limit} bytes for this file); is it the right file?`);
}

/**
 * The nesting depth of a JSON value (a scalar is 0, `[]` is 1), computed without recursion and with an
 * early stop once `max` is passed (then `max + 1` is returned), so hostile input cannot overflow the stack.
 * @example jsonDepth({ a: [1, [2]] }) // 3
 */
export function jsonDepth(value: unknown, max = Infinity): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, d] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    const depth = d + 1;
    if (depth > deepest) deepest = depth;
    if (deepest > max) return deepest;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, depth]);
  }
  return deepest;
}

/**
 * Throws a LimitError when `value` nests deeper than the depth limit; `what` (optional) prefixes the message.
 * @example checkJsonDepth(JSON.parse(text), 'runs/a/model.json');
 */
export function checkJsonDepth(value: unknown, what?: string, limit = current.maxJsonDepth): void {
  if (jsonDepth(value, limit) > limit) {
    throw new LimitError(`${what === undefined ? '' : `${what}: `}JSON nested deeper than ${limit} levels (limit ${limit}); the file is corrupt or hostile`);
  }
}

/**
 * A short, always-safe preview of an untrusted value for an error message: JSON cut to `max` characters,
 * `<nested deeper than 8 levels>` for deep values, String(v) for what JSON cannot show (BigInt, cycles).
 * @example previewJson({ a: 'x'.repeat(500) }).length // 80
 */
export function previewJson(value: unknown, max = 80): string {
  if (jsonDepth(value, 8) > 8) return '<nested deeper than 8 levels>';
  let text: string;
  try { text = JSON.stringify(value) ?? String(value); } catch { text = String(value); }
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/**
 * Sets the largest tensor (in bytes) that creation functions allocate; returns the previous limit
 * (shorthand for `setLimits({ maxTensorBytes })`).
 * @example const prev = setMaxTensorBytes(8 * 2 ** 30); try { bigJob(); } finally { setMaxTensorBytes(prev); }
 */
export function setMaxTensorBytes(bytes: number): number {
  if (!(Number.isInteger(bytes) && bytes > 0)) throw new LimitError(`setMaxTensorBytes: limit must be a positive integer number of bytes, got ${bytes}`);
  return setLimits({ maxTensorBytes: bytes }).maxTensorBytes;
}

/** The current per-tensor allocation limit in bytes. @example getMaxTensorBytes() // 4294967296 */
export function getMaxTensorBytes(): number {
  return current.maxTensorBytes;
}

/** A byte count with its binary unit, e.g. `4,000,000,000,000 bytes (3.6 TiB)`. @example fmtBytes(2048) // '2,048 bytes (2.0 KiB)' */
export function fmtBytes(bytes: number): string {
  const units = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB', 'EiB'];
  let v = bytes, u = -1;
  while (v >= 1024 && u < units.length - 1) [v, u] = [v / 1024, u + 1];
  const count = Number.isSafeInteger(bytes) ? bytes.toLocaleString('en-US') : bytes.toExponential(3);
  return u < 0 ? `${count} bytes` : `${count} bytes (${v.toFixed(1)} ${units[u]})`;
}
