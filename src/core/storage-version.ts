// Change tracking for storages copied elsewhere (resident packed weights in WASM memory): a version per watched buffer.
//
// A copy of a tensor's values kept between calls is only safe while nothing wrote the storage. Every
// write to a storage goes through a `Tensor.data` read first (ops, optimizer rules, loadStateDict,
// user code: `t.data[i] = v`, `t.data.set(...)`), so `Tensor.data` reports each read here and a read of
// a watched buffer bumps its version: a copy is valid only while the version it was taken at holds.
// Versions are per ArrayBuffer, so views (detach, reshape, subarray) of the same bytes are covered.
// The one write this cannot see is through a typed array obtained *before* the copy was taken (a
// reference held across calls, or the array a `new Tensor(array, shape)` was built on): see
// docs/performance.md › Resident weights.
//
// NOTE: the version lives on the buffer itself (a symbol-keyed property) rather than in a Map: the
// check runs on every `Tensor.data` read while anything is watched, and a property miss costs about
// a nanosecond where a Map lookup costs tens.

const VERSION = Symbol('neurite.storageVersion');
type Tagged = ArrayBufferLike & { [VERSION]?: number };

/** How many buffers are watched: `Tensor.data` skips the check while none is. */
export const watching = { count: 0 };
let nextVersion = 1;

/**
 * Called by `Tensor.data` with every storage it hands out: bumps the version of a watched buffer.
 * @example noteStorageRead(w) // after this, copies of w's values taken before are stale
 */
export function noteStorageRead(s: { readonly buffer: ArrayBufferLike }): void {
  const b = s.buffer as Tagged;
  if (b[VERSION] !== undefined) b[VERSION] = nextVersion++;
}

/**
 * Starts watching the buffer of `s` (if not yet) and returns its current version; undefined when the
 * buffer cannot carry one (a frozen ArrayBuffer): then no copy of it may be kept.
 * @example const v = watchStorage(w); const current = storageVersion(w) === v; // true until t.data is read
 */
export function watchStorage(s: { readonly buffer: ArrayBufferLike }): number | undefined {
  const b = s.buffer as Tagged;
  let v = b[VERSION];
  if (v === undefined) {
    if (!Object.isExtensible(b)) return undefined;
    b[VERSION] = v = nextVersion++;
    watching.count++;
  }
  return v;
}

/**
 * The current version of a watched storage's buffer, undefined when it is not watched.
 * @example const stale = storageVersion(w) !== watchStorage(w); // false right after watching
 */
export function storageVersion(s: { readonly buffer: ArrayBufferLike }): number | undefined {
  return (s.buffer as Tagged)[VERSION];
}

/**
 * Stops watching the buffer of `s` (copies of it must be dropped too).
 * @example unwatchStorage(w);
 */
export function unwatchStorage(s: { readonly buffer: ArrayBufferLike }): void {
  const b = s.buffer as Tagged;
  if (b[VERSION] === undefined) return;
  b[VERSION] = undefined; // kept as a property: deleting it would turn the buffer into a slow dictionary object
  watching.count--;
}
