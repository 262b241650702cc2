// 16-bit float formats: IEEE float16 and bfloat16 bits ↔ numbers, rounding to nearest even as PyTorch does.

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/**
 * The float16 bits nearest to `x` (round to nearest, ties to even; overflow → ±Infinity; NaN kept
 * as a quiet NaN), exactly as `torch.tensor(x).half()` rounds a float32. `x` is first rounded to
 * float32, as PyTorch converts float32 tensors.
 * @example floatToHalfBits(1) // 0x3c00
 * @example floatToHalfBits(65520) // 0x7c00 (Infinity: above float16's largest finite value, 65504)
 */
export function floatToHalfBits(x: number): number {
  f32[0] = x;
  const bits = u32[0]!;
  const sign = (bits >>> 16) & 0x8000;
  const exp = (bits >>> 23) & 0xff;
  const mant = bits & 0x7fffff;
  if (exp === 0xff) return sign | (mant !== 0 ? 0x7e00 : 0x7c00);
  const e = exp - 127 + 15; // float16 biased exponent
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    // Subnormal float16 (or zero): shift the full mantissa (with its implicit 1) right.
    if (e < -10) return sign;
    const full = mant | 0x800000;
    const shift = 14 - e; // 24-bit significand → 10-bit field at this exponent
    return sign | roundShift(full, shift);
  }
  // Normal: keep 10 mantissa bits; a carry out of the mantissa correctly bumps the exponent.
  return sign | ((e << 10) + roundShift(mant, 13));
}

/** `value >> shift` rounded to nearest, ties to even. */
function roundShift(value: number, shift: number): number {
  const kept = value >>> shift;
  const rest = value & ((1 << shift) - 1);
  const half = 1 << (shift - 1);
  return rest > half || (rest === half && (kept & 1) === 1) ? kept + 1 : kept;
}

/**
 * The number a float16 bit pattern holds.
 * @example halfBitsToFloat(0x3c00) // 1
 * @example halfBitsToFloat(0x0001) // 2 ** -24 (the smallest subnormal)
 */
export function halfBitsToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac === 0 ? sign * Infinity : NaN;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/**
 * The bfloat16 bits nearest to `x` (the top 16 bits of the float32, rounded to nearest even; NaN
 * kept quiet), as `torch.tensor(x).bfloat16()` rounds.
 * @example floatToBf16Bits(1) // 0x3f80
 */
export function floatToBf16Bits(x: number): number {
  f32[0] = x;
  const bits = u32[0]!;
  if ((bits & 0x7f800000) === 0x7f800000 && (bits & 0x7fffff) !== 0) return ((bits >>> 16) & 0x8000) | 0x7fc0;
  return roundShift(bits, 16) & 0xffff;
}

/**
 * The number a bfloat16 bit pattern holds.
 * @example bf16BitsToFloat(0xbf80) // -1
 */
export function bf16BitsToFloat(h: number): number {
  u32[0] = (h & 0xffff) << 16;
  return f32[0]!;
}

/** The 16-bit storage formats neurite writes. */
export type HalfFormat = 'float16' | 'bfloat16';

/**
 * Packs numbers into 16-bit storage (round to nearest even).
 * @example packHalf(new Float32Array([1, 0.1]), 'float16') // Uint16Array [0x3c00, 0x2e66]
 */
export function packHalf(values: ArrayLike<number>, format: HalfFormat): Uint16Array {
  const out = new Uint16Array(values.length);
  const encode = format === 'float16' ? floatToHalfBits : floatToBf16Bits;
  for (let i = 0; i < values.length; i++) out[i] = encode(values[i]!);
  return out;
}

/** Every float16 pattern's float32 value (256 KiB), built the first time a large array is widened. */
let halfTable: Float32Array | null = null;

/** Arrays at least this long are widened through the table (building it costs about 65,536 single conversions). */
const TABLE_FROM = 4096;

/**
 * Widens 16-bit storage to float32 (exact: every float16/bfloat16 value is a float32). Large float16
 * arrays go through a 65,536-entry table, bfloat16 by a shift; both give the same values as the
 * per-element conversions.
 * @example unpackHalf(new Uint16Array([0x3c00]), 'float16') // Float32Array [1]
 */
export function unpackHalf(bits: Uint16Array, format: HalfFormat, out = new Float32Array(bits.length)): Float32Array {
  const n = bits.length;
  if (format === 'bfloat16') {
    const o32 = new Uint32Array(out.buffer, out.byteOffset, n);
    for (let i = 0; i < n; i++) o32[i] = bits[i]! << 16;
    return out;
  }
  if (n < TABLE_FROM && halfTable === null) {
    for (let i = 0; i < n; i++) out[i] = halfBitsToFloat(bits[i]!);
    return out;
  }
  if (halfTable === null) {
    halfTable = new Float32Array(65536);
    for (let h = 0; h < 65536; h++) halfTable[h] = halfBitsToFloat(h);
  }
  const table = halfTable;
  for (let i = 0; i < n; i++) out[i] = table[bits[i]!]!;
  return out;
}
