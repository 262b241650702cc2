// One CLI trial: the base config with the trial's sampled values, trained by runTrain as a normal run
// folder (STUDY/trial-0007); after each epoch the validation metric is reported to the study and the
// pruner may stop the run. Its final validation metric is the trial's value.
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

/**
 * The objective of CLI studies: trains the trial's config and returns its final validation metric.
 * @example const objective = (t: Trial) => runCliTrial(t, { studyDir: 'studies/iris', base: {}, metric: 'accuracy', say: console.log });
 */
export async function runCliTrial(trial: Trial, setup: TrialSetup): Promise<number> {
  const name = trialFolder(trial.number), dir = join(setup.studyDir, name);
  const t0 = Date.now();
  let log = '';
  const io = { out: (s: string) => { log += s; }, err: (s: string) => { log += s; }, isTTY: false };
  let epochs = 0;
  trial.runDir = name;
  try {
    const cfg = trialConfig(setup.base, trial.overrides, dir);
    const onEpoch = async (l: EpochLog): Promise<string | null> => {
      epochs = l.epoch;
      await trial.report(l.epoch, epochValue(l, setup.metric));
      return trial.shouldPrune() ? `pruned at epoch ${l.epoch}: validation ${setup.metric} ${trial.lastValue()}` : null;
    };
    const r = await runTrain(cfg, io, { onEpoch });
    const secs = ((Date.now() - t0) / 1000).toFixed(1);
    if (trial.shouldPrune()) {
      setup.say(`trial ${trial.number} pruned at epoch ${epochs}: ${setup.metric} ${trial.lastValue()?.toFixed(4)}  (${secs} s)  ${describe(trial)}\n`);
      throw new TrialPruned(r.status.reason);
    }
    const value = setup.metric === 'loss' ? r.metrics.validation?.loss : r.metrics.validation?.[setup.metric];
    if (value === undefined) throw new Error(r.status.status === 'diverged' ? `training diverged with no epoch kept (${r.status.reason})` : `the run reports no validation ${setup.metric}`);
    setup.say(`trial ${trial.number} complete: ${setup.metric} ${value.toFixed(4)}  (${r.status.epochs} epochs, ${secs} s)  ${describe(trial)}\n`);
    return value;
  } catch (e) {
    if (!(e instanceof TrialPruned)) setup.say(`trial ${trial.number} failed: ${(e as Error).message}\n`);
    throw e;
  } finally {
    if (existsSync(dir)) writeFileSync(join(dir, 'train.log'), log);
  }
}
