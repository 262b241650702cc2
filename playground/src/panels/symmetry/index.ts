// The weight-space symmetry panel: swap two hidden neurons or flip a neuron's sign, and see the output
// surface unchanged (compared value by value) while the weights change; plus the equivalent-network count.
import { analysis, nn, noGrad, Tensor, tree } from 'neurite';
import { headingAnchor } from '../../lecture/tour.js';
import type { Panel, PanelHost } from '../../host.js';
import { headOutputs, makeHead } from '../../model.js';
import { applyMove, equivalentNetworks, flipKind, hiddenWidths, type SymmetryMove } from '../../lecture/symmetry.js';
import { divergingColor as plotColor } from '../plot.js';
import { button, canvas, el, errorText, select } from '../ui.js';

/** The host's model when the symmetry tools accept it (a Linear/activation Sequential), else null. */
function usableHostModel(host: PanelHost): nn.Sequential | null {
  const m = host.getModel();
  if (!(m instanceof nn.Sequential)) return null;
  try {
    analysis.hiddenActivations(m);
    return m;
  } catch {
    return null; // BatchNorm, residual links …: not a plain MLP
  }
}

/**
 * predict(x, n) for the host's surface with the given parameters: head outputs as the state's problem
 * defines them (the shell's headOutputs); every output it returns is kept in `seen`.
 */
