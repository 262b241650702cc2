// The gradient-flow panel: per-layer gradient norms over training steps on a log scale, for the
// panel's own deep-net experiments (vanishing / not / exploding ± clipping) or the shell's live model.
import { headingAnchor } from '../../lecture/tour.js';
import type { Panel, PanelHost } from '../../host.js';
import { circleData, standardized, targets } from '../../lecture/data.js';
import { firstOverLast, startFlow, type FlowConfig, type FlowPreset, type FlowStep } from '../../lecture/gradflow.js';
import { PALETTE, axes, line } from '../plot.js';
import { button, canvas, checkbox, el, errorText, runLoop, select, type Loop } from '../ui.js';

const STEPS = 300;
const PRESETS: readonly (readonly [FlowPreset, string])[] = [
  ['sigmoid', '6 × 8 sigmoid (PyTorch default init)'],
  ['relu-he', '6 × 8 ReLU, He init'],
  ['sigmoid-bn', '6 × 8 sigmoid + batch norm'],
];

/** Draws norms[step][layer] as one line per layer on a log axis. */
function draw(c: HTMLCanvasElement, history: readonly { layers: string[]; norms: number[] }[], maxSteps: number): void {
  const finite = history.flatMap((h) => h.norms.filter((v) => v > 0 && Number.isFinite(v)));
  const lo = finite.length ? Math.min(...finite) : 1e-6, hi = finite.length ? Math.max(...finite) : 1;
  const f = { x0: 1, x1: Math.max(maxSteps, 2), y0: 10 ** Math.floor(Math.log10(lo)), y1: 10 ** Math.ceil(Math.log10(hi) + 1e-9), logY: true };
  axes(c, f, 'step', '‖∂L/∂θ‖ per layer (log)');
  const layers = history[0]?.layers ?? [];
  const xs = history.map((_, i) => i + 1);
  layers.forEach((name, l) => line(c, f, xs, history.map((h) => h.norms[l] ?? NaN), PALETTE[l % PALETTE.length]!));
}

/** The depth profile: ‖g_ℓ‖ against layer ℓ at the first step (grey) and the latest (blue). */
function drawProfile(c: HTMLCanvasElement, first: readonly number[], latest: readonly number[]): void {
  const all = [...first, ...latest].filter((v) => v > 0 && Number.isFinite(v));
  const lo = all.length ? Math.min(...all) : 1e-6, hi = all.length ? Math.max(...all) : 1;
  const f = { x0: 1, x1: Math.max(first.length, 2), y0: 10 ** Math.floor(Math.log10(lo)), y1: 10 ** Math.ceil(Math.log10(hi) + 1e-9), logY: true };
  axes(c, f, 'layer (input → output)', '‖g_ℓ‖ by layer');
  const xs = first.map((_, i) => i + 1);
  line(c, f, xs, first, '#999', 2);
  line(c, f, xs, latest, '#1f77b4', 2);
}

function legend(layers: readonly string[]): HTMLElement {
  return el('ul', { class: 'legend' }, ...layers.map((name, l) => el('li', { style: `color:${PALETTE[l % PALETTE.length]}` }, `■ ${name}`)));
}

function describe(s: FlowStep): string {
  const r = firstOverLast(s);
  if (!Number.isFinite(s.loss)) return `step ${s.step}: the loss is ${s.loss} — the gradients exploded (turn on clipping)`;
  return `step ${s.step}: loss ${s.loss.toFixed(4)}, ‖g_first‖/‖g_last‖ = ${r.toExponential(2)}, global ‖g‖ = ${s.globalNorm.toExponential(2)} (applied ${s.appliedNorm.toExponential(2)})`;
}

