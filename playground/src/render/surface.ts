// Heat maps: the decision surface / regression map over [-6, 6]², the per-neuron maps, the data points, and the colour scales.
import { VIEW } from '../datasets.js';
import type { ShellSplit, ProblemKind } from '../host.js';

type RGB = [number, number, number];
/** Negative / class 0 (orange), positive / class 1 (blue), as TensorFlow Playground; then three more classes. */
export const CLASS_COLORS: RGB[] = [[245, 147, 34], [8, 119, 189], [46, 160, 67], [155, 89, 182], [214, 39, 40]];
const WHITE: RGB = [232, 234, 237];

/** A value in [-1, 1] as orange (−1) → light grey (0) → blue (+1). @example divergingColor(1) // [8, 119, 189] */
export function divergingColor(v: number): RGB {
  const t = Math.max(-1, Math.min(1, Number.isFinite(v) ? v : 0));
  const end = t < 0 ? CLASS_COLORS[0]! : CLASS_COLORS[1]!, a = Math.abs(t);
  return [WHITE[0] + (end[0] - WHITE[0]) * a, WHITE[1] + (end[1] - WHITE[1]) * a, WHITE[2] + (end[2] - WHITE[2]) * a];
}

/** The colour of k class probabilities: the classes' colours mixed by probability, faded toward grey by uncertainty. */
export function mixColor(probs: ArrayLike<number>, offset: number, k: number): RGB {
  let r = 0, g = 0, b = 0, max = 0;
  for (let c = 0; c < k; c++) {
    const p = probs[offset + c]!, col = CLASS_COLORS[c % CLASS_COLORS.length]!;
    r += p * col[0]; g += p * col[1]; b += p * col[2]; max = Math.max(max, p);
  }
  const a = k > 1 ? (max - 1 / k) / (1 - 1 / k) : 1;
  return [WHITE[0] + (r - WHITE[0]) * a, WHITE[1] + (g - WHITE[1]) * a, WHITE[2] + (b - WHITE[2]) * a];
}

/** The centres of a res × res grid over the view, row 0 at the top (x2 = +6), as n × 2 points. */
export function gridPoints(res: number, oneD = false): Float32Array {
  const pts = new Float32Array(res * res * 2);
  for (let r = 0; r < res; r++) {
    for (let c = 0; c < res; c++) {
      const i = r * res + c;
      pts[2 * i] = -VIEW + ((c + 0.5) / res) * 2 * VIEW;
      pts[2 * i + 1] = oneD ? 0 : VIEW - ((r + 0.5) / res) * 2 * VIEW;
    }
  }
  return pts;
}

/** How outputs are coloured: a binary probability, k class probabilities, or a regression value (scaled by `scale`). */
export interface SurfaceStyle { problem: ProblemKind; discretize: boolean; scale: number }

/** Paints res × res head outputs into the canvas (nearest-neighbour upscaled). */
export function paintGrid(canvas: HTMLCanvasElement, out: Float32Array, res: number, style: SurfaceStyle): void {
  const n = res * res, k = Math.round(out.length / n);
  const img = scratchImage(res);
  for (let i = 0; i < n; i++) {
    let col: RGB;
    if (style.problem === 'multiclass') {
      if (style.discretize) {
        let best = 0;
        for (let c = 1; c < k; c++) if (out[i * k + c]! > out[i * k + best]!) best = c;
        col = CLASS_COLORS[best % CLASS_COLORS.length]!;
      } else col = mixColor(out, i * k, k);
    } else {
      const v = style.problem === 'binary' ? 2 * out[i]! - 1 : out[i]! / style.scale;
      col = divergingColor(style.discretize ? Math.sign(v) : v);
    }
    const d = img.data;
    d[4 * i] = col[0]; d[4 * i + 1] = col[1]; d[4 * i + 2] = col[2]; d[4 * i + 3] = 255;
  }
  blit(canvas, img, true);
}

const scratch = new Map<number, { img: ImageData; canvas: HTMLCanvasElement }>();

/** A reused res × res ImageData (one per size), so painting allocates nothing per frame. */
export function scratchImage(res: number): ImageData {
  let s = scratch.get(res);
  if (!s) {
    const canvas = document.createElement('canvas');
    canvas.width = res; canvas.height = res;
    s = { img: new ImageData(res, res), canvas };
    scratch.set(res, s);
  }
  return s.img;
}

/** Draws a scratch image scaled onto the whole canvas. */
export function blit(canvas: HTMLCanvasElement, img: ImageData, smooth: boolean): void {
  const off = scratch.get(img.width)!.canvas;
  off.getContext('2d')!.putImageData(img, 0, 0);
  const ctx = canvas.getContext('2d')!;
  ctx.imageSmoothingEnabled = smooth;
  ctx.drawImage(off, 0, 0, canvas.width, canvas.height);
}

/** Draws the points of a split (test points hollow), coloured by label or value. */
export function drawPoints(canvas: HTMLCanvasElement, d: ShellSplit, problem: ProblemKind, hollow: boolean, scale: number): void {
  const ctx = canvas.getContext('2d')!, w = canvas.width, h = canvas.height;
  const rad = Math.max(2.5, w / 80);
  for (let i = 0; i < d.n; i++) {
    const px = ((d.points[2 * i]! + VIEW) / (2 * VIEW)) * w, py = ((VIEW - d.points[2 * i + 1]!) / (2 * VIEW)) * h;
    const v = d.y[i]!;
    const col = problem === 'multiclass' ? CLASS_COLORS[v % CLASS_COLORS.length]! : problem === 'binary' ? CLASS_COLORS[v > 0.5 ? 1 : 0]! : divergingColor(v / scale);
    ctx.beginPath();
    ctx.arc(px, py, rad, 0, 2 * Math.PI);
    ctx.fillStyle = `rgb(${col.map(Math.round).join(',')})`;
    ctx.fill();
    ctx.strokeStyle = hollow ? '#000' : '#fff';
    ctx.lineWidth = hollow ? 1.2 : 0.8;
    ctx.stroke();
  }
}

/** A 1-D regression plot: the points (x1, y) and the model's curve over x1 ∈ [-6, 6]. */
export function drawCurve(canvas: HTMLCanvasElement, xs: Float32Array, ys: Float32Array, splits: ShellSplit[], yRange: [number, number]): void {
  const ctx = canvas.getContext('2d')!, w = canvas.width, h = canvas.height;
  const [lo, hi] = yRange, sy = (v: number) => h - ((v - lo) / (hi - lo)) * h, sx = (v: number) => ((v + VIEW) / (2 * VIEW)) * w;
  ctx.fillStyle = '#fafafa'; ctx.fillRect(0, 0, w, h);
  ctx.strokeStyle = '#ccc'; ctx.beginPath(); ctx.moveTo(0, sy(0)); ctx.lineTo(w, sy(0)); ctx.stroke();
  splits.forEach((d, j) => {
    ctx.fillStyle = j === 0 ? 'rgba(8,119,189,0.8)' : 'rgba(245,147,34,0.8)';
    for (let i = 0; i < d.n; i++) { ctx.beginPath(); ctx.arc(sx(d.points[2 * i]!), sy(d.y[i]!), 2.5, 0, 2 * Math.PI); ctx.fill(); }
  });
  ctx.strokeStyle = '#222'; ctx.lineWidth = 2; ctx.beginPath();
  xs.forEach((x, i) => (i === 0 ? ctx.moveTo(sx(x), sy(ys[i]!)) : ctx.lineTo(sx(x), sy(ys[i]!))));
  ctx.stroke();
}
