// The three experiments of issue 18, each returning its figures and a markdown section:
// tuned vs the CLI defaults (validation and the untouched test split, over fresh training seeds),
// TPE vs random search at equal trials over sampler seeds, and ASHA vs random search at fixed epochs.
import { parseSpace, toOverrides } from '../../src/tune/index.js';
import { runConfig, trainRun, type TrainResult } from './trainer.js';
import { ACCURACY, LOSS, type Objective, type StudyRun, SPLIT_SEED, TRIAL_SEED, runStudy } from './studies.js';
import { type Budget, type Task, withEpochs } from './tasks.js';
import { mean, pm, range, short, std, table } from './stats.js';

/** Progress lines (stderr). */
export type Say = (line: string) => void;

const seedList = (from: number, n: number): number[] => Array.from({ length: n }, (_, i) => from + i);
const better = (m: Objective, a: number, b: number): boolean => (m.direction === 'minimize' ? a < b : a > b);
const f4 = (v: number): string => v.toFixed(4);

function studyLine(task: Task, label: string, run: StudyRun): string {
  const c = run.summary.counts;
  return `${task.name} ${label}: best validation ${run.summary.metric} ${f4(run.bestSoFar.at(-1)!)} (${c.complete} complete, ${c.pruned} pruned, ${c.failed} failed; ${run.epochs} epochs; ${run.seconds.toFixed(0)} s)`;
}

/** How a study trains: the task's space, or fixed epochs (epochs not searched) without or with ASHA. */
export type StudyMode = 'space' | 'fixed' | 'asha';

/** A study of `task` with the given sampler, progress said. */
export async function study(task: Task, budget: Budget, sampler: 'tpe' | 'random', seed: number, mode: StudyMode, say: Say): Promise<StudyRun> {
  const fixed = mode !== 'space';
  const space = withEpochs(task.space, fixed ? null : budget.epochs);
  const base = fixed ? { ...task.base, train: { epochs: budget.ashaEpochs } } : task.base;
  const cv = fixed ? 1 : budget.cv;
  const run = await runStudy(task, { space, base, trials: fixed ? budget.ashaTrials : budget.trials, sampler: { name: sampler, seed }, metric: fixed ? ACCURACY : LOSS, cv, ...(mode === 'asha' ? { pruner: { name: 'asha' as const } } : {}) });
  say(studyLine(task, `${sampler} seed ${seed}${fixed ? `, ${budget.ashaEpochs} epochs${mode === 'asha' ? ', ASHA' : ''}` : cv > 1 ? `, ${cv}-fold CV` : ''}`, run));
  return run;
}

export interface TunedResult {
  task: string; trials: number; bestParams: Record<string, unknown>; evalSeeds: number[];
  /** Folds of the study's score (1: the fixed validation split). */
  cv: number;
  /** The study's score (CV mean at training seed 0) of the best trial and of the defaults, and their per-fold values. */
  trialValue: { tuned: number; defaults: number };
  foldValues: { tuned: number[]; defaults: number[] };
  tuned: { valAccuracy: number[]; valLoss: number[]; testAccuracy: number[]; testLoss: number[] };
  defaults: { valAccuracy: number[]; valLoss: number[]; testAccuracy: number[]; testLoss: number[]; chosen: TrainResult['chosen'] };
}

/**
 * Experiment 1: the best trial of `tpe` (chosen on validation only) and the CLI defaults, each
 * trained with fresh seeds 1..n on the same split and scored once on validation and test.
 */
export async function tunedVsDefaults(task: Task, tpe: StudyRun, evalSeeds: number, say: Say): Promise<{ result: TunedResult; markdown: string }> {
  const best = tpe.summary.best;
  if (!best) throw new Error(`${task.name}: the study has no complete trial`);
  const overrides = toOverrides(parseSpace(tpe.space), best.params);
  const seeds = seedList(1, evalSeeds);
  const collect = async (o: Record<string, unknown>): Promise<TrainResult[]> => { const out: TrainResult[] = []; for (const s of seeds) out.push(await trainRun(runConfig(task.base, o, s), SPLIT_SEED, { withTest: true })); return out; };
  const tuned = await collect(overrides), defaults = await collect({});
  const cv = tpe.cv;
  const defaultFolds: number[] = [];
  for (let fold = 0; fold < cv; fold++) {
    const r = await trainRun(runConfig(task.base, cv === 1 ? {} : { 'data.cv': { folds: cv, fold } }, TRIAL_SEED), SPLIT_SEED);
    defaultFolds.push(r.validation[LOSS.name]!);
  }
  const pick = (rs: TrainResult[], split: 'validation' | 'test', k: string): number[] => rs.map((r) => r[split]![k]!);
  const figures = (rs: TrainResult[]) => ({ valAccuracy: pick(rs, 'validation', 'accuracy'), valLoss: pick(rs, 'validation', 'loss'), testAccuracy: pick(rs, 'test', 'accuracy'), testLoss: pick(rs, 'test', 'loss') });
  const result: TunedResult = {
    task: task.name, trials: tpe.summary.trials.filter((t) => t.state === 'complete').length, bestParams: overrides, evalSeeds: seeds,
    cv, trialValue: { tuned: best.value!, defaults: mean(defaultFolds) }, foldValues: { tuned: tpe.foldValues.get(best.number) ?? [], defaults: defaultFolds }, tuned: figures(tuned), defaults: { ...figures(defaults), chosen: defaults[0]!.chosen },
  };
  say(`${task.name}: test accuracy tuned ${pm(result.tuned.testAccuracy)} vs defaults ${pm(result.defaults.testAccuracy)} over seeds ${seeds[0]}–${seeds.at(-1)}`);
  return { result, markdown: tunedMarkdown(task, result) };
}

