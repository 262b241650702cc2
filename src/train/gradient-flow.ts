// Gradient-flow diagnostics: per-layer gradient norms, activation statistics, warnings, and an SVG heat map.
import { Tensor } from '../tensor/tensor.js';
import { ArgumentError } from '../core/errors.js';
import { noGrad } from '../autograd/graph.js';
import { entries } from '../tree/tree.js';
import { Module, childContext, childParams, type Params } from '../nn/module.js';
import { Sequential } from '../nn/containers.js';
import { Graph } from '../nn/graph.js';
import { ReLU, Sigmoid, Tanh } from '../nn/activations.js';

/** The gradient of one parameter tensor: ‖∂L/∂θ‖₂ and ‖θ‖₂. */
export interface ParamGradNorm { name: string; layer: string; shape: number[]; norm: number; paramNorm: number; hasGrad: boolean }
/** One layer (parameters sharing a dotted prefix, e.g. `0` or `h1`): ‖g‖₂ over all its parameters. */
export interface LayerGradNorm { layer: string; norm: number; paramNorm: number }
export interface GradientNorms { parameters: ParamGradNorm[]; layers: LayerGradNorm[]; /** ‖g‖₂ over the whole model. */ total: number }

function sumSquares(d: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < d.length; i++) s += d[i]! * d[i]!;
  return s;
}

/**
 * Per-parameter and per-layer L2 gradient norms after `backward()`: for a layer ℓ with
 * parameters θ_ℓ, ‖g_ℓ‖ = √(Σ_{θ∈θ_ℓ} Σ (∂L/∂θ)²). A layer is the parameter path without its last
 * component (`3.body.0.weight` → `3.body.0`). Parameters without a gradient count as 0 (hasGrad false).
 *
 * @example
 * loss.backward();
 * const { layers } = gradientNorms(model);   // [{ layer: '0', norm: 0.012, paramNorm: 4.1 }, ...]
 */
export function gradientNorms(model: Module | Params): GradientNorms {
  const params = model instanceof Module ? model.params : model;
  const parameters: ParamGradNorm[] = entries(params).map(([name, t]) => {
    const dot = name.lastIndexOf('.');
    return {
      name, layer: dot < 0 ? '(root)' : name.slice(0, dot), shape: [...t.shape],
      norm: t.grad ? Math.sqrt(sumSquares(t.grad.data)) : 0, paramNorm: Math.sqrt(sumSquares(t.data)), hasGrad: t.grad !== null,
    };
  });
  const byLayer = new Map<string, { g: number; p: number }>();
  for (const p of parameters) {
    const acc = byLayer.get(p.layer) ?? { g: 0, p: 0 };
    acc.g += p.norm * p.norm;
    acc.p += p.paramNorm * p.paramNorm;
    byLayer.set(p.layer, acc);
  }
  const layers = [...byLayer].map(([layer, a]) => ({ layer, norm: Math.sqrt(a.g), paramNorm: Math.sqrt(a.p) }));
  return { parameters, layers, total: Math.sqrt(layers.reduce((s, l) => s + l.norm * l.norm, 0)) };
}

/**
 * ‖g_first‖ / ‖g_last‖: the first layer's gradient norm over the last layer's (parameter order).
 * Far below 1 means vanishing gradients, far above 1 exploding ones.
 * @example firstLastRatio(gradientNorms(model))   // 3e-7 for a deep sigmoid MLP
 */
export function firstLastRatio(norms: GradientNorms): number {
  const ls = norms.layers;
  if (ls.length < 2) throw new ArgumentError('firstLastRatio', `needs at least two layers with parameters, got ${ls.length} (${ls.map((l) => l.layer).join(', ')})`);
  return ls[0]!.norm / ls[ls.length - 1]!.norm;
}

/** A gradient-flow problem found by `checkGradientFlow`. */
export interface GradientWarning { kind: 'vanishing' | 'exploding' | 'non-finite'; layer: string; value: number; message: string }

export interface GradientThresholds {
  /** Warn when ‖g_first‖/‖g_last‖ falls below this (default 1e-3). */
  vanishRatio?: number;
  /** Warn when any layer's ‖g‖ exceeds this (default 1e3). */
  explodeNorm?: number;
}

