// Prints the figures quoted in docs/playground-lecture.md, computed with the panels' own code in Node
// (seeded, so the same on every run): bump-network sup errors, gradient-flow ratios, the noise-mode band.
// Run: node --import tsx scripts/playground-lecture-figures.ts
import { Key } from 'neurite';
import { circleData, standardized, targets } from '../playground/src/lecture/data.js';
import { firstOverLast, startFlow, type FlowConfig } from '../playground/src/lecture/gradflow.js';
import { bandWidths, cubicWithGap, noiseHyperTrainer, predictiveBand } from '../playground/src/lecture/hyper-noise.js';
import { PRESETS, bumpApproximation, trainSigmoidNet } from '../playground/src/lecture/universal.js';

const r = (v: number): number => Number(v.toPrecision(3));
const f = PRESETS['lecture f']!;
const bumps = Object.fromEntries([5, 10, 20, 40, 80, 100].map((n) => [n, r(bumpApproximation(f, n).supError)]));
const trained: Record<number, number> = {};
for (const n of [5, 10, 20]) trained[n] = r((await trainSigmoidNet(f, 2 * n)).supError);

const split = circleData(200, 1), x = standardized(split), y = targets(split);
const flows: Record<string, unknown> = {};
const configs: [string, FlowConfig][] = [['sigmoid', { preset: 'sigmoid' }], ['relu-he', { preset: 'relu-he' }], ['sigmoid-bn', { preset: 'sigmoid-bn' }], ['explode', { preset: 'relu-he', initGain: 2.5 }], ['explode+clip', { preset: 'relu-he', initGain: 2.5, clipNorm: 1 }]];
for (const [name, cfg] of configs) {
  const run = startFlow({ lr: 0.05, ...cfg }, x, y);
  const steps = Array.from({ length: 300 }, () => run.step());
  const bad = steps.find((s) => !Number.isFinite(s.loss));
  flows[name] = { ratioStep1: r(firstOverLast(steps[0]!)), lossStep1: r(steps[0]!.loss), lossStep300: bad ? `non-finite at step ${bad.step}` : r(steps[299]!.loss) };
}

const data = cubicWithGap(24, 7), t = noiseHyperTrainer(data);
for (let i = 0; i < 1500; i++) t.step();
const w = bandWidths(predictiveBand(t.hypernet, -5, 5, 201, 50, Key.of(3)), data.x.data, 0.1, 1);
console.log(JSON.stringify({ bumpSupError: bumps, trainedSupError2N: trained, gradientFlow: flows, noiseBand: { near: r(w.near), far: r(w.far), ratio: r(w.far / w.near) } }, null, 1));
