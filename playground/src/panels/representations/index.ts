// The representations panel: pick a hidden layer of the main model (or a demo net trained here) and see
// its activations of the training data projected by PCA onto the layer's two leading principal axes.
import { adam, fitAsync, nn, Optimizer, regressionHead, Tensor } from 'neurite';
import { headingAnchor } from '../../lecture/tour.js';
import type { Panel, PanelHost } from '../../host.js';
import { circleData, targets } from '../../lecture/data.js';
import { hiddenRepresentations, project2d, type LayerActivations } from '../../lecture/pca.js';
import { axes, labelColors, scatter } from '../plot.js';
import { button, canvas, el, errorText, select } from '../ui.js';

function mount(root: HTMLElement, host: PanelHost): () => void {
  let layers: LayerActivations[] = [], labels: Float32Array = new Float32Array(0);
  const plot = canvas(420, 420, 'the chosen layer\'s activations projected to two principal components', { 'data-testid': 'rep-plot' });
  const status = el('p', { 'aria-live': 'polite', 'data-testid': 'rep-status' });
  const layerSel = select('layer', [], () => show(), { 'data-testid': 'rep-layer' });
  let ctl: AbortController | null = null;

  function show(): void {
    const layer = layers[Number(layerSel.input.value)];
    if (!layer) return;
    const { points, explained, width } = project2d(layer.values);
    let lo = Infinity, hi = -Infinity;
    points.forEach((v) => { lo = Math.min(lo, v); hi = Math.max(hi, v); });
    const pad = (hi - lo) * 0.05 || 1;
    axes(plot, { x0: lo - pad, x1: hi + pad, y0: lo - pad, y1: hi + pad }, 'PC 1', 'PC 2');
    scatter(plot, { x0: lo - pad, x1: hi + pad, y0: lo - pad, y1: hi + pad }, points, labelColors(labels));
    root.dataset.explained = explained.join(',');
    status.textContent = `${layer.name}: ${width} units; PC 1 explains ${(100 * explained[0]).toFixed(1)} %, PC 2 ${(100 * explained[1]).toFixed(1)} % of the variance.`;
  }

  function load(model: nn.Sequential, split: { x: Float32Array; y: Float32Array; n: number; inputDim: number }, note: string): void {
    const x = new Tensor(Float32Array.from(split.x), [split.n, split.inputDim]);
    layers = [{ name: 'input', values: x }, ...hiddenRepresentations(model, x)];
    labels = Float32Array.from(split.y);
    layerSel.input.replaceChildren(...layers.map((l, i) => el('option', { value: i }, `${l.name} (${l.values.shape[1]} units)`)));
    layerSel.input.value = String(layers.length - 1);
    root.dataset.layers = String(layers.length);
    show();
    status.textContent = `${note} ${status.textContent}`;
  }

  const useMain = button('Use the main model', () => {
    const m = host.getModel(), split = host.getData().train;
    if (m instanceof nn.Sequential && split.n > 1) {
      try { load(m, split, 'The main model.'); return; } catch (e) { status.textContent = errorText(e); return; }
    }
    status.textContent = 'There is no main Sequential model with data yet: train the demo net.';
  }, { 'data-testid': 'rep-use-main' });

  const demo = button('Train a demo net here (2-8-8-8-1 tanh)', async () => {
    ctl?.abort();
    const mine = (ctl = new AbortController());
    const split = host.getData().train.n > 1 ? host.getData().train : circleData(200, 1);
    const model = nn.mlp({ sizes: [split.inputDim, 8, 8, 8, 1], activation: 'tanh', seed: 1 });
    const x = new Tensor(Float32Array.from(split.x), [split.n, split.inputDim]);
    status.textContent = 'training…';
    try {
      await fitAsync({ model, head: regressionHead(), optimizer: new Optimizer(adam({ lr: 0.02 }), model), x, y: targets(split), epochs: 150, batchSize: 32, seed: 1, signal: mine.signal });
      if (!mine.signal.aborted) load(model, split, 'Demo net after 150 epochs (MSE on the labels).');
    } catch (e) {
      status.textContent = errorText(e);
    }
  }, { 'data-testid': 'rep-demo' });

  root.append(
    el('p', {}, 'Colours are the labels (classes, or the target value for regression). Early layers keep the input\'s geometry; later ones pull the classes apart, so a line (a linear probe) can separate them.'),
    el('div', { class: 'controls' }, useMain, demo, layerSel.root),
    plot, status,
  );
  useMain.click();
  return () => { ctl?.abort(); root.replaceChildren(); };
}

export const representationsPanel: Panel = { id: 'representations', title: 'Representations', lectureSection: headingAnchor('12. Representations'), mount };