/**
 * Warnings for vanishing (first/last ratio < vanishRatio), exploding (a layer norm > explodeNorm)
 * or non-finite gradients.
 * @example checkGradientFlow(gradientNorms(model)).forEach((w) => console.warn(w.message))
 */
export function checkGradientFlow(norms: GradientNorms, opts: GradientThresholds = {}): GradientWarning[] {
  const vanish = opts.vanishRatio ?? 1e-3, explode = opts.explodeNorm ?? 1e3;
  const out: GradientWarning[] = [];
  const bad = norms.layers.find((l) => !Number.isFinite(l.norm));
  if (bad) return [{ kind: 'non-finite', layer: bad.layer, value: bad.norm, message: `gradient norm of layer "${bad.layer}" is ${bad.norm}; lower the learning rate or clip gradients` }];
  const big = norms.layers.reduce<LayerGradNorm | null>((m, l) => (l.norm > explode && (!m || l.norm > m.norm) ? l : m), null);
  if (big) out.push({ kind: 'exploding', layer: big.layer, value: big.norm, message: `exploding gradients: layer "${big.layer}" has ‖g‖ = ${big.norm.toExponential(2)} > ${explode}; clip gradients (clipByGlobalNorm) or lower the learning rate` });
  if (norms.layers.length >= 2) {
    const r = firstLastRatio(norms), first = norms.layers[0]!.layer, last = norms.layers.at(-1)!.layer;
    if (r < vanish) out.push({ kind: 'vanishing', layer: first, value: r, message: `vanishing gradients: ‖g‖ of first layer "${first}" is ${r.toExponential(2)} × that of last layer "${last}" (< ${vanish}); try ReLU + He init, BatchNorm or residual connections` });
  }
  return out;
}

/** Statistics of one layer's output over a batch. */
export interface ActivationStat {
  layer: string;
  /** What produced it (`ReLU`, `Linear(64→64)`, `add`, ...). */
  kind: string;
  shape: number[];
  mean: number;
  std: number;
  /** ReLU outputs: fraction of units (features) that are 0 for every example in the batch. */
  deadFraction?: number;
  /** Sigmoid/tanh outputs: fraction of entries within `saturation` of a bound (0/1 or ±1). */
  saturatedFraction?: number;
}

/** Mean, std and the dead/saturated fractions of one output tensor. */
function statsOf(layer: string, kind: string, mod: Module | null, h: Tensor, eps: number): ActivationStat {
  const d = h.data, n = d.length;
  let s = 0, s2 = 0;
  for (let i = 0; i < n; i++) { s += d[i]!; s2 += d[i]! * d[i]!; }
  const mean = s / n;
  const st: ActivationStat = { layer, kind, shape: [...h.shape], mean, std: Math.sqrt(Math.max(0, s2 / n - mean * mean)) };
  if (mod instanceof ReLU) {
    const units = n / (h.shape[0] || 1), alive = new Uint8Array(units);
    for (let i = 0; i < n; i++) if (d[i]! > 0) alive[i % units] = 1;
    st.deadFraction = 1 - alive.reduce((a, b) => a + b, 0) / units;
  } else if (mod instanceof Sigmoid || mod instanceof Tanh) {
    const lo = mod instanceof Sigmoid ? 0 : -1;
    let sat = 0;
    for (let i = 0; i < n; i++) if (d[i]! - lo < eps || 1 - d[i]! < eps) sat++;
    st.saturatedFraction = sat / n;
  }
  return st;
}

/**
 * Each layer's (Sequential) or node's (Graph) module and output, from the pure form in the modules' own
 * modes: measuring never moves BatchNorm statistics or Dropout streams (training continues as without it).
 */
function layerOutputs(model: Sequential | Graph, x: Tensor): [string, string, Module | null, Tensor][] {
  const ctx = { mode: 'own', state: model.state } as const;
  if (model instanceof Sequential) {
    let h = x;
    return model.layers.map((m, i) => {
      h = m.apply(childParams(model.params, String(i)), h, childContext(ctx, String(i))).y;
      return [String(i), m.describe(), m, h];
    });
  }
  const { activations } = model.applyWithIntermediates(model.params, x, ctx);
  const byName = new Map(model.order.map((n) => [n.name, n]));
  return activations.map(([name, h]) => {
    const node = byName.get(name)!;
    return 'module' in node ? [name, node.module.describe(), node.module, h] : [name, node.merge, null, h];
  });
}

