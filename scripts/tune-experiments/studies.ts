// One study of the experiments through the library API: tune() with memory storage, each trial a
// trainRun on the task's fixed split (split seed 0, training seed 0), scored on the validation split
// or, cross-validated, by the mean over K folds of the non-test rows (the test rows never change).
// Records the epochs every trial actually trained and the best-so-far curve over trial numbers.
import { tune, TrialPruned, type StudySummary } from '../../src/tune/index.js';
import type { PrunerSettings, SamplerSettings, TrialRecord } from '../../src/tune/index.js';
import type { EpochLog } from '../../src/train/callbacks.js';
import { runConfig, trainRun } from './trainer.js';
import type { Task } from './tasks.js';

/** The split every study and every final evaluation uses (the test rows never change). */
export const SPLIT_SEED = 0;
/** The training seed of every trial; the final evaluation uses fresh seeds 1..N. */
export const TRIAL_SEED = 0;

export interface StudyRun {
  summary: StudySummary;
  /** The space it sampled from. */
  space: Record<string, unknown>;
  /** Best complete-trial value after each finished trial (complete or pruned, in trial order). */
  bestSoFar: number[];
  /** Epochs trained by every trial of the study (pruned and failed ones included). */
  epochs: number;
  seconds: number;
  /** Folds per trial (1: the one fixed validation split). */
  cv: number;
  /** Each complete trial's per-fold validation values by trial number (one value when cv is 1). */
  foldValues: Map<number, number[]>;
}

/** A study's settings beyond the task. */
export interface StudySpec {
  space: Record<string, unknown>;
  base: Record<string, unknown>;
  trials: number;
  sampler: SamplerSettings;
  pruner?: PrunerSettings;
  /** The validation metric optimised (`loss` or a metric such as `accuracy`). */
  metric: Objective;
  /**
   * Folds per trial: K ≥ 2 trains K runs, fold 0..K−1 of the non-test rows as validation (`data.cv`,
   * the CLI's own split code), and scores the trial by their mean; 1 (default) scores the one fixed
   * validation split.
   */
  cv?: number;
}

/** What a study optimises on the validation split. */
export interface Objective { name: string; direction: 'minimize' | 'maximize' }

/** Validation cross-entropy (tuned-vs-defaults and TPE vs random): continuous where 15–18 validation rows make accuracy tie. */
export const LOSS: Objective = { name: 'loss', direction: 'minimize' };
/** Validation accuracy (the ASHA comparison, whose "within 1 %" is of accuracy). */
export const ACCURACY: Objective = { name: 'accuracy', direction: 'maximize' };

/** The epoch's validation value of `metric` (loss or a metric). */
function epochValue(log: EpochLog, metric: string): number {
  const v = metric === 'loss' ? log.valLoss : log.valMetrics?.[metric];
  if (v === undefined) throw new Error(`epoch ${log.epoch} reports no validation ${metric}`);
  return v;
}

/**
 * The best value after each finished (complete or pruned) trial, in trial order; NaN until a trial completes.
 * @example bestCurve([{ number: 0, state: 'complete', value: 0.5 }, { number: 1, state: 'complete', value: 0.3 }] as TrialRecord[], 'minimize') // [0.5, 0.3]
 */
export function bestCurve(trials: readonly TrialRecord[], direction: 'minimize' | 'maximize'): number[] {
  const out: number[] = [];
  let best = NaN;
  for (const t of [...trials].sort((a, b) => a.number - b.number)) {
    if (t.state !== 'complete' && t.state !== 'pruned') continue;
    if (t.state === 'complete' && t.value !== null && (Number.isNaN(best) || (direction === 'minimize' ? t.value < best : t.value > best))) best = t.value;
    out.push(best);
  }
  return out;
}

/**
 * Runs one study of `task` and returns its summary, best-so-far curve and epochs trained.
 * @example const run = await runStudy(task, { space: task.space, base: task.base, trials: 30, sampler: { name: 'tpe', seed: 1 } });
 */
export async function runStudy(task: Task, spec: StudySpec): Promise<StudyRun> {
  const t0 = Date.now();
  const pruning = spec.pruner !== undefined && spec.pruner.name !== 'none';
  const cv = spec.cv ?? 1, foldValues = new Map<number, number[]>();
  if (pruning && cv > 1) throw new Error(`${task.name}: pruning with cross-validated trials is not supported (the ASHA comparison scores the fixed split)`);
  let epochs = 0;
  const summary = await tune({
    space: spec.space, trials: spec.trials, direction: spec.metric.direction, metric: spec.metric.name, sampler: spec.sampler, pruner: spec.pruner ?? { name: 'none' },
    name: `${task.name}-${spec.sampler.name}-${spec.sampler.seed ?? 0}-${spec.pruner?.name ?? 'none'}`, heartbeatMs: 3_600_000,
    objective: async (trial) => {
      let stopped = false;
      const onEpoch = async (log: EpochLog): Promise<string | null> => {
        epochs++;
        if (!pruning) return null;
        await trial.report(log.epoch, epochValue(log, spec.metric.name));
        stopped = trial.shouldPrune();
        return stopped ? `pruned at epoch ${log.epoch}` : null;
      };
      const values: number[] = [];
      for (let fold = 0; fold < cv; fold++) {
        const overrides = cv === 1 ? trial.overrides : { ...trial.overrides, 'data.cv': { folds: cv, fold } };
        const r = await trainRun(runConfig(spec.base, overrides, TRIAL_SEED), SPLIT_SEED, { onEpoch });
        if (stopped) throw new TrialPruned(`pruned after ${r.epochs} epochs`);
        const value = r.validation[spec.metric.name];
        if (value === undefined) throw new Error(`${task.name}: the run reports no validation ${spec.metric.name}`);
        values.push(value);
      }
      foldValues.set(trial.number, values);
      return values.reduce((a, b) => a + b, 0) / values.length;
    },
  });
  if (pruning && summary.steps !== epochs) throw new Error(`${summary.name}: the study recorded ${summary.steps} epochs, the runs trained ${epochs}`);
  return { summary, space: spec.space, bestSoFar: bestCurve(summary.trials, spec.metric.direction), epochs, seconds: (Date.now() - t0) / 1000, cv, foldValues };
}
