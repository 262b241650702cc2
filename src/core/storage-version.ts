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

/** Watched buffers and their current version (a process-wide counter: equal numbers mean untouched). */
export const watchedBuffers = new Map<ArrayBufferLike, number>();
let nextVersion = 1;

/**
 * Called by `Tensor.data` with every storage it hands out: bumps the version of a watched buffer.
 * @example noteStorageRead(t.data) // after this, copies of t's values taken before are stale
 */
export function noteStorageRead(s: { readonly buffer: ArrayBufferLike }): void {
  const b = s.buffer;
  if (watchedBuffers.has(b)) watchedBuffers.set(b, nextVersion++);
}

/**
 * Starts watching the buffer of `s` (if not yet) and returns its current version.
 * @example const v = watchStorage(w); ... if (storageVersion(w) === v) reuseCopy();
 */
export function watchStorage(s: { readonly buffer: ArrayBufferLike }): number {
  let v = watchedBuffers.get(s.buffer);
  if (v === undefined) watchedBuffers.set(s.buffer, (v = nextVersion++));
  return v;
}

/**
 * The current version of a watched storage's buffer, undefined when it is not watched.
 * @example if (storageVersion(w) !== packedAt) repack();
 */
export function storageVersion(s: { readonly buffer: ArrayBufferLike }): number | undefined {
  return watchedBuffers.get(s.buffer);
}

/**
 * Stops watching the buffer of `s` (copies of it must be dropped too).
 * @example unwatchStorage(w);
 */
export function unwatchStorage(s: { readonly buffer: ArrayBufferLike }): void {
  watchedBuffers.delete(s.buffer);
}
