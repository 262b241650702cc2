// Per-neuron heat maps of a 2-D classifier's hidden units: what each neuron responds to over the input plane.
import { tensor } from '../tensor/tensor.js';
import { ArgumentError } from '../core/errors.js';
import { noGrad } from '../autograd/graph.js';
import { reshape } from '../ops/movement.js';
import type { Sequential } from '../nn/containers.js';
import { leaves } from '../tree/tree.js';

export interface HeatmapOptions { xRange?: [number, number]; yRange?: [number, number]; resolution?: number; cell?: number; columns?: number }

/**
 * Evaluates a Sequential with 2 inputs on a resolution×resolution grid over xRange×yRange and draws
 * one heat map per unit of child layer `layer` (its output, e.g. the activation after the first
 * Linear), each scaled to its own [min, max] (dark = low, yellow = high). Returns the SVG string.
 *
 * @example
 * writeFileSync('neurons.svg', neuronHeatmapsSvg(net, 1, { xRange: [-1, 1], yRange: [-1, 1] }));
 */
export function neuronHeatmapsSvg(model: Sequential, layer: number, opts: HeatmapOptions = {}): string {
  const { xRange = [-1, 1], yRange = [-1, 1], resolution = 24, cell = 4, columns = 8 } = opts;
  if (!Number.isInteger(layer) || layer < 0 || layer >= model.layers.length) {
    throw new ArgumentError('neuronHeatmapsSvg', `layer ${layer} is not a child index of the model (0..${model.layers.length - 1})`);
  }
  if (!Number.isInteger(resolution) || resolution < 2) throw new ArgumentError('neuronHeatmapsSvg', `resolution must be an integer ≥ 2, got ${resolution}`);
  const pts: number[] = [];
  for (let r = 0; r < resolution; r++) for (let c = 0; c < resolution; c++) {
    pts.push(xRange[0] + ((xRange[1] - xRange[0]) * c) / (resolution - 1), yRange[1] - ((yRange[1] - yRange[0]) * r) / (resolution - 1));
  }
  const dtype = leaves(model.params)[0]?.dtype ?? 'float32';
  const grid = tensor(pts, { shape: [resolution * resolution, 2], dtype });
  const acts = noGrad(() => model.applyWithIntermediates(model.params, grid).activations[layer]![1]);
  const h = reshape(acts, [resolution * resolution, -1]);
  const units = h.shape[1]!, d = h.toFlat();
  const size = resolution * cell, gap = 6, rows = Math.ceil(units / columns);
  const parts: string[] = [];
  for (let u = 0; u < units; u++) {
    let lo = Infinity, hi = -Infinity;
    for (let i = 0; i < resolution * resolution; i++) { const v = d[i * units + u]!; lo = Math.min(lo, v); hi = Math.max(hi, v); }
    const ox = gap + (u % columns) * (size + gap), oy = gap + Math.floor(u / columns) * (size + gap);
    for (let i = 0; i < resolution * resolution; i++) {
      const t = hi > lo ? (d[i * units + u]! - lo) / (hi - lo) : 0;
      parts.push(`<rect x="${ox + (i % resolution) * cell}" y="${oy + Math.floor(i / resolution) * cell}" width="${cell}" height="${cell}" fill="${ramp(t)}"/>`);
    }
  }
  const width = gap + Math.min(units, columns) * (size + gap), height = gap + rows * (size + gap);
  return [`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`, `<rect width="100%" height="100%" fill="white"/>`, ...parts, '</svg>'].join('\n');
}

/** t ∈ [0, 1] → dark blue → yellow. */
function ramp(t: number): string {
  const hex = (v: number): string => Math.round(v).toString(16).padStart(2, '0');
  return `#${hex(20 + 235 * t)}${hex(20 + 200 * t)}${hex(90 * (1 - t))}`;
}
