// Canvas drawing for the lecture panels: axes, lines (linear or log y), a ±std band, scatter points, and a heat map.

/** Data → pixel mapping of one plot. */
export interface Frame { x0: number; x1: number; y0: number; y1: number; logY?: boolean }

const PAD = { l: 44, r: 10, t: 10, b: 24 };
export const PALETTE = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

function ctxOf(c: HTMLCanvasElement): CanvasRenderingContext2D {
  const g = c.getContext('2d');
  if (!g) throw new Error(`plot: no 2-D context for canvas "${c.getAttribute('aria-label') ?? ''}"`);
  return g;
}

/** The pixel of a data point in the plot area. */
export function toPixel(c: HTMLCanvasElement, f: Frame, x: number, y: number): [number, number] {
  const w = c.width - PAD.l - PAD.r, h = c.height - PAD.t - PAD.b;
  const ty = f.logY ? (Math.log10(y) - Math.log10(f.y0)) / (Math.log10(f.y1) - Math.log10(f.y0)) : (y - f.y0) / (f.y1 - f.y0);
  return [PAD.l + ((x - f.x0) / (f.x1 - f.x0)) * w, PAD.t + (1 - ty) * h];
}

/** The data point under a pixel (linear axes). */
export function fromPixel(c: HTMLCanvasElement, f: Frame, px: number, py: number): [number, number] {
  const w = c.width - PAD.l - PAD.r, h = c.height - PAD.t - PAD.b;
  return [f.x0 + ((px - PAD.l) / w) * (f.x1 - f.x0), f.y0 + (1 - (py - PAD.t) / h) * (f.y1 - f.y0)];
}

const tickText = (v: number, log: boolean): string => (log ? `1e${Math.round(Math.log10(v))}` : Number(v.toPrecision(3)).toString());

/** Clears the canvas and draws the frame's axes with a few ticks (decades on a log axis). */
export function axes(c: HTMLCanvasElement, f: Frame, xLabel = '', yLabel = ''): void {
  const g = ctxOf(c);
  g.clearRect(0, 0, c.width, c.height);
  g.fillStyle = '#fff';
  g.fillRect(0, 0, c.width, c.height);
  g.strokeStyle = '#999';
  g.fillStyle = '#333';
  g.font = '10px sans-serif';
  g.strokeRect(PAD.l, PAD.t, c.width - PAD.l - PAD.r, c.height - PAD.t - PAD.b);
  const ys = f.logY
    ? Array.from({ length: Math.floor(Math.log10(f.y1)) - Math.ceil(Math.log10(f.y0)) + 1 }, (_, i) => 10 ** (Math.ceil(Math.log10(f.y0)) + i))
    : [0, 0.25, 0.5, 0.75, 1].map((t) => f.y0 + t * (f.y1 - f.y0));
  const every = Math.max(1, Math.ceil(ys.length / 8));
  ys.filter((_, i) => i % every === 0).forEach((v) => { const [, py] = toPixel(c, f, f.x0, v); g.fillText(tickText(v, !!f.logY), 2, py + 3); });
  [0, 0.5, 1].forEach((t) => { const v = f.x0 + t * (f.x1 - f.x0); const [px] = toPixel(c, f, v, f.logY ? f.y0 : f.y0); g.fillText(tickText(v, false), px - 8, c.height - 12); });
  if (xLabel) g.fillText(xLabel, c.width / 2 - 20, c.height - 2);
  if (yLabel) g.fillText(yLabel, PAD.l + 4, PAD.t + 10);
}

/** A polyline through (xs[i], ys[i]); non-finite or (log axis) non-positive values break it. */
export function line(c: HTMLCanvasElement, f: Frame, xs: ArrayLike<number>, ys: ArrayLike<number>, color: string, width = 1.5): void {
  const g = ctxOf(c);
  g.strokeStyle = color;
  g.lineWidth = width;
  g.beginPath();
  let pen = false;
  for (let i = 0; i < xs.length; i++) {
    const y = ys[i]!;
    if (!Number.isFinite(y) || (f.logY && y <= 0)) { pen = false; continue; }
    const [px, py] = toPixel(c, f, xs[i]!, f.logY ? Math.min(Math.max(y, f.y0), f.y1) : y);
    if (pen) g.lineTo(px, py); else g.moveTo(px, py);
    pen = true;
  }
  g.stroke();
}

