// What an objective receives: one trial's sampled parameters (already chosen: no suggest* calls),
// the config overrides they stand for, and report/shouldPrune to take part in pruning.
import type { Pruner } from './pruners/pruner.js';
import type { Direction, ParamValue, StudyStorage, TrialRecord } from './storage/types.js';
import { type SearchSpace, toOverrides } from './space.js';

/** Thrown by an objective (or by `trial.pruneIfNeeded()`) to end a trial as pruned. */
export class TrialPruned extends Error {
  constructor(message = 'trial pruned') { super(message); this.name = 'TrialPruned'; }
}

/** One running trial, as the objective sees it. */
export interface Trial {
  readonly number: number;
  /** The sampled parameters by name (`train.lr`, `model.hidden.length`, `model.hidden[0]`, …). */
  readonly params: Readonly<Record<string, ParamValue>>;
  /** Dotted config keys → values, layer lists assembled (`model.hidden: [64, 32]`). */
  readonly overrides: Readonly<Record<string, unknown>>;
  /** The trial these parameters were first tried in, when this is a retry. */
  readonly retryOf: number | null;
  /** Records the metric after step (epoch) `step` and decides whether the trial should stop. */
  report(step: number, value: number): Promise<void>;
  /** The pruner's decision after the latest report. */
  shouldPrune(): boolean;
  /** Throws TrialPruned when shouldPrune() is true. */
  pruneIfNeeded(): void;
  /** The latest reported value, or null. */
  lastValue(): number | null;
  /** Where the trial's artefacts are (a run folder); stored with the trial when it finishes. */
  runDir: string | null;
  /** JSON attributes stored with the trial when it finishes (e.g. per-fold values); empty by default. */
  attrs: Record<string, unknown>;
}

/** Everything a trial needs from its study. */
export interface TrialScope { storage: StudyStorage; study: string; space: SearchSpace; pruner: Pruner; direction: Direction }

/**
 * The Trial object of a claimed trial record.
 * @example const trial = makeTrial(result, { storage: memoryStorage(), study: 'demo', space: parseSpace({ x: { type: 'int', low: 1, high: 3 } }), pruner: noPruner(), direction: 'maximize' });
 */
export function makeTrial(record: TrialRecord, scope: TrialScope): Trial {
  let prune = false, last: number | null = record.intermediate.at(-1)?.value ?? null;
  const params = Object.freeze({ ...record.params });
  return {
    number: record.number, params, overrides: Object.freeze(toOverrides(scope.space, params)), retryOf: record.retryOf,
    async report(step: number, value: number): Promise<void> {
      await scope.storage.reportIntermediate(scope.study, record.number, step, value);
      last = value;
      const trials = await scope.storage.listTrials(scope.study);
      const me = trials[record.number]!;
      prune = scope.pruner.shouldPrune(me, trials, scope.direction);
    },
    shouldPrune: () => prune,
    pruneIfNeeded(): void { if (prune) throw new TrialPruned(`pruned by the ${scope.pruner.name} pruner at value ${last}`); },
    lastValue: () => last,
    runDir: null,
    attrs: {},
  };
}