/**
 * Per-layer activation statistics on a batch `x`: mean, std, the fraction of dead ReLU units
 * (0 for all examples) and of saturated sigmoid/tanh entries (|h − bound| < saturation, default
 * 0.01). Runs without recording gradients, in the model's current mode; BatchNorm running
 * statistics are restored afterwards, so probing does not change the model.
 *
 * @example
 * activationStats(mlp({ sizes: [64, 32, 10], activation: 'relu' }), x)
 * // [{ layer: '0', kind: 'Linear(64→32)', mean, std }, { layer: '1', kind: 'ReLU', ..., deadFraction: 0.03 }, ...]
 */
export function activationStats(model: Sequential | Graph, x: Tensor, opts: { saturation?: number } = {}): ActivationStat[] {
  if (!(model instanceof Sequential || model instanceof Graph)) {
    throw new ArgumentError('activationStats', `needs a Sequential or Graph model to see each layer's output, got ${(model as Module)?.describe?.() ?? typeof model}`);
  }
  const eps = opts.saturation ?? 0.01;
  const saved = Object.entries(model.buffers()).map(([k, t]) => [k, t.clone()] as const);
  try {
    return noGrad(() => layerOutputs(model, x).map(([name, kind, mod, h]) => statsOf(name, kind, mod, h, eps)));
  } finally {
    const bufs = model.buffers();
    for (const [k, t] of saved) bufs[k]!.data.set(t.data);
  }
}

/** Per-epoch per-layer gradient norms, as `gradientFlowCallback` (train/diagnostics.ts) records them. */
export interface GradientFlowRecord { epoch: number; layers: string[]; /** Mean ‖g‖ over the recorded batches. */ norms: number[] }

const esc = (s: string): string => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** A colour on a blue (small) → yellow (large) ramp for t ∈ [0, 1]. */
function ramp(t: number): string {
  const c = (a: number, b: number): number => Math.round(a + (b - a) * t);
  return `rgb(${c(40, 250)},${c(60, 220)},${c(160, 40)})`;
}

/**
 * A readable row label for a gradient-norm layer: the module at that dotted path and the path
 * (`0` → `Linear(64→64) 0`, `3.body.0` → `Linear(8→8) 3.body.0`, `(root)` → the model itself).
 * @example layerLabel(mlp({ sizes: [4, 8, 2] }), '2')   // 'Linear(8→2) 2'
 */
export function layerLabel(model: Module, layer: string): string {
  if (layer === '(root)') return model.describe();
  let m: Module | undefined = model;
  for (const part of layer.split('.')) m = m?.children().find(([n]) => n === part)?.[1];
  return m ? `${m.describe()} ${layer}` : layer;
}

/** 10^d as `2.3e-4` / `1.5e0`. */
const sci = (d: number): string => (10 ** d).toExponential(1).replace('e+', 'e');

/** Decade ticks (integer powers of ten) within [lo, hi] in log₁₀ units, at most ~6 of them. */
function decadeTicks(lo: number, hi: number): number[] {
  const a = Math.ceil(lo - 1e-9), b = Math.floor(hi + 1e-9), step = Math.max(1, Math.ceil((b - a + 1) / 6));
  const out: number[] = [];
  for (let d = a; d <= b; d += step) out.push(d);
  return out.length ? out : [Math.round((lo + hi) / 2)];
}

/**
 * A heat map of log₁₀ gradient norm by layer (rows, first layer on top) and epoch (columns), as an
 * SVG string for reports; non-finite norms are drawn red, zero norms grey. The colour bar is
 * labelled at powers of ten (1e-3, 1e-2, …); `labels` maps a layer to its row label (see layerLabel).
 * @example writeFileSync('grad.svg', gradientNormSvg(cb.records, { labels: (l) => layerLabel(model, l) }))
 */