/** The band mean ± std as a filled area. */
export function band(c: HTMLCanvasElement, f: Frame, xs: ArrayLike<number>, mean: ArrayLike<number>, std: ArrayLike<number>, color: string): void {
  const g = ctxOf(c);
  g.fillStyle = color;
  g.beginPath();
  for (let i = 0; i < xs.length; i++) { const [px, py] = toPixel(c, f, xs[i]!, mean[i]! + std[i]!); if (i === 0) g.moveTo(px, py); else g.lineTo(px, py); }
  for (let i = xs.length - 1; i >= 0; i--) { const [px, py] = toPixel(c, f, xs[i]!, mean[i]! - std[i]!); g.lineTo(px, py); }
  g.closePath();
  g.fill();
}

/** Dots at (pts[2i], pts[2i+1]) coloured by `colorOf(i)`. */
export function scatter(c: HTMLCanvasElement, f: Frame, pts: ArrayLike<number>, colorOf: (i: number) => string, r = 2.5): void {
  const g = ctxOf(c);
  for (let i = 0; i < pts.length / 2; i++) {
    const [px, py] = toPixel(c, f, pts[2 * i]!, pts[2 * i + 1]!);
    g.fillStyle = colorOf(i);
    g.beginPath();
    g.arc(px, py, r, 0, 2 * Math.PI);
    g.fill();
  }
}

/** Orange (−1) → white (0) → blue (+1), as TF Playground colours its outputs. */
export function divergingColor(v: number): string {
  const t = Math.max(-1, Math.min(1, v));
  const mix = (a: number, b: number, s: number): number => Math.round(a + (b - a) * s);
  return t >= 0 ? `rgb(${mix(255, 31, t)},${mix(255, 119, t)},${mix(255, 180, t)})` : `rgb(${mix(255, 245, -t)},${mix(255, 147, -t)},${mix(255, 34, -t)})`;
}

/** A cells×cells heat map of predict over the square [−r, r]² (points as [x1, x2] rows). */
export function heatmap(c: HTMLCanvasElement, r: number, cells: number, predict: (x: Float32Array, n: number) => Float32Array): void {
  const g = ctxOf(c), n = cells * cells, x = new Float32Array(2 * n);
  for (let i = 0; i < cells; i++) for (let j = 0; j < cells; j++) {
    x[2 * (i * cells + j)] = -r + (2 * r * (j + 0.5)) / cells;
    x[2 * (i * cells + j) + 1] = r - (2 * r * (i + 0.5)) / cells;
  }
  const v = predict(x, n), w = c.width / cells, h = c.height / cells;
  for (let i = 0; i < cells; i++) for (let j = 0; j < cells; j++) {
    g.fillStyle = divergingColor(v[i * cells + j]!);
    g.fillRect(j * w, i * h, Math.ceil(w), Math.ceil(h));
  }
}

/** Dots of 2-D points (rows [x1, x2] in [−r, r]²) over a heat map drawn by {@link heatmap}. */
export function heatmapPoints(c: HTMLCanvasElement, r: number, x: ArrayLike<number>, labels: ArrayLike<number>): void {
  const g = ctxOf(c);
  for (let i = 0; i < labels.length; i++) {
    const px = ((x[2 * i]! + r) / (2 * r)) * c.width, py = ((r - x[2 * i + 1]!) / (2 * r)) * c.height;
    g.fillStyle = labels[i]! > 0 ? '#1f77b4' : '#f58a22';
    g.strokeStyle = '#fff';
    g.beginPath();
    g.arc(px, py, 3, 0, 2 * Math.PI);
    g.fill();
    g.stroke();
  }
}

/**
 * A colour per example from its label: two classes (0/1 or ±1) orange/blue, integer classes 0…9 from
 * the palette, other values (regression) on the diverging scale by value / max |value|.
 */
export function labelColors(y: ArrayLike<number>): (i: number) => string {
  const ys = Array.from(y);
  if (ys.every((v) => v === 0 || v === 1 || v === -1)) return (i) => (ys[i]! > 0 ? '#1f77b4' : '#f58a22');
  if (ys.every((v) => Number.isInteger(v) && v >= 0 && v < PALETTE.length)) return (i) => PALETTE[ys[i]!]!;
  const max = Math.max(1e-12, ...ys.map(Math.abs));
  return (i) => divergingColor(ys[i]! / max);
}
