// Small canvas charts: loss curves, the ROC curve, and an activation's h(u) with h'(u) (computed by neurite's autograd).
import { linspace, sum, nn, type Tensor } from 'neurite';
import type { ActivationName } from '../host.js';

function axes(ctx: CanvasRenderingContext2D, w: number, h: number): void {
  ctx.clearRect(0, 0, w, h);
  ctx.fillStyle = '#fff'; ctx.fillRect(0, 0, w, h);
  ctx.strokeStyle = '#ddd'; ctx.lineWidth = 1; ctx.strokeRect(0.5, 0.5, w - 1, h - 1);
}

function polyline(ctx: CanvasRenderingContext2D, xs: ArrayLike<number>, ys: ArrayLike<number>, color: string, width = 1.5): void {
  ctx.strokeStyle = color; ctx.lineWidth = width; ctx.beginPath();
  for (let i = 0; i < xs.length; i++) (i === 0 ? ctx.moveTo(xs[i]!, ys[i]!) : ctx.lineTo(xs[i]!, ys[i]!));
  ctx.stroke();
}

/** Train (dark) and test (orange) loss per recorded epoch, on a log-free linear scale from 0 to the max. */
export function drawLossCurves(canvas: HTMLCanvasElement, train: number[], test: number[]): void {
  const ctx = canvas.getContext('2d')!, w = canvas.width, h = canvas.height;
  axes(ctx, w, h);
  const all = [...train, ...test].filter(Number.isFinite);
  if (all.length === 0) return;
  const max = Math.max(...all) || 1, n = Math.max(train.length, 2);
  const xs = (a: number[]) => a.map((_v, i) => (i / (n - 1)) * (w - 4) + 2);
  const ys = (a: number[]) => a.map((v) => h - 3 - (Math.min(v, max) / max) * (h - 6));
  polyline(ctx, xs(test), ys(test), '#f59322');
  polyline(ctx, xs(train), ys(train), '#333');
}

/** The ROC curve (fpr, tpr) with the diagonal. */
export function drawRoc(canvas: HTMLCanvasElement, fpr: ArrayLike<number>, tpr: ArrayLike<number>): void {
  const ctx = canvas.getContext('2d')!, w = canvas.width, h = canvas.height;
  axes(ctx, w, h);
  ctx.setLineDash([3, 3]); polyline(ctx, [4, w - 4], [h - 4, 4], '#aaa', 1); ctx.setLineDash([]);
  const pad = 4, sx = (v: number) => pad + v * (w - 2 * pad), sy = (v: number) => h - pad - v * (h - 2 * pad);
  polyline(ctx, Array.from(fpr, sx), Array.from(tpr, sy), '#0877bd', 2);
}

const U = linspace(-4, 4, 81);

/**
 * h(u) (blue) and h'(u) (orange, dashed) over u ∈ [-4, 4], from neurite's own activation module
 * (a PReLU with its learned slope `preluSlope`) and autograd.
 */
export function drawActivation(canvas: HTMLCanvasElement, name: ActivationName, preluSlope = 0.25): void {
  const m = nn.activation(name, name === 'leaky_relu' ? { alpha: 0.1 } : {});
  if (name === 'prelu') (m.params as { weight: Tensor }).weight.data[0] = preluSlope;
  const u = U.detach().requireGrad();
  const y = m.forward(u);
  sum(y).backward();
  const hs = y.data, ds = u.grad!.data;
  const ctx = canvas.getContext('2d')!, w = canvas.width, h = canvas.height;
  axes(ctx, w, h);
  const lo = -2, hi = 4, sx = (i: number) => (i / 80) * w, sy = (v: number) => h - ((Math.max(lo, Math.min(hi, v)) - lo) / (hi - lo)) * h;
  ctx.strokeStyle = '#eee'; ctx.beginPath(); ctx.moveTo(0, sy(0)); ctx.lineTo(w, sy(0)); ctx.moveTo(w / 2, 0); ctx.lineTo(w / 2, h); ctx.stroke();
  const idx = Array.from({ length: 81 }, (_v, i) => sx(i));
  ctx.setLineDash([3, 2]); polyline(ctx, idx, Array.from(ds, sy), '#f59322', 1.5); ctx.setLineDash([]);
  polyline(ctx, idx, Array.from(hs, sy), '#0877bd', 2);
}
