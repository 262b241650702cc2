// The experiments of docs/tune.md, from the same API and trial runner as `neurite tune`:
//   tuned    the CLI defaults against a TPE study (validation picks the trial; its test metric is reported)
//   samplers TPE against random search: same space, trial budget and seeds
//   asha     random search with ASHA against random search without pruning: best value and epochs spent
// Every study scores trials on the validation split only; the test split is read once per chosen trial.
// Studies train a fixed train.epochs per data set (--epochs; ASHA's full budget); the defaults run uses the default rule.
//   node --import tsx scripts/tune-experiments.ts [--experiments tuned,samplers,asha] [--datasets iris,wine,digits,fashion_mnist]
//        [--seeds 5] [--trials 30] [--epochs iris=100,wine=100,digits=30,fashion_mnist=10] [--subset fashion_mnist=10000]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveConfig } from '../src/node/cli/config.js';
import { runTrain } from '../src/node/cli/run.js';
import { selectBackend } from '../src/node/cli/backend-choice.js';
import { getBackend } from '../src/backend/registry.js';
import { runCliTrial } from '../src/node/tune/trial-run.js';
import { type StudySummary, tune } from '../src/tune/tune.js';
import type { PrunerSettings } from '../src/tune/pruners/index.js';
import { listDatasets } from '../src/node/data/fashion-mnist.js';

const { values: flags } = parseArgs({ options: {
  experiments: { type: 'string', default: 'tuned,samplers,asha' }, datasets: { type: 'string', default: 'iris,wine,digits,fashion_mnist' },
  seeds: { type: 'string', default: '5' }, trials: { type: 'string', default: '30' },
  epochs: { type: 'string', default: 'iris=100,wine=100,breast_cancer=60,digits=30,fashion_mnist=10' }, subset: { type: 'string', default: 'fashion_mnist=10000' },
} });
const perData = (s: string): Record<string, number> => Object.fromEntries(s.split(',').filter(Boolean).map((kv) => { const [k, v] = kv.split('='); return [k!, Number(v)]; }));
const EPOCHS = perData(flags.epochs!), SUBSET = perData(flags.subset!);
const SEEDS = Number(flags.seeds), TRIALS = Number(flags.trials);
const quiet = { out: () => {}, err: () => {}, isTTY: false };
const root = mkdtempSync(join(tmpdir(), 'neurite-tune-exp-'));

/** One space for every data set and sampler (no per-task hand tuning). */
const SPACE = {
  'train.optimizer': { type: 'categorical', choices: ['adam', 'adamw', 'momentum'] },
  'train.lr': { type: 'float', low: 1e-4, high: 0.3, log: true },
  'train.batchSize': { type: 'categorical', choices: [16, 32, 64, 128] },
  'train.weightDecay': { type: 'float', low: 1e-6, high: 1e-2, log: true, when: { 'train.optimizer': ['adamw', 'momentum'] } },
  'model.hidden': { type: 'layers', count: { low: 1, high: 3 }, width: { type: 'int', low: 16, high: 256, log: true } },
  'model.dropout': { type: 'float', low: 0, high: 0.5 },
};

function baseConfig(dataset: string): Record<string, unknown> {
  return { data: { dataset, ...(SUBSET[dataset] ? { subset: SUBSET[dataset] } : {}) }, train: { epochs: EPOCHS[dataset] ?? 30 } };
}

/** A study of `trials` trials on `dataset`; returns the summary and the chosen trial's metrics. */
async function study(dataset: string, sampler: 'tpe' | 'random', seed: number, pruner: PrunerSettings): Promise<{ s: StudySummary; val: number; test: number }> {
  const dir = join(root, `${dataset}-${sampler}-${pruner.name}-${seed}`);
  const s = await tune({
    space: SPACE, trials: TRIALS, direction: 'maximize', metric: 'accuracy', sampler: { name: sampler, seed }, pruner,
    objective: (t) => runCliTrial(t, { studyDir: dir, base: baseConfig(dataset), metric: 'accuracy', say: () => {} }),
  });
  const metrics = JSON.parse(readFileSync(join(dir, s.best!.runDir!, 'metrics.json'), 'utf8')) as { test: { accuracy: number } };
  rmSync(dir, { recursive: true, force: true });
  return { s, val: s.best!.value!, test: metrics.test.accuracy };
}

