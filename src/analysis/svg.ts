// Deterministic hand-written SVG: a class-coloured scatter plot and a grid of convolution filters.
import type { Tensor } from '../tensor/tensor.js';
import { ArgumentError } from '../core/errors.js';

const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
const r3 = (v: number): string => (Math.round(v * 1000) / 1000).toString();

export interface ScatterOptions { width?: number; height?: number; title?: string; radius?: number }

/**
 * SVG scatter plot of 2-D points [N, 2] coloured by integer class labels [N] (10-colour palette,
 * with a legend). Coordinates are scaled linearly into the plot box.
 *
 * @example
 * writeFileSync('pca.svg', scatterSvg(pcaProject(p, x, 2), y, { title: 'digits PCA' }));
 */
export function scatterSvg(points: Tensor, labels: Tensor, opts: ScatterOptions = {}): string {
  if (points.rank !== 2 || points.shape[1] !== 2) throw new ArgumentError('scatterSvg', `points must be [N, 2], got [${points.shape.join(', ')}]`);
  if (labels.size !== points.shape[0]) throw new ArgumentError('scatterSvg', `${labels.size} labels for ${points.shape[0]} points; give one label per point`);
  const { width = 480, height = 400, radius = 2.5, title = '' } = opts;
  const p = points.toFlat(), y = labels.toFlat();
  const xs = p.filter((_, i) => i % 2 === 0), ys = p.filter((_, i) => i % 2 === 1);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const m = 30, legend = 70;
  const sx = (v: number): number => m + ((v - x0) / (x1 - x0 || 1)) * (width - 2 * m - legend);
  const sy = (v: number): number => height - m - ((v - y0) / (y1 - y0 || 1)) * (height - 2 * m);
  const dots = xs.map((v, i) => `<circle cx="${r3(sx(v))}" cy="${r3(sy(ys[i]!))}" r="${radius}" fill="${PALETTE[y[i]! % 10]}" fill-opacity="0.7"/>`);
  const classes = [...new Set(y)].sort((a, b) => a - b);
  const keys = classes.map((c, i) => `<circle cx="${width - legend + 10}" cy="${m + 14 * i}" r="4" fill="${PALETTE[c % 10]}"/><text x="${width - legend + 18}" y="${m + 14 * i + 4}" font-size="11">${c}</text>`);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="${m}" y="18" font-size="13" font-family="sans-serif">${escapeXml(title)}</text>`,
    ...dots, ...keys, '</svg>',
  ].join('\n');
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * SVG grid of convolution filters from a weight tensor [out, in, kh, kw]: one tile per (out, in)
 * pair, rows = output channels, columns = input channels; each tile is scaled symmetrically by
 * max|w| of that filter (blue < 0 < red, white = 0). With one input channel (a first layer on
 * grey images) the `out` tiles wrap into `columns` columns (default ⌈√out⌉).
 *
 * @example
 * writeFileSync('filters.svg', filterGridSvg(conv.params.weight as Tensor));
 */
export function filterGridSvg(weight: Tensor, opts: { cell?: number; gap?: number; columns?: number } = {}): string {
  if (weight.rank !== 4) throw new ArgumentError('filterGridSvg', `weight must be [out, in, kh, kw], got [${weight.shape.join(', ')}]`);
  const [o, c, kh, kw] = weight.shape as [number, number, number, number];
  const { cell = 8, gap = 4 } = opts;
  const cols = c === 1 ? Math.max(1, Math.min(o, opts.columns ?? Math.ceil(Math.sqrt(o)))) : c;
  const rows = c === 1 ? Math.ceil(o / cols) : o;
  const w = weight.toFlat(), k = kh * kw;
  const rects: string[] = [];
  for (let a = 0; a < o; a++) for (let b = 0; b < c; b++) {
    const base = (a * c + b) * k;
    let mx = 0;
    for (let t = 0; t < k; t++) mx = Math.max(mx, Math.abs(w[base + t]!));
    const col = c === 1 ? a % cols : b, row = c === 1 ? Math.floor(a / cols) : a;
    const ox = gap + col * (kw * cell + gap), oy = gap + row * (kh * cell + gap);
    for (let t = 0; t < k; t++) {
      const v = mx > 0 ? w[base + t]! / mx : 0;
      rects.push(`<rect x="${ox + (t % kw) * cell}" y="${oy + Math.floor(t / kw) * cell}" width="${cell}" height="${cell}" fill="${diverging(v)}"/>`);
    }
  }
  const width = gap + cols * (kw * cell + gap), height = gap + rows * (kh * cell + gap);
  return [`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`, `<rect width="100%" height="100%" fill="#888"/>`, ...rects, '</svg>'].join('\n');
}

/** v ∈ [-1, 1] → blue (−1), white (0), red (+1). */
function diverging(v: number): string {
  const t = Math.round(255 * (1 - Math.min(1, Math.abs(v))));
  const hex = (n: number): string => n.toString(16).padStart(2, '0');
  return v >= 0 ? `#ff${hex(t)}${hex(t)}` : `#${hex(t)}${hex(t)}ff`;
}