function predictor(host: PanelHost, model: nn.Sequential, params: nn.Params, seen: number[]): (x: Float32Array, n: number) => Float32Array {
  const d = (model.layers[0] as nn.Linear).inFeatures;
  return (x, n) => {
    const raw = noGrad(() => model.apply(params, new Tensor(Float32Array.from(x.subarray(0, n * d)), [n, d])));
    const state = host.getState();
    const y = headOutputs(state, makeHead(state), raw);
    seen.push(...y);
    return y;
  };
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = a.length === b.length ? 0 : Infinity;
  for (let i = 0; i < Math.min(a.length, b.length); i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

function changedWeights(a: nn.Params, b: nn.Params): number {
  const bm = new Map(tree.entries(b));
  let k = 0;
  for (const [path, t] of tree.entries(a)) { const u = bm.get(path)!.data; t.data.forEach((v, i) => { if (v !== u[i]) k++; }); }
  return k;
}

/**
 * Hidden layer `layer`'s neurons as rows: incoming weights, bias, then outgoing weights (one column per
 * next-layer unit), coloured by sign and size, so a swap shows as two rows trading places.
 */
function drawNeurons(c: HTMLCanvasElement, model: nn.Sequential, params: nn.Params, layer: number): void {
  const linear = model.layers.flatMap((m, i) => (m instanceof nn.Linear ? [i] : []));
  const leaf = new Map(tree.entries(params));
  const w = leaf.get(`${linear[layer]}.weight`)!, b = leaf.get(`${linear[layer]}.bias`), out = leaf.get(`${linear[layer + 1]}.weight`)!;
  const [rows, ins] = w.shape as [number, number], outs = out.shape[0]!;
  const cols = ins + 1 + outs, cell = Math.min(Math.floor(c.width / (cols + 1)), Math.floor(c.height / rows));
  let max = 1e-12;
  for (const t of [w, out, ...(b ? [b] : [])]) t.data.forEach((v) => { max = Math.max(max, Math.abs(v)); });
  const g = c.getContext('2d')!;
  g.clearRect(0, 0, c.width, c.height);
  for (let r = 0; r < rows; r++) {
    const values = [...Array.from({ length: ins }, (_, j) => w.data[r * ins + j]!), b ? b.data[r]! : 0, ...Array.from({ length: outs }, (_, o) => out.data[o * rows + r]!)];
    values.forEach((v, j) => {
      g.fillStyle = plotColor(v / max);
      g.fillRect((j + (j > ins ? 1 : 0)) * cell, r * cell, cell - 1, cell - 1);
    });
  }
}

function mount(root: HTMLElement, host: PanelHost): () => void {
  let model: nn.Sequential = nn.mlp({ sizes: [2, 6, 6, 1], activation: 'tanh', seed: 1 });
  let original: nn.Params = model.params, current: nn.Params = original;
  const before = canvas(240, 240, 'output surface before the move', { 'data-testid': 'sym-before' });
  const after = canvas(240, 240, 'output surface after the moves', { 'data-testid': 'sym-after' });
  const wBefore = canvas(240, 160, 'the chosen layer\'s neurons before: incoming weights, bias, outgoing weights per row', { 'data-testid': 'sym-w-before' });
  const wAfter = canvas(240, 160, 'the chosen layer\'s neurons after the moves', { 'data-testid': 'sym-w-after' });
  const status = el('p', { 'aria-live': 'polite', 'data-testid': 'sym-status' });
  const countBox = el('p', { 'data-testid': 'sym-count' });
  const layerSel = select('hidden layer', [], () => { fillNeurons(); render(); }, { 'data-testid': 'sym-layer' });
  const aSel = select('neuron', [], () => undefined, { 'data-testid': 'sym-a' });
  const bSel = select('with', [], () => undefined, { 'data-testid': 'sym-b' });
  const flipBtn = button('Flip sign of neuron', () => move({ kind: 'flip', layer: layer(), neuron: Number(aSel.input.value) }), { 'data-testid': 'sym-flip' });
  const source = el('p', { class: 'note' });

  const layer = (): number => Number(layerSel.input.value);
  function fillNeurons(): void {
    const w = hiddenWidths(model)[layer()] ?? 0;
    const opts = Array.from({ length: w }, (_, i) => el('option', { value: i }, String(i)));
    aSel.input.replaceChildren(...opts);
    bSel.input.replaceChildren(...opts.map((o) => o.cloneNode(true)));
    bSel.input.value = String(Math.min(1, w - 1));
    const kind = flipKind(model, layer());
    flipBtn.disabled = kind === null;
    flipBtn.title = kind === null ? `${analysis.hiddenActivations(model)[layer()]} is not odd: h(−u) ≠ ±h(u), so a sign flip changes f` : kind === 'sigmoid' ? 'σ(−u) = 1 − σ(u): also adds the outgoing weights to the next bias' : 'h(−u) = −h(u)';
  }

  function load(m: nn.Sequential, note: string): void {
    model = m;
    original = m.params;
    current = original;
    source.textContent = note;
    layerSel.input.replaceChildren(...hiddenWidths(m).map((w, l) => el('option', { value: l }, `${l} (${w} × ${analysis.hiddenActivations(m)[l]})`)));
    fillNeurons();
    const c = equivalentNetworks(m);
    countBox.textContent = `Equivalent networks: ${c.factors.join(' · ')} = ${c.text}. Counted: the parameter vectors reached by permuting each hidden layer's neurons and, in odd-activation layers (tanh, identity, softsign, hard tanh), flipping signs — all the same function, distinct when every neuron's weights are distinct and nonzero. Not counted: sigmoid's flip (it shifts the next bias), ReLU's positive rescaling (a continuum).`;
    render();
  }

  function render(): void {
    const a: number[] = [], b: number[] = [];
    host.renderSurface(before, predictor(host, model, original, a));
    host.renderSurface(after, predictor(host, model, current, b));
    drawNeurons(wBefore, model, original, layer());
    drawNeurons(wAfter, model, current, layer());
    const d = maxAbsDiff(a, b);
    root.dataset.maxdiff = String(d);
    root.dataset.changed = String(changedWeights(original, current));
    status.textContent = `${root.dataset.changed} weights differ from the original; max |Δf| over the ${a.length} surface points = ${d.toExponential(2)}`;
  }

  function move(m: SymmetryMove): void {
    try {
      current = applyMove(model, current, m);
      render();
    } catch (e) {
      status.textContent = errorText(e);
    }
  }

  const swapBtn = button('Swap neurons', () => move({ kind: 'swap', layer: layer(), a: Number(aSel.input.value), b: Number(bSel.input.value) }), { 'data-testid': 'sym-swap' });
  const reset = button('Reset', () => { current = original; render(); }, { 'data-testid': 'sym-reset' });
  const useMain = button('Use the main model', () => {
    const m = usableHostModel(host);
    if (m) load(m, 'The main model (its current weights).');
    else load(nn.mlp({ sizes: [host.getData().train.inputDim || 2, 6, 6, 1], activation: 'tanh', seed: 1 }), 'The main model is not a plain Linear/activation MLP (or there is none yet): a random 6-6 tanh net instead.');
  }, { 'data-testid': 'sym-use-main' });
  root.append(
    source,
    el('div', { class: 'controls' }, useMain, layerSel.root, aSel.root, bSel.root, swapBtn, flipBtn, reset),
    el('div', { class: 'pair' },
      el('figure', {}, before, wBefore, el('figcaption', {}, 'original weights: surface, and the layer\'s neurons (rows: in | bias | out)')),
      el('figure', {}, after, wAfter, el('figcaption', {}, 'after the moves'))),
    status, countBox,
  );
  useMain.click();
  return () => root.replaceChildren();
}

export const symmetryPanel: Panel = { id: 'symmetry', title: 'Weight-space symmetry', lectureSection: headingAnchor('9. Weight-space symmetry'), mount };
