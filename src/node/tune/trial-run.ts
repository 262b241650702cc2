// One CLI trial: the base config with the trial's sampled values, trained by runTrain as a normal run
// folder (STUDY/trial-0007); after each epoch the validation metric is reported to the study and the
// pruner may stop the run. Its final validation metric is the trial's value; cross-validated (--cv K),
// K run folders STUDY/trial-0007/fold-k and the mean of their validation metrics.
import { writeFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { type ConfigRequest, resolveConfig } from '../cli/config.js';
import { runTrain } from '../cli/run.js';
import type { EpochLog } from '../../train/callbacks.js';
import { applyOverrides } from '../../tune/space.js';
import { type Trial, TrialPruned } from '../../tune/trial.js';

/** What the trials of a study share. */
export interface TrialSetup {
  studyDir: string;
  /** The config without its `tune` block. */
  base: Record<string, unknown>;
  metric: string;
  /** Folds per trial (null: one run on the validation split). */
  cv: number | null;
  /** One line per finished trial (stdout). */
  say: (line: string) => void;
}

/** The run folder name of trial `n` inside the study folder. @example trialFolder(7) // 'trial-0007' */
export const trialFolder = (n: number): string => `trial-${String(n).padStart(4, '0')}`;

/**
 * The training config of a trial: base ← sampled values, `out` its run folder; checked by the config schema.
 * @example const cfg = trialConfig(base, { 'train.lr': 0.01 }, 'studies/a/trial-0003');
 */
export function trialConfig(base: Record<string, unknown>, overrides: Readonly<Record<string, unknown>>, out: string | null): ConfigRequest {
  return resolveConfig(applyOverrides(base, { ...overrides, out }), {});
}

/** The validation metric of one epoch's log, or an error saying why it is missing. */
function epochValue(log: EpochLog, metric: string): number {
  const v = metric === 'loss' ? log.valLoss : log.valMetrics?.[metric];
  if (v === undefined) {
    const have = Object.keys(log.valMetrics ?? {}).join(', ');
    throw new Error(log.valMetrics === undefined ? 'the run has no validation split; tuning needs data.validationSplit > 0 (never tune on the test split)' : `the run reports no validation ${metric} (it has ${have}); set tune.metric to one of those`);
  }
  return v;
}

const describe = (t: Trial): string => Object.entries(t.overrides).map(([k, v]) => `${k}=${typeof v === 'number' ? Number(v.toPrecision(4)) : JSON.stringify(v)}`).join(' ');

/** One training run of a trial (the trial itself, or one of its folds) with its log written into the run folder. */
async function trainOnce(trial: Trial, setup: TrialSetup, cfg: ConfigRequest, dir: string, stepOffset: number): Promise<{ value: number; epochs: number }> {
  let log = '', epochs = 0;
  const io = { out: (s: string) => { log += s; }, err: (s: string) => { log += s; }, isTTY: false };
  try {
    const onEpoch = async (l: EpochLog): Promise<string | null> => {
      epochs = l.epoch;
      await trial.report(stepOffset + l.epoch, epochValue(l, setup.metric));
      return trial.shouldPrune() ? `pruned at epoch ${l.epoch}: validation ${setup.metric} ${trial.lastValue()}` : null;
    };
    const r = await runTrain(cfg, io, { onEpoch });
    if (trial.shouldPrune()) throw new TrialPruned(r.status.reason);
    const value = setup.metric === 'loss' ? r.metrics.validation?.loss : r.metrics.validation?.[setup.metric];
    if (value === undefined) throw new Error(r.status.status === 'diverged' ? `training diverged with no epoch kept (${r.status.reason})` : `the run reports no validation ${setup.metric}`);
    return { value, epochs: r.status.epochs };
  } catch (e) {
    if (e instanceof TrialPruned) (e as TrialPruned & { epochs?: number }).epochs = epochs;
    throw e;
  } finally {
    if (existsSync(dir)) writeFileSync(join(dir, 'train.log'), log);
  }
}

/** The folder of fold `k` inside a cross-validated trial's folder. @example foldFolder(2) // 'fold-2' */
export const foldFolder = (k: number): string => `fold-${k}`;

/** Sample standard deviation (n − 1), 0 for one value. */
function sampleStd(v: readonly number[]): number {
  if (v.length < 2) return 0;
  const m = v.reduce((a, b) => a + b, 0) / v.length;
  return Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / (v.length - 1));
}

/**
 * The objective of CLI studies: trains the trial's config and returns its final validation metric.
 * With `cv` K it trains K runs, STUDY/trial-0007/fold-0 … fold-(K−1), fold k of the non-test rows as
 * validation (`data.cv`), and returns the mean of their validation metrics; the per-fold values and
 * their standard deviation go into the trial's attributes. The steps it reports run on across the
 * folds (fold 1's first epoch follows fold 0's last), so the study counts every epoch trained.
 * @example const objective = (t: Trial) => runCliTrial(t, { studyDir: 'studies/iris', base: {}, metric: 'accuracy', cv: null, say: console.log });
 */
export async function runCliTrial(trial: Trial, setup: TrialSetup): Promise<number> {
  const name = trialFolder(trial.number), dir = join(setup.studyDir, name);
  const t0 = Date.now();
  const secs = (): string => ((Date.now() - t0) / 1000).toFixed(1);
  trial.runDir = name;
  try {
    if (setup.cv === null) {
      const r = await trainOnce(trial, setup, trialConfig(setup.base, trial.overrides, dir), dir, 0);
      setup.say(`trial ${trial.number} complete: ${setup.metric} ${r.value.toFixed(4)}  (${r.epochs} epochs, ${secs()} s)  ${describe(trial)}\n`);
      return r.value;
    }
    const folds: number[] = [], epochs: number[] = [];
    for (let k = 0; k < setup.cv; k++) {
      const cfg = trialConfig(setup.base, { ...trial.overrides, 'data.cv': { folds: setup.cv, fold: k } }, join(dir, foldFolder(k)));
      const r = await trainOnce(trial, setup, cfg, join(dir, foldFolder(k)), epochs.reduce((a, b) => a + b, 0));
      folds.push(r.value);
      epochs.push(r.epochs);
    }
    const value = folds.reduce((a, b) => a + b, 0) / folds.length, foldStd = sampleStd(folds);
    trial.attrs = { cv: setup.cv, folds, foldStd, foldEpochs: epochs };
    setup.say(`trial ${trial.number} complete: ${setup.metric} ${value.toFixed(4)} ± ${foldStd.toFixed(4)} over ${setup.cv} folds  (${epochs.join('+')} epochs, ${secs()} s)  ${describe(trial)}\n`);
    return value;
  } catch (e) {
    if (e instanceof TrialPruned) setup.say(`trial ${trial.number} pruned at epoch ${(e as TrialPruned & { epochs?: number }).epochs}: ${setup.metric} ${trial.lastValue()?.toFixed(4)}  (${secs()} s)  ${describe(trial)}\n`);
    else setup.say(`trial ${trial.number} failed: ${(e as Error).message}\n`);
    throw e;
  }
}
