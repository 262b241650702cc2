// The network view: feature, neuron and output heat maps in columns, weights as lines (width |w|, colour sign), and the layer editor.
import { tensor, noGrad, type nn, type Tensor } from 'neurite';
import type { ActivationName, FeatureName, PlaygroundState } from '../host.js';
import { FEATURES, featurize } from '../datasets.js';
import { ACTIVATIONS, FEATURE_NAMES, MAX_LAYERS, MAX_UNITS } from '../state.js';
import { drawActivation } from './charts.js';
import { networkLayout, type BlockLayout } from '../model.js';
import { blit, divergingColor, gridPoints, scratchImage } from './surface.js';

const RES = 20;
const ACT_LABELS: Record<ActivationName, string> = {
  identity: 'Identity', sigmoid: 'Sigmoid', tanh: 'Tanh', softsign: 'Softsign', hardtanh: 'Hard tanh',
  softplus: 'Softplus', relu: 'ReLU', leaky_relu: 'Leaky ReLU (0.1)', prelu: 'PReLU (learned slope)',
};

/** The per-neuron outputs of every block (after its activation, dropout off) for n feature rows: block → n × units. */
export function blockOutputs(model: nn.Sequential, layout: readonly BlockLayout[], x: Float32Array, n: number, inputDim: number): Float32Array[] {
  return noGrad(() => {
    let h: Tensor = tensor(x).reshape([n, inputDim]);
    const outs: Float32Array[] = [];
    model.layers.forEach((m, i) => {
      h = m.forward(h);
      if (layout.some((b) => b.end - 1 === i)) outs.push(Float32Array.from(h.data as ArrayLike<number>));
    });
    return outs;
  });
}

function paintNeuron(canvas: HTMLCanvasElement, values: Float32Array, col: number, cols: number): void {
  let max = 1e-6;
  for (let i = 0; i < RES * RES; i++) max = Math.max(max, Math.abs(values[i * cols + col]!));
  const img = scratchImage(RES), d = img.data, scale = Math.max(1, max);
  for (let i = 0; i < RES * RES; i++) {
    const [r, g, b] = divergingColor(values[i * cols + col]! / scale);
    d[4 * i] = r; d[4 * i + 1] = g; d[4 * i + 2] = b; d[4 * i + 3] = 255;
  }
  blit(canvas, img, true);
}

function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Record<string, string> = {}, text = ''): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  if (text) e.textContent = text;
  return e;
}

/** Edits the state through `set`; the view rebuilds its columns when the layers or features change. */
export class NetworkView {
  readonly root = el('div', { class: 'network', role: 'group', 'aria-label': 'Network' });
  private nodes: HTMLCanvasElement[][] = [];
  private lines = el('canvas', { class: 'weights', 'aria-hidden': 'true' });
  /** Node anchor points (right edge, left edge, centre y) relative to the view, measured once per layout. */
  private anchors: Array<Array<{ left: number; right: number; y: number }>> | null = null;
  private actPlots: HTMLCanvasElement[] = [];
  private slopeLabels: HTMLElement[] = [];
  private shape = '';

  constructor(private readonly set: (patch: Partial<PlaygroundState>) => void) {
    window.addEventListener('resize', () => { this.anchors = null; });
  }

  /** Rebuilds the columns if the architecture changed. */
  build(s: PlaygroundState): void {
    const shape = JSON.stringify([s.features, s.layers]);
    if (shape === this.shape) return;
    this.shape = shape;
    this.root.replaceChildren(this.lines);
    this.nodes = []; this.actPlots = []; this.slopeLabels = []; this.anchors = null;
    this.root.append(this.layerBar(s), this.featureColumn(s));
    s.layers.forEach((layer, i) => this.root.append(this.hiddenColumn(s, i)));
    const out = el('div', { class: 'column output-col' });
    out.append(el('div', { class: 'col-title' }, 'Output'));
    const c = el('canvas', { width: '36', height: '36', class: 'node', role: 'img', 'aria-label': 'output neuron' });
    out.append(c);
    this.nodes.push([c]);
    this.root.append(out);
  }

  private layerBar(s: PlaygroundState): HTMLElement {
    const bar = el('div', { class: 'layer-bar' });
    const add = el('button', { type: 'button', 'aria-label': 'add a hidden layer' }, '+ layer');
    const rem = el('button', { type: 'button', 'aria-label': 'remove the last hidden layer' }, '− layer');
    add.disabled = s.layers.length >= MAX_LAYERS; rem.disabled = s.layers.length === 0;
    add.onclick = () => this.set({ layers: [...s.layers, { units: 4, activation: s.layers.at(-1)?.activation ?? 'tanh' }] });
    rem.onclick = () => this.set({ layers: s.layers.slice(0, -1) });
    bar.append(add, rem, el('span', { class: 'muted' }, `${s.layers.length} hidden layer${s.layers.length === 1 ? '' : 's'}`));
    return bar;
  }

  private featureColumn(s: PlaygroundState): HTMLElement {
    const col = el('div', { class: 'column' });
    col.append(el('div', { class: 'col-title' }, 'Features'));
    const canv: HTMLCanvasElement[] = [];
    for (const f of FEATURE_NAMES) {
      const on = s.features.includes(f);
      const b = el('button', { type: 'button', class: `feature ${on ? 'on' : 'off'}`, 'aria-pressed': String(on), 'aria-label': `feature ${FEATURES[f].label}`, 'data-feature': f });
      const c = el('canvas', { width: '36', height: '36', class: 'node', 'aria-hidden': 'true' });
      b.append(c, el('span', {}, FEATURES[f].label));
      b.onclick = () => {
        const next = on ? s.features.filter((x) => x !== f) : FEATURE_NAMES.filter((x) => x === f || s.features.includes(x));
        if (next.length > 0) this.set({ features: next as FeatureName[] });
      };
      this.paintFeature(c, f);
      if (on) canv.push(c);
      col.append(b);
    }
    this.nodes.push(canv);
    return col;
  }

