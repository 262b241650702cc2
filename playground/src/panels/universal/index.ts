// The universal-approximation panel: draw a 1-D target (pointer or keyboard, or a preset); N bumps of
// two steep sigmoids each approximate it analytically, a trained net with 2N sigmoids beside it; sup errors.
import { headingAnchor } from '../../lecture/tour.js';
import type { Panel } from '../../host.js';
import { PRESETS, bumpApproximation, curveFunction, curveOf, gridFrom, paintStroke, trainSigmoidNet, type CurveGrid } from '../../lecture/universal.js';
import { axes, fromPixel, line, toPixel, type Frame } from '../plot.js';
import { button, canvas, el, errorText, slider } from '../ui.js';

const FRAME: Frame = { x0: 0, x1: 1, y0: -0.2, y1: 1.2 };
const SAMPLES = 101;

function drawCurves(c: HTMLCanvasElement, target: CurveGrid, fit: Float64Array | null, color: string, cursor: number | null): void {
  axes(c, FRAME, 'x');
  const tx = Array.from(target, (_, i) => i / (target.length - 1));
  line(c, FRAME, tx, target, '#222', 2);
  if (fit) line(c, FRAME, Array.from(fit, (_, i) => i / (fit.length - 1)), fit, color, 1.5);
  if (cursor !== null) {
    const g = c.getContext('2d')!, [px, py] = toPixel(c, FRAME, cursor / (target.length - 1), target[cursor]!);
    g.strokeStyle = '#d62728';
    g.strokeRect(px - 4, py - 4, 8, 8);
  }
}

function mount(root: HTMLElement): () => void {
  const grid = gridFrom(PRESETS['lecture f']!, SAMPLES);
  let bumps = 10, cursor: number | null = null, trained: Float64Array | null = null, ctl: AbortController | null = null;
  const draw = canvas(380, 240, 'target curve: drag to draw; arrow keys move the cursor and change its value', { tabindex: 0, 'data-testid': 'ua-draw' });
  const bumpView = canvas(380, 240, 'the constructive bump network against the target', { 'data-testid': 'ua-bumps' });
  const trainView = canvas(380, 240, 'the trained sigmoid network against the target', { 'data-testid': 'ua-trained' });
  const bumpErr = el('output', { 'data-testid': 'ua-bump-error' }), trainErr = el('output', { 'data-testid': 'ua-train-error' }, 'not trained yet');

  function refresh(): void {
    const f = curveFunction(grid);
    const bump = bumpApproximation(f, bumps);
    bumpErr.textContent = `sup error ${bump.supError.toFixed(4)} (${2 * bumps} sigmoids)`;
    root.dataset.bumpError = String(bump.supError);
    drawCurves(draw, grid, null, '', cursor);
    drawCurves(bumpView, grid, curveOf(bump.model, 401), '#1f77b4', null);
    drawCurves(trainView, grid, trained, '#ff7f0e', null);
  }

  let last: [number, number] | null = null;
  const at = (e: PointerEvent): [number, number] => { const r = draw.getBoundingClientRect(); return fromPixel(draw, FRAME, ((e.clientX - r.left) * draw.width) / r.width, ((e.clientY - r.top) * draw.height) / r.height); };
  draw.addEventListener('pointerdown', (e) => { draw.setPointerCapture(e.pointerId); last = at(e); paintStroke(grid, last[0], last[1], last[0], last[1]); trained = null; refresh(); });
  draw.addEventListener('pointermove', (e) => { if (!last) return; const p = at(e); paintStroke(grid, last[0], last[1], p[0], p[1]); last = p; refresh(); });
  draw.addEventListener('pointerup', () => { last = null; });
  draw.addEventListener('keydown', (e) => {
    const step = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, 0.05], ArrowDown: [0, -0.05] }[e.key];
    if (!step) return;
    e.preventDefault();
    cursor = Math.min(Math.max((cursor ?? 50) + step[0]!, 0), SAMPLES - 1);
    grid[cursor] = Math.min(Math.max(grid[cursor]! + step[1]!, FRAME.y0), FRAME.y1);
    if (step[1] !== 0) trained = null;
    refresh();
  });

  const presets = el('div', { class: 'controls', role: 'group', 'aria-label': 'preset targets' }, ...Object.entries(PRESETS).map(([name, f]) =>
    button(name, () => { grid.set(gridFrom(f, SAMPLES)); trained = null; trainErr.textContent = 'not trained yet'; refresh(); }, { 'data-testid': `ua-preset-${name.replace(/\s/g, '-')}` })));
  const n = slider('bumps N', 1, 100, 1, bumps, (v) => { bumps = v; trained = null; trainErr.textContent = 'not trained yet'; refresh(); }, { 'data-testid': 'ua-n' });
  const train = button('Train a net with 2N sigmoids', async () => {
    ctl?.abort();
    const mine = (ctl = new AbortController());
    trainErr.textContent = 'training…';
    try {
      const r = await trainSigmoidNet(curveFunction(grid), 2 * bumps, { signal: mine.signal, onEpoch: (e) => { if (e % 50 === 0) trainErr.textContent = `training… epoch ${e}/400`; } });
      if (mine.signal.aborted) return;
      trained = curveOf(r.model, 401);
      trainErr.textContent = `sup error ${r.supError.toFixed(4)} (1-${2 * bumps}-1 sigmoid net, 400 epochs of Adam on 200 points)`;
      root.dataset.trainError = String(r.supError);
      refresh();
    } catch (e) {
      trainErr.textContent = errorText(e);
    }
  }, { 'data-testid': 'ua-train' });
  root.append(
    el('p', {}, 'Draw the target on the left (drag, or focus it and use the arrow keys). The bump network is built, not trained: bump i is σ(k(x−a_i)) − σ(k(x−b_i)) with height f(midpoint), k = 40N.'),
    presets, el('div', { class: 'controls' }, n.root, train),
    el('div', { class: 'triple' },
      el('figure', {}, draw, el('figcaption', {}, 'target')),
      el('figure', {}, bumpView, el('figcaption', {}, 'constructive: ', bumpErr)),
      el('figure', {}, trainView, el('figcaption', {}, 'trained: ', trainErr))),
  );
  refresh();
  return () => { ctl?.abort(); root.replaceChildren(); };
}

export const universalPanel: Panel = { id: 'universal', title: 'Universal approximation', lectureSection: headingAnchor('11. Universal approximation'), mount };