function tunedMarkdown(task: Task, r: TunedResult): string {
  const wins = r.tuned.testAccuracy.map((v, i) => Math.sign(v - r.defaults.testAccuracy[i]!));
  const row = (name: string, trial: string, f: TunedResult['tuned']): string[] => [name, trial, pm(f.valAccuracy), pm(f.valLoss), pm(f.testAccuracy), range(f.testAccuracy), pm(f.testLoss)];
  const c = r.defaults.chosen;
  const scored = r.cv === 1 ? 'validation loss (cross-entropy) on the fixed validation split' : `the mean validation loss (cross-entropy) over ${r.cv} folds of the non-test rows (best trial per fold: ${r.foldValues.tuned.map(f4).join(', ')}; defaults: ${r.foldValues.defaults.map(f4).join(', ')})`;
  const trialCol = r.cv === 1 ? `validation loss, trial seed ${TRIAL_SEED}` : `${r.cv}-fold CV loss ± std over folds, seed ${TRIAL_SEED}`;
  const studyCell = (v: number, folds: number[]): string => (r.cv === 1 ? f4(v) : `${f4(v)} ± ${f4(std(folds))}`);
  return [
    `#### ${task.name}: tuned vs the CLI defaults`,
    `Data: ${task.about}. Tuned by TPE (seed 0) over ${r.trials} trials on ${scored}; best: ${Object.entries(r.bestParams).map(([k, v]) => `${k}=${short(v)}`).join(', ')}. Defaults: \`neurite train\` as is (epochs ${c.epochs}, batch ${c.batchSize}, lr ${c.lr} by the default rule).`,
    '',
    table([`config`, trialCol, `validation accuracy, seeds ${r.evalSeeds[0]}–${r.evalSeeds.at(-1)}`, 'validation loss', 'test accuracy', 'test min – max', 'test loss'], [
      row('CLI defaults', studyCell(r.trialValue.defaults, r.foldValues.defaults), r.defaults), row('tuned', studyCell(r.trialValue.tuned, r.foldValues.tuned), r.tuned),
    ]),
    '',
    `Per seed, tuned vs defaults on test accuracy: ${wins.filter((w) => w > 0).length} better, ${wins.filter((w) => w === 0).length} equal, ${wins.filter((w) => w < 0).length} worse.`,
  ].join('\n');
}

export interface SamplerResult { task: string; trials: number; cv: number; seeds: number[]; tpe: number[][]; random: number[][] }

/** Experiment 2: TPE and random search, same space and trial count, sampler seeds 0..n−1; the TPE seed-0 study is returned for experiment 1. */
export async function tpeVsRandom(task: Task, budget: Budget, seeds: number, say: Say, tpe0: StudyRun | null = null): Promise<{ result: SamplerResult; markdown: string; tpe0: StudyRun }> {
  const tpe: StudyRun[] = [], random: StudyRun[] = [];
  for (const s of seedList(0, seeds)) {
    tpe.push(s === 0 && tpe0 !== null ? tpe0 : await study(task, budget, 'tpe', s, 'space', say));
    random.push(await study(task, budget, 'random', s, 'space', say));
  }
  const result: SamplerResult = { task: task.name, trials: budget.trials, cv: budget.cv, seeds: seedList(0, seeds), tpe: tpe.map((r) => r.bestSoFar), random: random.map((r) => r.bestSoFar) };
  return { result, markdown: samplerMarkdown(task, result), tpe0: tpe[0]! };
}

