// AssemblyScript source of max pooling's routing and scatter-add, shared by the pooling exports (conv.as) and the fused batch-norm kernels (norm.as); not exported from the module itself.

/** gx [size] zeroed, then gx[index[t]] += g[t] for t in order (index −1 skipped). */
export function maxPoolScatter(g: usize, index: usize, gx: usize, count: i32, size: i32): void {
  memory.fill(gx, 0, <usize>size << 2);
  for (let t = 0; t < count; t++) {
    const at = load<i32>(index + (<usize>t << 2));
    if (at < 0) continue;
    const p = gx + (<usize>at << 2);
    store<f32>(p, load<f32>(p) + load<f32>(g + (<usize>t << 2)));
  }
}

/** Max pooling's routing into index (i32 per window) and, unless `out` is 0, the routed values (−∞ where a window has no tap). */
export function maxPoolRoute(
  x: usize, index: usize, out: usize, planes: i32, h: i32, w: i32, kh: i32, kw: i32, sh: i32, sw: i32,
  ph: i32, pw: i32, dh: i32, dw: i32, oh: i32, ow: i32,
): void {
  if (kh == 2 && kw == 2 && sh == 2 && sw == 2 && ph == 0 && pw == 0) { maxPoolIndex2x2(x, index, out, planes, h, w, oh, ow); return; }
  let t = index, o = out;
  for (let plane = 0; plane < planes; plane++) {
    const base = plane * h * w;
    for (let r = 0; r < oh; r++) {
      for (let q = 0; q < ow; q++, t += 4, o += 4) {
        let best = -1, m: f32 = 0;
        for (let i = 0; i < kh; i++) {
          const ih = r * sh - ph + i * dh;
          if (ih < 0 || ih >= h) continue;
          for (let j = 0; j < kw; j++) {
            const iw = q * sw - pw + j * dw;
            if (iw < 0 || iw >= w) continue;
            const at = base + ih * w + iw, v = load<f32>(x + (<usize>at << 2));
            if (best < 0 || v > m || (v != v && m == m)) { m = v; best = at; }
          }
        }
        store<i32>(t, best);
        if (out != 0) store<f32>(o, best < 0 ? -Infinity : m);
      }
    }
  }
}

/** take = v beats m (larger, or the first NaN): lanes all ones where so. */
@inline function beats(v: v128, m: v128): v128 {
  return v128.or(f32x4.gt(v, m), v128.and(f32x4.ne(v, v), f32x4.eq(m, m)));
}

/**
 * The routing for 2×2 windows at stride 2 without padding (every tap inside the image): four
 * windows at a time, taps compared in the order (0,0), (0,1), (1,0), (1,1) as the general loop does;
 * the winning values go to `out` unless it is 0.
 */
function maxPoolIndex2x2(x: usize, index: usize, out: usize, planes: i32, h: i32, w: i32, oh: i32, ow: i32): void {
  let t = index, p = out;
  const step = i32x4.splat(8), one = i32x4.splat(1);
  for (let plane = 0; plane < planes; plane++) {
    for (let r = 0; r < oh; r++) {
      const top = plane * h * w + 2 * r * w, row0 = x + (<usize>top << 2), row1 = row0 + (<usize>w << 2);
      let at = i32x4.add(i32x4.splat(top), i32x4(0, 2, 4, 6));
      let q = 0;
      for (; q + 4 <= ow; q += 4, t += 16, p += 16, at = i32x4.add(at, step)) {
        const o = <usize>q << 3;
        const a0 = v128.load(row0 + o), a1 = v128.load(row0 + o + 16), b0 = v128.load(row1 + o), b1 = v128.load(row1 + o + 16);
        let m = v128.shuffle<f32>(a0, a1, 0, 2, 4, 6), best = at;
        const tr = v128.shuffle<f32>(a0, a1, 1, 3, 5, 7), bl = v128.shuffle<f32>(b0, b1, 0, 2, 4, 6), br = v128.shuffle<f32>(b0, b1, 1, 3, 5, 7);
        let take = beats(tr, m);
        m = v128.bitselect(tr, m, take); best = v128.bitselect(i32x4.add(at, one), best, take);
        const below = i32x4.add(at, i32x4.splat(w));
        take = beats(bl, m);
        m = v128.bitselect(bl, m, take); best = v128.bitselect(below, best, take);
        take = beats(br, m);
        best = v128.bitselect(i32x4.add(below, one), best, take);
        v128.store(t, best);
        if (out != 0) v128.store(p, v128.bitselect(br, m, take));
      }
      for (; q < ow; q++, t += 4, p += 4) {
        let best = top + 2 * q, m = load<f32>(x + (<usize>best << 2));
        for (let k = 1; k < 4; k++) {
          const a = top + (k >> 1) * w + 2 * q + (k & 1), v = load<f32>(x + (<usize>a << 2));
          if (v > m || (v != v && m == m)) { m = v; best = a; }
        }
        store<i32>(t, best);
        if (out != 0) store<f32>(p, m);
      }
    }
  }
}
