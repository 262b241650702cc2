// The hypernetwork panel's noise mode: train a noise-conditioned hypernet on 1-D data and draw the
// predictive mean ± std of K sampled target nets, with the band's width near and far from the data.
import { Key } from 'neurite';
import { bandWidths, cubicWithGap, noiseHyperTrainer, predictiveBand, type NoiseHyperTrainer } from '../../lecture/hyper-noise.js';
import { axes, band, line, scatter, type Frame } from '../plot.js';
import { button, canvas, el, errorText, runLoop, slider, type Loop } from '../ui.js';

const STEPS = 1500;
const FRAME: Frame = { x0: -5, x1: 5, y0: -2.5, y1: 2.5 };

/** Mounts the noise mode into `root`; returns its cleanup. */
export function mountNoise(root: HTMLElement): () => void {
  const data = cubicWithGap(24, 7);
  root.setAttribute('data-testid', 'hn-noise');
  let trainer: NoiseHyperTrainer | null = null, loop: Loop | null = null, k = 50, steps = 0;
  const plot = canvas(640, 320, 'predictive mean and ± one standard deviation of the sampled target networks, with the training points', { 'data-testid': 'hn-plot' });
  const status = el('p', { 'aria-live': 'polite', 'data-testid': 'hn-status' }, 'Press Train.');
  const counts = el('p', { 'data-testid': 'hn-counts' });

  function drawBand(): void {
    axes(plot, FRAME, 'x', 'y');
    scatter(plot, FRAME, Array.from(data.x.data).flatMap((x, i) => [x, data.y.data[i]!]), () => '#222', 3);
    if (!trainer) return;
    const b = predictiveBand(trainer.hypernet, FRAME.x0, FRAME.x1, 201, k, Key.of(3));
    band(plot, FRAME, b.xs, b.mean, b.std.map((s) => 2 * s), 'rgba(31,119,180,0.15)');
    band(plot, FRAME, b.xs, b.mean, b.std, 'rgba(31,119,180,0.3)');
    line(plot, FRAME, b.xs, b.mean, '#1f77b4', 2);
    const w = bandWidths(b, data.x.data, 0.1, 1);
    root.dataset.near = String(w.near);
    root.dataset.far = String(w.far);
    root.dataset.steps = String(steps);
    status.textContent = `step ${steps}/${STEPS}: mean std ${w.near.toFixed(3)} within 0.1 of a training x, ${w.far.toFixed(3)} at ≥ 1 away (${(w.far / w.near).toFixed(1)}×), K = ${k} sampled nets`;
  }

  const train = button('Train', () => {
    loop?.stop();
    trainer = noiseHyperTrainer(data);
    steps = 0;
    const h = trainer.hypernet;
    counts.textContent = `hypernet: ${h.numParams()} own parameters generating a 1-32-1 ReLU target of ${h.targetCount()} (ratio ${h.compressionRatio().toFixed(2)}); condition z ~ N(0, I₈).`;
    let lastDraw = 0;
    loop = runLoop({
      step: () => { trainer!.step(); steps++; return steps < STEPS; },
      frame: () => { if (steps - lastDraw >= 50 || steps >= STEPS) { lastDraw = steps; drawBand(); } },
      onError: (e) => { status.textContent = errorText(e); },
    });
  }, { 'data-testid': 'hn-train' });
  const kSlider = slider('K sampled nets', 5, 100, 5, k, (v) => { k = v; if (!loop?.running) drawBand(); }, { 'data-testid': 'hn-k' });
  root.append(
    el('p', {}, 'Each forward draws z ~ N(0, I) and the hypernet turns it into a whole target network. Trained with a Gaussian likelihood, a prior on the generated weights and a repulsion between samples, the nets agree where the data pin them down (y = x³/27 + noise on [−3, −1] ∪ [1, 3]) and spread apart elsewhere.'),
    el('div', { class: 'controls' }, train, kSlider.root),
    el('figure', {}, plot, el('figcaption', {}, 'line: the mean of K sampled nets; dark band ± 1 std, light band ± 2 std; dots: the 24 training points')), status, counts,
  );
  drawBand();
  return () => { loop?.stop(); root.replaceChildren(); };
}
