// The hypernetwork panel's task mode: one task-conditioned hypernet for T rotated/shifted copies of the
// data; the slider interpolates task embeddings, so the generated target's surface morphs between tasks.
import { hyper, nn } from 'neurite';
import type { PanelHost } from '../../host.js';
import { circleData, planeSplit, type Split } from '../../lecture/data.js';
import { parameterCounts, surfaceAt, taskHyperTrainer, taskTransform, type TaskHyperTrainer } from '../../lecture/hyper-task.js';
import { heatmap, heatmapPoints } from '../plot.js';
import { button, canvas, el, errorText, runLoop, slider, type Loop } from '../ui.js';

const TASKS = 3, STEPS = 300, RANGE = 8;

/** Task t's points in the plane (the transform without the 1/4 input scaling). */
function taskPoints(split: Split, t: number): Float32Array {
  const { angle, shift } = taskTransform(t, TASKS), c = Math.cos(angle), s = Math.sin(angle), out = new Float32Array(split.n * 2);
  for (let i = 0; i < split.n; i++) {
    const a = split.x[2 * i]!, b = split.x[2 * i + 1]!;
    out[2 * i] = c * a - s * b + shift[0];
    out[2 * i + 1] = s * a + c * b + shift[1];
  }
  return out;
}

/** Own parameters vs generated ones for bigger targets under the same chunked generator (no training). */
function compressionTable(): HTMLElement {
  const rows = [[2, 16, 16, 1], [2, 64, 64, 1], [784, 256, 10]].map((sizes) => {
    const h = new hyper.HyperNetwork({ target: nn.mlp({ sizes }), condition: { kind: 'task', numTasks: TASKS, dim: 4 }, hidden: [24], chunkSize: 72 });
    return el('tr', {}, el('td', {}, sizes.join('-')), el('td', {}, String(h.targetCount())), el('td', {}, String(h.numParams())), el('td', {}, h.compressionRatio().toFixed(3)));
  });
  return el('table', { 'data-testid': 'ht-compression' }, el('caption', {}, 'The same chunked generator (4-D task embedding, hidden [24], chunks of 72) for bigger targets'),
    el('tr', {}, el('th', {}, 'target'), el('th', {}, 'generated'), el('th', {}, 'own'), el('th', {}, 'own / generated')), ...rows);
}

/** Mounts the task mode into `root`; returns its cleanup. */
export function mountTask(root: HTMLElement, host: PanelHost): () => void {
  const fromHost = planeSplit(host.getData().train);
  const split = fromHost ?? circleData(200, 1);
  let trainer: TaskHyperTrainer | null = null, loop: Loop | null = null, position = 0, steps = 0, loss = NaN;
  const view = canvas(320, 320, 'the generated target network\'s output over the plane, with the nearest task\'s data', { 'data-testid': 'ht-surface' });
  const status = el('p', { 'aria-live': 'polite', 'data-testid': 'ht-status' }, 'Press Train.');
  const counts = el('p', { 'data-testid': 'ht-counts' });

  function draw(): void {
    const t = Math.round(position);
    if (trainer) heatmap(view, RANGE, 40, surfaceAt(trainer.hypernet, position));
    else view.getContext('2d')!.clearRect(0, 0, view.width, view.height);
    heatmapPoints(view, RANGE, taskPoints(split, t), split.y);
    const { angle, shift } = taskTransform(position, TASKS);
    status.textContent = `${trainer ? `step ${steps}/${STEPS}, mean loss ${loss.toFixed(4)}. ` : ''}Slider ${position.toFixed(2)}: between tasks ${Math.floor(position)} and ${Math.ceil(position)} (the data: rotated ${((angle * 180) / Math.PI).toFixed(0)}°, shifted ${shift[0].toFixed(2)}); dots: task ${t}.`;
    root.dataset.position = String(position);
  }

  const train = button('Train', () => {
    loop?.stop();
    trainer = taskHyperTrainer(split, TASKS);
    steps = 0;
    const c = parameterCounts(trainer.hypernet);
    counts.textContent = `This hypernet: ${c.own} own parameters (generator + embeddings) generate ${c.target} target weights, ratio ${c.ratio.toFixed(2)} — a small target costs more to generate than to store; the table shows where generation starts to compress.`;
    let lastDraw = 0;
    loop = runLoop({
      step: () => { loss = trainer!.step(); steps++; return steps < STEPS; },
      frame: () => { if (steps - lastDraw >= 20 || steps >= STEPS) { lastDraw = steps; draw(); } },
      onError: (e) => { status.textContent = errorText(e); },
    });
  }, { 'data-testid': 'ht-train' });
  const pos = slider('task', 0, TASKS - 1, 0.05, 0, (v) => { position = v; draw(); }, { 'data-testid': 'ht-task' });
  root.append(
    el('p', {}, `One hypernet, ${TASKS} tasks: the data rotated by 0°, 45°, 90° and shifted. Each task has a learned embedding e_t; the generator maps it to all weights of a 2-16-16-1 tanh net. Between tasks the slider feeds (1−a)·e_t + a·e_{t+1}.`),
    el('p', { class: 'note' }, fromHost ? 'Data: the main view\'s training points.' : 'Data: a circle set (the main view\'s data is not two-class 2-D points).'),
    el('div', { class: 'controls' }, train, pos.root), view, status, counts, compressionTable(),
  );
  draw();
  return () => { loop?.stop(); root.replaceChildren(); };
}
