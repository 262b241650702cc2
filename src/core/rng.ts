// Seeded, splittable random number generator (xoshiro128**), so every experiment replays from one seed.

function splitmix32(state: number): () => number {
  let s = state >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/**
 * A seeded random stream. `split()` derives an independent child stream, so components (init,
 * dropout, shuffling) can each take their own stream from one seed without disturbing each other.
 *
 * @example
 * const rng = new Rng(42);
 * const u = rng.uniform();            // in [0, 1)
 * const [a, b] = [rng.split(), rng.split()];
 */
export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare: number | null = null;

  constructor(seed = 0) {
    if (!Number.isFinite(seed)) throw new TypeError(`Rng: seed must be a finite number, got ${seed}`);
    const lo = seed >>> 0;
    const hi = Math.floor(seed / 4294967296) >>> 0;
    const mix = splitmix32(lo ^ Math.imul(hi, 0x9e3779b1));
    this.s0 = mix();
    this.s1 = mix();
    this.s2 = mix();
    this.s3 = mix() | 1;
  }

  /** Next raw 32-bit unsigned integer. */
  nextU32(): number {
    const r = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return r;
  }

  /** Uniform in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextU32() >>> 5;
    const lo = this.nextU32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Standard normal N(0, 1) (Box–Muller, caching the second value). */
  normal(): number {
    if (this.spare !== null) {
      const v = this.spare;
      this.spare = null;
      return v;
    }
    let u = 0;
    while (u === 0) u = this.uniform();
    const v = this.uniform();
    const r = Math.sqrt(-2 * Math.log(u));
    this.spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  }

  /** 1 with probability p, else 0. */
  bernoulli(p: number): number {
    return this.uniform() < p ? 1 : 0;
  }

  /** Integer uniform in [0, n). */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** A random permutation of 0..n-1 (Fisher–Yates). */
  permutation(n: number): Int32Array {
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const t = p[i]!;
      p[i] = p[j]!;
      p[j] = t;
    }
    return p;
  }

  /**
   * The stream's exact position (four 32-bit words and the cached normal), for checkpoints.
   * @example const saved = rng.getState(); rng.uniform(); rng.setState(saved); // replays the same draw
   */
  getState(): RngState {
    return { s: [this.s0 >>> 0, this.s1 >>> 0, this.s2 >>> 0, this.s3 >>> 0], spare: this.spare };
  }

  /** Puts the stream back at a position from getState(). @example rng.setState(saved) */
  setState(state: RngState): void {
    const { s, spare } = state ?? ({} as RngState);
    if (!Array.isArray(s) || s.length !== 4 || !s.every((w) => Number.isInteger(w) && w >= 0 && w <= 0xffffffff)) {
      throw new TypeError(`Rng.setState: s must be four 32-bit unsigned integers, got ${JSON.stringify(s)}`);
    }
    if (spare !== null && typeof spare !== 'number') throw new TypeError(`Rng.setState: spare must be a number or null, got ${typeof spare}`);
    [this.s0, this.s1, this.s2, this.s3] = s as [number, number, number, number];
    this.spare = spare;
  }

  /** An independent child stream; the parent advances, so repeated splits differ. */
  split(): Rng {
    const child = new Rng(0);
    const mix = splitmix32(this.nextU32() ^ Math.imul(this.nextU32(), 0x27d4eb2d));
    child.s0 = mix();
    child.s1 = mix();
    child.s2 = mix();
    child.s3 = mix() | 1;
    return child;
  }
}

/**
 * An immutable random key: a stream position that drawing never changes. `stream()` starts a fresh
 * Rng there (so the same key always gives the same numbers) and `fold(tag)` derives an independent
 * child key — how a key passed to `module.apply(params, x, { key })` reaches each layer.
 * @example
 * const key = Key.of(7);
 * key.stream().normal() === key.stream().normal();   // true: a key is a value
 * key.fold('0').stream().uniform();                  // the first child's numbers
 */
export class Key {
  private constructor(private readonly words: readonly number[], private readonly spare: number | null) {
    Object.freeze(this);
  }

  /** The key of a fresh `new Rng(seed)`. @example Key.of(1) */
  static of(seed: number): Key {
    return Key.at(new Rng(seed));
  }

  /** The current position of `rng` as a key (the stream itself is not advanced). @example Key.at(rng) */
  static at(rng: Rng): Key {
    const st = rng.getState();
    return new Key(Object.freeze(st.s), st.spare);
  }

  /** A new Rng positioned at this key. @example Key.of(1).stream().uniform() */
  stream(): Rng {
    const r = new Rng(0);
    r.setState(this.state());
    return r;
  }

  /** The stream position as plain data (for Rng.setState and checkpoints). @example rng.setState(Key.of(1).state()) */
  state(): RngState {
    return { s: [...this.words], spare: this.spare };
  }

  /** An independent child key for `tag` (a child's name or index); the same tag gives the same key. @example Key.of(1).fold('dropout') */
  fold(tag: string | number): Key {
    const r = this.stream();
    let h = 0x811c9dc5;
    for (const ch of String(tag)) h = Math.imul(h ^ ch.charCodeAt(0), 0x01000193);
    return Key.of(((r.nextU32() ^ h) >>> 0) + (r.nextU32() >>> 11) * 4294967296);
  }
}

/** A stream's position: xoshiro128** words and the cached second Box–Muller value. */
export interface RngState { s: number[]; spare: number | null }

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

let globalRng = new Rng(0);

/** Re-seeds the global stream that random functions use when no `rng` is passed. */
export function manualSeed(seed: number): void {
  globalRng = new Rng(seed);
}

/** The global random stream (seeded with 0 at start; see `manualSeed`). */
export function defaultRng(): Rng {
  return globalRng;
}