export function gradientNormSvg(records: readonly GradientFlowRecord[], opts: { title?: string; cell?: number; labels?: (layer: string) => string } = {}): string {
  if (records.length === 0) throw new ArgumentError('gradientNormSvg', 'no records to plot; train with gradientFlowCallback first');
  const layers = records[0]!.layers, cw = Math.max(4, Math.min(opts.cell ?? 28, Math.floor(480 / records.length))), ch = 16;
  const logs = records.flatMap((r) => r.norms.filter((v) => v > 0 && Number.isFinite(v)).map(Math.log10));
  let lo = logs.length ? Math.min(...logs) : 0, hi = logs.length ? Math.max(...logs) : 1;
  if (hi - lo < 1e-9) { lo -= 0.5; hi += 0.5; }
  if (Math.ceil(lo - 1e-9) > Math.floor(hi + 1e-9)) { lo = Math.floor(lo); hi = Math.ceil(hi); } // the bar spans at least one power of ten
  const label = (l: string): string => opts.labels?.(l) ?? l;
  const left = Math.max(110, 12 + 6 * Math.max(...layers.map((l) => label(l).length))), top = 28;
  const barH = Math.max(ch * layers.length, 60), w = Math.max(320, left + cw * records.length + 80), h = top + barH + 34;
  const cells = records.flatMap((r, j) => r.norms.map((v, i) => {
    const fill = !Number.isFinite(v) ? '#d62728' : v <= 0 ? '#bbb' : ramp((Math.log10(v) - lo) / (hi - lo));
    return `<rect x="${left + j * cw}" y="${top + i * ch}" width="${cw}" height="${ch}" fill="${fill}"><title>${esc(label(layers[i] ?? ''))}, epoch ${r.epoch}: ${v.toExponential(2)}</title></rect>`;
  }));
  const names = layers.map((l, i) => `<text class="layer" x="${left - 4}" y="${top + i * ch + 12}" text-anchor="end" font-size="10">${esc(label(l))}</text>`);
  const lx = left + cw * records.length + 12, steps = 24;
  const bar = Array.from({ length: steps }, (_, k) => `<rect x="${lx}" y="${(top + (barH * (steps - 1 - k)) / steps).toFixed(1)}" width="12" height="${(barH / steps + 0.5).toFixed(1)}" fill="${ramp(k / (steps - 1))}"/>`);
  const ticks = decadeTicks(lo, hi).map((d) => {
    const y = (top + (1 - (d - lo) / (hi - lo)) * barH).toFixed(1);
    return `<line x1="${lx + 12}" x2="${lx + 15}" y1="${y}" y2="${y}" stroke="#333"/><text class="decade" x="${lx + 17}" y="${Number(y) + 3}" font-size="10">1e${d}</text>`;
  });
  const ends = `<text class="range" x="${lx}" y="${top - 4}" font-size="9">max ${sci(Math.max(...logs))}</text><text class="range" x="${lx}" y="${top + barH + 11}" font-size="9">min ${sci(Math.min(...logs))}</text>`;
  const every = Math.ceil(records.length / 10), last = records.length - 1; // ≤ ~10 epoch labels; the last one unless it would crowd its neighbour
  const epochs = records.map((r, j) => ({ e: r.epoch, j })).filter(({ j }) => j % every === 0 || (j === last && last % every >= every / 2));
  const xt = epochs.map(({ e, j }) => `<text class="xtick" x="${left + j * cw + cw / 2}" y="${top + ch * layers.length + 12}" text-anchor="middle" font-size="9">${e}</text>`);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}" font-family="sans-serif">
<text x="${w / 2}" y="14" text-anchor="middle" font-size="12" font-weight="bold">${esc(opts.title ?? 'gradient norm ‖g‖ by layer and epoch')}</text>
${cells.join('\n')}
${names.join('\n')}
${bar.join('\n')}
${ticks.join('\n')}
${logs.length ? ends : ''}
${xt.join('\n')}
<text x="${left + (cw * records.length) / 2}" y="${h - 8}" text-anchor="middle" font-size="10">epoch</text>
</svg>`;
}
