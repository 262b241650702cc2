// Flags, usage and an example of `neurite tune` (for parsing and --help), and their checked values.
import type { CommandSpec } from '../cli/argv.js';
import { UsageError } from '../cli/argv.js';

/** `neurite tune`. */
export const tuneSpec: CommandSpec = {
  name: 'tune',
  usage: 'neurite tune --config CFG.json [--space TUNE.json] [--study DIR] [--trials N] [--sampler tpe|random|grid] [--pruner median|asha|hyperband|none] [--cv K] [--workers N] [--storage journal|memory|postgres://...] [--seed S]\n       neurite tune --show STUDY [--storage postgres://... [--name NAME]]',
  about: `Searches hyperparameters: each trial trains the config with values sampled from its search space
(the config's "tune" block, or --space FILE) and is a normal run folder STUDY/trial-0007. Trials are
scored on the validation split (tune.metric, default accuracy), never the test split; with --cv K
each trial trains K runs (STUDY/trial-0007/fold-0 ...), fold k of the non-test rows validating, and
scores the mean. Bad trials stop early with --pruner (not with --cv). --workers N runs trials in
N worker processes (one WASM thread each) sharing the study; a killed worker's trial is retried. Rerunning the same command resumes the study. At the end:
the study table, STUDY/best-config.json (neurite train --config reproduces the best trial) and
STUDY/report.html. Workers on other machines join with the same command and a PostgreSQL --storage.
See docs/tune.md.`,
  flags: {
    config: { type: 'string', value: 'FILE', doc: 'the training config with a "tune" block (or without, with --space)' },
    space: { type: 'string', value: 'FILE', doc: 'a tune.json holding the tune block {"space": {...}, "metric": ...}' },
    study: { type: 'string', value: 'DIR', doc: 'the study folder (journal, trials, report)', default: 'studies/<timestamp>' },
    name: { type: 'string', value: 'NAME', doc: 'study name inside the storage', default: 'the study folder name' },
    trials: { type: 'string', value: 'N', doc: 'trials in all (complete + pruned)', default: 'tune.trials, else 20' },
    sampler: { type: 'string', value: 'tpe|random|grid', doc: 'how parameters are chosen', default: 'tpe' },
    pruner: { type: 'string', value: 'median|asha|hyperband|none', doc: 'early stopping of bad trials on the per-epoch validation metric', default: 'none' },
    cv: { type: 'string', value: 'K', doc: 'score each trial by K-fold cross-validation over the non-test rows (K runs per trial, the mean of their validation metric)', default: 'tune.cv, else none' },
    seed: { type: 'string', value: 'S', doc: 'sampler seed (the training seed is train.seed)', default: '0' },
    workers: { type: 'string', value: 'N', doc: 'worker processes (each one WASM thread unless NEURITE_THREADS is set)', default: '1 (in this process)' },
    storage: { type: 'string', value: 'journal|memory|postgres://...', doc: 'where the study lives', default: 'journal' },
    'max-retries': { type: 'string', value: 'N', doc: 'retries of a trial whose worker died', default: '1' },
    'stale-after': { type: 'string', value: 'SEC', doc: 'a running trial without a heartbeat this long is failed and retried', default: '120' },
    show: { type: 'string', value: 'STUDY', doc: 'print the study table of a study folder (or, with a PostgreSQL --storage and --name, of that study) and exit' },
    worker: { type: 'boolean', doc: 'run as one worker of a study (what --workers starts; also for other machines)' },
  },
  example: 'neurite tune --config iris-tune.json --study studies/iris --trials 30 --pruner asha --workers 2',
};

/** The parsed flags of a tune command. */
export interface TuneArgs {
  config: string | null; space: string | null; study: string | null; name: string | null; trials: number | null;
  sampler: 'tpe' | 'random' | 'grid'; pruner: 'median' | 'asha' | 'hyperband' | 'none'; seed: number; workers: number;
  storage: string; maxRetries: number; staleAfterMs: number; show: string | null; worker: boolean;
  /** Folds per trial (null: the config's tune.cv, else one run on the validation split). */
  cv: number | null;
}

function int(v: string | undefined, flag: string, min: number, fallback: number | null): number | null {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(n) || n < min) throw new UsageError(`tune: --${flag} ${v}: expected an integer >= ${min}`, 'tune');
  return n;
}

function oneOf<T extends string>(v: string | undefined, flag: string, values: readonly T[], fallback: T): T {
  if (v === undefined) return fallback;
  if (!values.includes(v as T)) throw new UsageError(`tune: --${flag} ${v}: expected one of ${values.join(', ')}`, 'tune');
  return v as T;
}

/** Checks the parsed flag values. */
export function tuneArgs(v: Record<string, string | boolean | string[] | undefined>): TuneArgs {
  const s = (k: string): string | undefined => v[k] as string | undefined;
  return {
    config: s('config') ?? null, space: s('space') ?? null, study: s('study') ?? null, name: s('name') ?? null,
    trials: int(s('trials'), 'trials', 1, null), sampler: oneOf(s('sampler'), 'sampler', ['tpe', 'random', 'grid'], 'tpe'),
    pruner: oneOf(s('pruner'), 'pruner', ['median', 'asha', 'hyperband', 'none'], 'none'), seed: int(s('seed'), 'seed', 0, 0)!,
    workers: int(s('workers'), 'workers', 1, 1)!, storage: s('storage') ?? 'journal', maxRetries: int(s('max-retries'), 'max-retries', 0, 1)!,
    staleAfterMs: int(s('stale-after'), 'stale-after', 1, 120)! * 1000, show: s('show') ?? null, worker: v.worker === true,
    cv: int(s('cv'), 'cv', 2, null),
  };
}
