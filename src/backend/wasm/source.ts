// Where the caller says the WASM kernels are, when the loader should not look for them itself (public types only).

/** What a caller may pass instead of letting the loader find the built file (see docs/browser.md › Serving the wasm yourself). */
export interface WasmSource {
  /** The module's bytes (e.g. fetched or embedded by your own build). */
  readonly bytes?: ArrayBuffer | ArrayBufferView;
  /**
   * Where to read or fetch it from: a string or a `URL` (typed by its `href` so these declarations
   * need no DOM lib); relative to the page in a browser. A `file:` URL is read from disk in Node,
   * anything else is fetched.
   */
  readonly url?: string | { readonly href: string };
}

/** Which SIMD a loaded module uses: the relaxed build, the plain one, or bytes/a URL the caller supplied. */
export type SimdKind = 'relaxed' | 'plain' | 'supplied';