  private paintFeature(c: HTMLCanvasElement, f: FeatureName): void {
    const pts = gridPoints(RES), v = featurize(pts, RES * RES, [f]);
    paintNeuron(c, v, 0, 1);
  }

  private hiddenColumn(s: PlaygroundState, i: number): HTMLElement {
    const layer = s.layers[i]!, col = el('div', { class: 'column' });
    col.append(el('div', { class: 'col-title' }, `Layer ${i + 1}`));
    const ctl = el('div', { class: 'units' });
    const plus = el('button', { type: 'button', 'aria-label': `add a neuron to layer ${i + 1}` }, '+');
    const minus = el('button', { type: 'button', 'aria-label': `remove a neuron from layer ${i + 1}` }, '−');
    plus.disabled = layer.units >= MAX_UNITS; minus.disabled = layer.units <= 1;
    const change = (d: number) => this.set({ layers: s.layers.map((l, j) => (j === i ? { ...l, units: l.units + d } : l)) });
    plus.onclick = () => change(1); minus.onclick = () => change(-1);
    ctl.append(minus, el('span', {}, `${layer.units}`), plus);
    const select = el('select', { 'aria-label': `activation of layer ${i + 1}`, 'data-layer': String(i) });
    for (const a of ACTIVATIONS) select.append(Object.assign(el('option', { value: a }, ACT_LABELS[a]), { selected: a === layer.activation }));
    select.onchange = () => this.set({ layers: s.layers.map((l, j) => (j === i ? { ...l, activation: select.value as ActivationName } : l)) });
    const plot = el('canvas', { width: '84', height: '48', class: 'act-plot', role: 'img', 'aria-label': `h(u) and h'(u) of ${layer.activation}` });
    drawActivation(plot, layer.activation);
    const slope = el('div', { class: 'muted slope' });
    this.actPlots.push(plot); this.slopeLabels.push(slope);
    col.append(ctl, select, plot, slope);
    const nodes: HTMLCanvasElement[] = [];
    for (let u = 0; u < layer.units; u++) {
      const c = el('canvas', { width: '36', height: '36', class: 'node', role: 'img', 'aria-label': `layer ${i + 1} neuron ${u + 1}: its output over the input square` });
      nodes.push(c); col.append(c);
    }
    this.nodes.push(nodes);
    return col;
  }

  /** Repaints the neuron maps and weight lines from the main-thread model. */
  update(s: PlaygroundState, model: nn.Sequential): void {
    const pts = gridPoints(RES), x = featurize(pts, RES * RES, s.features);
    const layout = networkLayout(s, s.features.length);
    const outs = blockOutputs(model, layout, x, RES * RES, s.features.length);
    const state = model.stateDict();
    outs.forEach((o, b) => {
      const col = this.nodes[b + 1] ?? [], units = o.length / (RES * RES);
      col.forEach((c, u) => { if (u < units) paintNeuron(c, o, u, units); });
    });
    s.layers.forEach((l, i) => {
      const prelu = layout[i]!.prelu, w = prelu === undefined ? undefined : state[`${prelu}.weight`];
      if (l.activation === 'prelu' && w) {
        const a = w.data[0]!;
        this.slopeLabels[i]!.textContent = `learned slope a = ${a.toFixed(3)}`;
        drawActivation(this.actPlots[i]!, 'prelu', a);
      } else this.slopeLabels[i]!.textContent = '';
    });
    this.drawWeights(layout, state);
  }

  private measure(): Array<Array<{ left: number; right: number; y: number }>> {
    const box = this.root.getBoundingClientRect();
    this.lines.width = Math.ceil(this.root.scrollWidth); this.lines.height = Math.ceil(box.height);
    this.lines.style.width = `${this.lines.width}px`; this.lines.style.height = `${this.lines.height}px`;
    const dx = box.left - this.root.scrollLeft, dy = box.top;
    return this.nodes.map((col) => col.map((c) => {
      const r = c.getBoundingClientRect();
      return { left: r.left - dx, right: r.right - dx, y: r.top + r.height / 2 - dy };
    }));
  }

  /** One line per weight on a canvas behind the nodes: blue w > 0, orange w < 0, width and opacity growing with |w|. */
  private drawWeights(layout: readonly BlockLayout[], state: Record<string, Tensor>): void {
    if (this.root.offsetParent === null) return; // not displayed
    this.anchors ??= this.measure();
    const ctx = this.lines.getContext('2d')!, anchors = this.anchors;
    ctx.clearRect(0, 0, this.lines.width, this.lines.height);
    for (let b = 0; b < layout.length; b++) {
      const w = state[`${layout[b]!.linear}.weight`];
      const from = anchors[b] ?? [], to = anchors[b + 1] ?? [];
      if (!w) continue;
      const [outs, ins] = w.shape as [number, number];
      for (let o = 0; o < Math.min(outs, to.length); o++) {
        for (let i = 0; i < Math.min(ins, from.length); i++) {
          const v = w.data[o * ins + i]!, a = from[i]!, z = to[o]!;
          ctx.strokeStyle = `rgba(${v >= 0 ? '8,119,189' : '245,147,34'},${Math.min(1, 0.25 + Math.abs(v))})`;
          ctx.lineWidth = Math.min(6, 0.4 + Math.abs(v) * 1.5);
          ctx.beginPath(); ctx.moveTo(a.right, a.y); ctx.lineTo(z.left, z.y); ctx.stroke();
        }
      }
    }
  }
}