function samplerMarkdown(task: Task, r: SamplerResult): string {
  const at = (curves: number[][], n: number): number[] => curves.map((c) => c[n - 1]!);
  const marks = [...new Set([5, 10, 15, 20, 25, 30, 40, 50, r.trials].filter((n) => n <= r.trials))];
  const rows = marks.map((n) => [String(n), pm(at(r.tpe, n), 4), pm(at(r.random, n), 4), tally(LOSS, at(r.tpe, n), at(r.random, n))]);
  const tf = at(r.tpe, r.trials), rf = at(r.random, r.trials);
  const lead = better(LOSS, mean(tf), mean(rf)) ? 'TPE' : better(LOSS, mean(rf), mean(tf)) ? 'random search' : 'neither';
  return [
    `#### ${task.name}: TPE vs random search, best-so-far ${r.cv === 1 ? 'validation loss' : `${r.cv}-fold CV validation loss`} (${r.seeds.length} sampler seeds, lower is better)`,
    '',
    table(['trials', 'TPE mean ± std', 'random mean ± std', 'per seed TPE better / equal / worse'], rows),
    '',
    `After ${r.trials} trials: TPE ${pm(tf, 4)}, random ${pm(rf, 4)}; better mean: ${lead} (difference ${f4(Math.abs(mean(tf) - mean(rf)))}, std of the paired differences ${f4(std(tf.map((v, i) => v - rf[i]!)))}).`,
  ].join('\n');
}

function tally(m: Objective, a: number[], b: number[]): string {
  const w = a.filter((v, i) => better(m, v, b[i]!)).length, l = a.filter((v, i) => better(m, b[i]!, v)).length;
  return `${w} / ${a.length - w - l} / ${l}`;
}

export interface AshaRow { seed: number; random: number; asha: number; randomEpochs: number; ashaEpochs: number; pruned: number }
export interface AshaResult { task: string; trials: number; maxEpochs: number; rows: AshaRow[] }

/** Experiment 3: random search with every trial at the fixed epochs vs the same sampler seed under ASHA (min resource 1, η 3). */
export async function ashaVsRandom(task: Task, budget: Budget, seeds: number, say: Say): Promise<{ result: AshaResult; markdown: string }> {
  const rows: AshaRow[] = [];
  for (const seed of seedList(0, seeds)) {
    const plain = await study(task, budget, 'random', seed, 'fixed', say), asha = await study(task, budget, 'random', seed, 'asha', say);
    rows.push({ seed, random: plain.bestSoFar.at(-1)!, asha: asha.bestSoFar.at(-1)!, randomEpochs: plain.epochs, ashaEpochs: asha.epochs, pruned: asha.summary.counts.pruned });
  }
  const result: AshaResult = { task: task.name, trials: budget.ashaTrials, maxEpochs: budget.ashaEpochs, rows };
  return { result, markdown: ashaMarkdown(task, result) };
}

/** How far `asha` is behind `random`, relative to `random` (0 when as good or better). @example shortfall('maximize', 0.98, 0.97) // 0.0102… */
export function shortfall(direction: 'minimize' | 'maximize', random: number, asha: number): number {
  return Math.max(0, direction === 'maximize' ? (random - asha) / Math.abs(random) : (asha - random) / Math.abs(random));
}

function ashaMarkdown(task: Task, r: AshaResult): string {
  const gap = (x: AshaRow): number => shortfall(ACCURACY.direction, x.random, x.asha);
  const rows = r.rows.map((x) => [String(x.seed), f4(x.random), f4(x.asha), `${(100 * gap(x)).toFixed(2)} %`, String(x.randomEpochs), String(x.ashaEpochs), `${(100 * x.ashaEpochs / x.randomEpochs).toFixed(1)} %`, String(x.pruned)]);
  const within = r.rows.filter((x) => gap(x) <= 0.01 && x.ashaEpochs <= 0.4 * x.randomEpochs).length;
  const total = (k: 'randomEpochs' | 'ashaEpochs'): number => r.rows.reduce((a, x) => a + x[k], 0);
  return [
    `#### ${task.name}: ASHA vs random search, ${r.trials} trials at ${r.maxEpochs} epochs (validation accuracy; same random-sampler seed, so the same configurations in the same order)`,
    '',
    table(['sampler seed', `random best`, `ASHA best`, 'ASHA behind by', 'epochs, random', 'epochs, ASHA', 'ASHA / random epochs', 'trials pruned'], rows),
    '',
    `Within 1 % of random search's best with at most 40 % of its epochs: ${within} of ${r.rows.length} seeds; epochs in all ${total('ashaEpochs')} vs ${total('randomEpochs')} (${(100 * total('ashaEpochs') / total('randomEpochs')).toFixed(1)} %); mean shortfall ${(100 * mean(r.rows.map(gap))).toFixed(2)} %.`,
  ].join('\n');
}
