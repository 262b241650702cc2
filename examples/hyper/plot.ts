// A small dependency-free SVG plot: predictive mean ± 2 std bands over a 1-D grid, with the data points.
import type { hyper, Tensor } from 'neurite';

export interface Band {
  name: string;
  pred: hyper.EnsemblePrediction;
  color: string;
}

/** SVG text: one mean line and a ±2 std band per model, data as dots; values are multiplied by `scale`. */
export function plotSvg(grid: Tensor, bands: Band[], x: Tensor, y: Tensor, scale: number): string {
  const W = 720, H = 420, pad = 40, ylo = -150, yhi = 150;
  const gx = [...grid.data];
  const sx = (v: number): number => pad + ((v - gx[0]!) / (gx[gx.length - 1]! - gx[0]!)) * (W - 2 * pad);
  const sy = (v: number): number => H - pad - ((Math.max(ylo, Math.min(yhi, v)) - ylo) / (yhi - ylo)) * (H - 2 * pad);
  const parts: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`, `<line x1="${pad}" y1="${sy(0)}" x2="${W - pad}" y2="${sy(0)}" stroke="#ccc"/>`];
  bands.forEach((b, k) => {
    const mu = gx.map((_, i) => b.pred.mean.data[i]! * scale), sd = gx.map((_, i) => b.pred.std.data[i]! * scale);
    const upper = gx.map((g, i) => `${sx(g)},${sy(mu[i]! + 2 * sd[i]!)}`);
    const lower = gx.map((g, i) => `${sx(g)},${sy(mu[i]! - 2 * sd[i]!)}`).reverse();
    parts.push(`<polygon points="${[...upper, ...lower].join(' ')}" fill="${b.color}" fill-opacity="0.18" stroke="none"/>`);
    parts.push(`<polyline points="${gx.map((g, i) => `${sx(g)},${sy(mu[i]!)}`).join(' ')}" fill="none" stroke="${b.color}" stroke-width="2"/>`);
    parts.push(`<text x="${pad + 8}" y="${pad + 16 * (k + 1)}" fill="${b.color}">${b.name}: mean ± 2 std</text>`);
  });
  parts.push(`<polyline points="${gx.map((g) => `${sx(g)},${sy(g ** 3)}`).join(' ')}" fill="none" stroke="#333" stroke-dasharray="4 3"/>`);
  for (let i = 0; i < x.size; i++) parts.push(`<circle cx="${sx(x.data[i]!)}" cy="${sy(y.data[i]!)}" r="3" fill="black"/>`);
  parts.push('</svg>');
  return parts.join('\n');
}
