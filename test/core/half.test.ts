// float16/bfloat16 conversions: exhaustive round trips, ties to even at every midpoint, and PyTorch's own rounding.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { bf16BitsToFloat, floatToBf16Bits, floatToHalfBits, halfBitsToFloat, packHalf, unpackHalf } from '../../src/core/half.js';

const isNaNHalf = (h: number): boolean => (h & 0x7c00) === 0x7c00 && (h & 0x3ff) !== 0;
const f32 = (x: number): number => Math.fround(x);

test('every one of the 65536 float16 patterns survives half → float → half (NaN stays NaN)', () => {
  for (let h = 0; h < 0x10000; h++) {
    const x = halfBitsToFloat(h);
    if (isNaNHalf(h)) assert.ok(isNaNHalf(floatToHalfBits(x)), `0x${h.toString(16)}`);
    else assert.equal(floatToHalfBits(x), h, `0x${h.toString(16)} = ${x}`);
  }
});

test('float16: the midpoint between neighbours rounds to the even one, a hair either side to the nearer', () => {
  for (let h = 0; h < 0x7bff; h++) {
    const a = halfBitsToFloat(h), b = halfBitsToFloat(h + 1);
    const mid = (a + b) / 2; // exact in float64 and in float32 (one more bit than float16's 11)
    const even = (h & 1) === 0 ? h : h + 1;
    assert.equal(floatToHalfBits(mid), even, `midpoint of 0x${h.toString(16)}`);
    const below = f32(mid - (b - a) / 1024), above = f32(mid + (b - a) / 1024);
    assert.equal(floatToHalfBits(below), h);
    assert.equal(floatToHalfBits(above), h + 1);
    assert.equal(floatToHalfBits(-mid), even | 0x8000);
  }
});

test('float16 overflow and underflow: 65504 is finite, 65520 rounds to Infinity, 2^-25 to zero', () => {
  assert.equal(floatToHalfBits(65504), 0x7bff);
  assert.equal(floatToHalfBits(65519.99), 0x7bff);
  assert.equal(floatToHalfBits(65520), 0x7c00);
  assert.equal(floatToHalfBits(-1e9), 0xfc00);
  assert.equal(floatToHalfBits(2 ** -25), 0x0000);
  assert.equal(floatToHalfBits(f32(2 ** -25 * 1.0001)), 0x0001);
  assert.equal(floatToHalfBits(-0), 0x8000);
  assert.ok(isNaNHalf(floatToHalfBits(NaN)));
});

test('every bfloat16 pattern survives bf16 → float → bf16, and midpoints tie to even', () => {
  for (let h = 0; h < 0x10000; h++) {
    const x = bf16BitsToFloat(h);
    if (Number.isNaN(x)) assert.ok(Number.isNaN(bf16BitsToFloat(floatToBf16Bits(x))));
    else assert.equal(floatToBf16Bits(x), h, `0x${h.toString(16)}`);
  }
  for (let h = 0; h < 0x7f7f; h += 7) {
    const mid = (bf16BitsToFloat(h) + bf16BitsToFloat(h + 1)) / 2;
    assert.equal(floatToBf16Bits(mid), (h & 1) === 0 ? h : h + 1);
  }
});

test('float16 and bfloat16 rounding equal PyTorch 1.13 bit for bit on 5000 float32 values', () => {
  const fx = JSON.parse(readFileSync(new URL('../fixtures/half-rounding.json', import.meta.url), 'utf8')) as {
    float32Bits: number[]; float16Bits: number[]; bfloat16Bits: number[];
  };
  const view = new DataView(new ArrayBuffer(4));
  const values = fx.float32Bits.map((b) => (view.setUint32(0, b), view.getFloat32(0)));
  assert.deepEqual([...packHalf(values, 'float16')], fx.float16Bits);
  assert.deepEqual([...packHalf(values, 'bfloat16')], fx.bfloat16Bits);
  const widened = unpackHalf(Uint16Array.from(fx.float16Bits), 'float16');
  for (let i = 0; i < values.length; i++) assert.equal(widened[i], halfBitsToFloat(fx.float16Bits[i]!));
});