function mount(root: HTMLElement, host: PanelHost): () => void {
  let cfg: FlowConfig = { preset: 'sigmoid', lr: 0.05 };
  let source: 'experiment' | 'live' = 'experiment';
  let loop: Loop | null = null;
  let history: FlowStep[] = [];
  const live: { layers: string[]; norms: number[] }[] = [];
  const plot = canvas(640, 300, 'gradient norm per layer over training steps, log scale', { 'data-testid': 'gf-plot' });
  const profile = canvas(360, 300, 'gradient norm against layer depth at the first step and the latest step, log scale', { 'data-testid': 'gf-profile' });
  const status = el('p', { 'aria-live': 'polite', 'data-testid': 'gf-status' }, 'Press Run.');
  const legendBox = el('div');
  const explode = checkbox('exploding init (weights × 2.5 He scale, ReLU)', false, (on) => { if (on) preset.input.value = 'relu-he'; restart({ initGain: on ? 2.5 : undefined, ...(on ? { preset: 'relu-he' as const } : {}) }); }, { 'data-testid': 'gf-explode' });
  const clip = checkbox('clip ‖g‖ to 1 (clipByGlobalNorm)', false, (on) => restart({ clipNorm: on ? 1 : null }), { 'data-testid': 'gf-clip' });
  const preset = select('network', PRESETS, (v) => { explode.input.checked = false; restart({ preset: v as FlowPreset, initGain: undefined }); }, { 'data-testid': 'gf-preset' });
  const src = select('gradients of', [['experiment', 'this panel\'s experiment'], ['live', 'the main model (live)']], (v) => { source = v as typeof source; restart({}); }, { 'data-testid': 'gf-source' });
  const run = button('Run', () => start(), { 'data-testid': 'gf-run' });

  function restart(patch: Partial<FlowConfig>): void {
    loop?.stop();
    cfg = { ...cfg, ...patch };
    history = [];
    root.dataset.ratio = '';
    draw(plot, source === 'live' ? live : [], STEPS);
    drawProfile(profile, [], []);
    status.textContent = source === 'live' ? 'Showing the main model\'s gradient norms as it trains.' : 'Press Run.';
  }

  function start(): void {
    if (source === 'live') return;
    restart({});
    const split = host.getData().train.n > 0 ? host.getData().train : circleData(200, 1);
    const flow = startFlow(cfg, standardized(split), targets(split));
    loop = runLoop({
      step: () => {
        const s = flow.step();
        history.push(s);
        return history.length < STEPS && Number.isFinite(s.loss);
      },
      frame: () => {
        const s = history.at(-1)!;
        draw(plot, history, STEPS);
        drawProfile(profile, history[0]!.norms, s.norms);
        legendBox.replaceChildren(legend(s.layers));
        status.textContent = `step 1: ‖g_first‖/‖g_last‖ = ${firstOverLast(history[0]!).toExponential(2)}. ${describe(s)}`;
        root.dataset.ratio = String(firstOverLast(history[0]!));
        root.dataset.steps = String(history.length);
      },
      onError: (e) => { status.textContent = errorText(e); },
    });
  }

  const off = host.onSnapshot((snap) => {
    live.push({ layers: snap.gradNorms.map((g) => g.layer), norms: snap.gradNorms.map((g) => g.norm) });
    if (source === 'live') { draw(plot, live, Math.max(live.length, 2)); drawProfile(profile, live[0]!.norms, live.at(-1)!.norms); legendBox.replaceChildren(legend(live[0]!.layers)); status.textContent = `epoch ${snap.epoch}: train loss ${snap.trainLoss.toFixed(4)}`; }
  });
  root.append(
    el('p', {}, 'Each line is one Linear layer\'s gradient norm ‖∂L/∂θ_ℓ‖ (MSE on the standardised training data, full-batch SGD, lr 0.05), measured before clipping.'),
    el('div', { class: 'controls' }, src.root, preset.root, explode.root, clip.root, run),
    el('div', { class: 'pair' }, el('figure', {}, plot, el('figcaption', {}, 'over steps')), el('figure', {}, profile, el('figcaption', {}, 'by layer: grey at step 1, blue now'))),
    legendBox, status,
    el('p', { class: 'note' }, 'With sigmoid, each layer multiplies the backward signal by σ\'(u) ≤ 1/4 times small weights, so the first layer learns ~10⁵× slower than the last; the net then settles on the mean (loss = Var(y)) with every gradient tiny. ReLU + He keeps the backward variance constant per layer; batch norm re-centres each layer\'s inputs. The exploding init (2.5 × He) multiplies it by about 2.5 per layer instead: huge steps, a non-finite loss within a few steps, unless clipping caps the update.'),
  );
  draw(plot, [], STEPS);
  return () => { loop?.stop(); off(); root.replaceChildren(); };
}

export const gradientFlowPanel: Panel = { id: 'gradient-flow', title: 'Gradient flow', lectureSection: headingAnchor('10. Vanishing and exploding gradients'), mount };