const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
const sd = (xs: number[]): number => Math.sqrt(xs.reduce((a, x) => a + (x - mean(xs)) ** 2, 0) / Math.max(1, xs.length - 1));
const ms = (xs: number[]): string => `${mean(xs).toFixed(3)} ± ${sd(xs).toFixed(3)}`;

async function tuned(dataset: string): Promise<void> {
  const d = await runTrain(resolveConfig({ data: baseConfig(dataset).data }, { out: join(root, `${dataset}-defaults`) }), quiet);
  const t = await study(dataset, 'tpe', 0, { name: 'none' });
  console.log(`| ${dataset} | ${d.metrics.validation!.accuracy!.toFixed(3)} | ${d.metrics.test!.accuracy!.toFixed(3)} | ${t.val.toFixed(3)} | ${t.test.toFixed(3)} | ${TRIALS} TPE trials, seed 0 |`);
}

async function samplers(dataset: string): Promise<void> {
  const res: Record<string, { val: number[]; test: number[] }> = { tpe: { val: [], test: [] }, random: { val: [], test: [] } };
  for (let seed = 0; seed < SEEDS; seed++) {
    for (const name of ['tpe', 'random'] as const) { const r = await study(dataset, name, seed, { name: 'none' }); res[name]!.val.push(r.val); res[name]!.test.push(r.test); }
  }
  console.log(`| ${dataset} | ${ms(res.tpe!.val)} | ${ms(res.random!.val)} | ${ms(res.tpe!.test)} | ${ms(res.random!.test)} | ${SEEDS} seeds × ${TRIALS} trials |`);
}

async function asha(dataset: string): Promise<void> {
  const full = { val: [] as number[], epochs: [] as number[] }, pruned = { val: [] as number[], epochs: [] as number[] };
  for (let seed = 0; seed < SEEDS; seed++) {
    const a = await study(dataset, 'random', seed, { name: 'none' }), b = await study(dataset, 'random', seed, { name: 'asha', minResource: 1, reductionFactor: 3 });
    full.val.push(a.val); full.epochs.push(a.s.steps); pruned.val.push(b.val); pruned.epochs.push(b.s.steps);
  }
  const gap = (mean(full.val) - mean(pruned.val)) / mean(full.val);
  console.log(`| ${dataset} | ${ms(full.val)} | ${ms(pruned.val)} | ${(100 * gap).toFixed(2)} % | ${mean(full.epochs).toFixed(0)} | ${mean(pruned.epochs).toFixed(0)} (${(100 * mean(pruned.epochs) / mean(full.epochs)).toFixed(0)} %) |`);
}

await selectBackend(null);
const fashion = listDatasets().find((d) => d.name.startsWith('fashion'))?.available ?? false;
const datasets = flags.datasets!.split(',').filter((d) => (d.startsWith('fashion') && !fashion ? (console.error(`skipping ${d}: not installed (neurite datasets)`), false) : true));
console.log(`backend ${getBackend().name}, ${new Date().toISOString()}`);
try {
  for (const exp of flags.experiments!.split(',')) {
    if (exp === 'tuned') console.log('\n| data set | defaults: validation | defaults: test | tuned: validation | tuned: test | budget |\n|---|---|---|---|---|---|');
    if (exp === 'samplers') console.log('\n| data set | TPE best validation | random best validation | TPE test of best | random test of best | runs |\n|---|---|---|---|---|---|');
    if (exp === 'asha') console.log('\n| data set | random best validation | random+ASHA best validation | gap | random epochs | ASHA epochs |\n|---|---|---|---|---|---|');
    for (const d of datasets) await ({ tuned, samplers, asha }[exp as 'tuned'] ?? (() => { throw new Error(`unknown experiment ${exp}`); }))(d);
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
