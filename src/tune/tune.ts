// tune(): the trial loop of a study — open it in a storage, claim trials (parameters proposed by the
// sampler from every stored trial), run the objective with heartbeats, record how each ended, and
// return the study summary. Several loops (processes, machines) may share one storage and study.
import { memoryStorage } from './storage/op-storage.js';
import type { Direction, StudyDefinition, StudyStorage, TrialRecord, TrialState } from './storage/types.js';
import { type SearchSpace, parseSpace } from './space.js';
import { type SamplerSettings, samplerFrom } from './samplers/index.js';
import type { Sampler } from './samplers/sampler.js';
import { gridOf } from './samplers/grid.js';
import { type PrunerSettings, prunerFrom } from './pruners/index.js';
import type { Pruner } from './pruners/pruner.js';
import { type Trial, TrialPruned, makeTrial } from './trial.js';
import { rankTrials } from './samplers/tpe.js';
import { isTrialNotRunning } from './storage/not-running.js';

/** What tune() needs. */
export interface TuneOptions {
  /** The search space as JSON (docs/tune.md). */
  space: unknown;
  /** Runs one trial; returns its final metric (or throws TrialPruned). Other errors fail the trial. */
  objective: (trial: Trial) => number | Promise<number>;
  /** How many trials the study runs in all (complete + pruned; failed ones are replaced). */
  trials: number;
  direction?: Direction;
  /** Settings of a built-in sampler (default `{ name: 'tpe', seed: 0 }`), or your own Sampler (stored as `{ name, custom: true }`). */
  sampler?: SamplerSettings | Sampler;
  /** Settings of a built-in pruner (default `{ name: 'none' }`), or your own Pruner. */
  pruner?: PrunerSettings | Pruner;
  /** Default: a new memory storage. */
  storage?: StudyStorage;
  /** Study name within the storage (default 'study'). */
  name?: string;
  /** The metric's name, for tables and reports (default 'value'). */
  metric?: string;
  /** Retries of a trial whose worker died (default 1). */
  maxRetries?: number;
  /** Who runs the trials (`host:pid`), unique among the study's workers. */
  worker?: string;
  /** Heartbeat interval while a trial runs (default 10 s). */
  heartbeatMs?: number;
  /** Stop this loop after this many of its trials failed in a row (default: `trials`); a trial reaped from this loop (taken for dead and retried) does not count. */
  maxFailures?: number;
  /** Runs before each claim (the CLI reaps trials of dead workers here). */
  beforeClaim?: (storage: StudyStorage, study: string) => Promise<void>;
  /** The JSON stored as the definition's `space` (default: `space`); the CLI stores the base config beside it. */
  storedSpace?: unknown;
  /** Called after each trial this loop ran, with the stored record; `reaped` when another worker reaped it meanwhile (its result was not recorded). */
  onTrialEnd?: (trial: TrialRecord, how: { reaped: boolean }) => void;
}

/** The study after the loop. */
export interface StudySummary {
  name: string;
  direction: Direction;
  metric: string;
  /** The best complete trial, or null. */
  best: TrialRecord | null;
  trials: TrialRecord[];
  counts: Record<TrialState, number>;
  /** Steps (epochs) reported over all trials: the study's training budget. */
  steps: number;
}

/**
 * The study summary of stored trials.
 * @example const s = summarize('study', 'maximize', 'accuracy', []); // s.best === null
 */
export function summarize(name: string, direction: Direction, metric: string, trials: TrialRecord[]): StudySummary {
  const counts: Record<TrialState, number> = { waiting: 0, running: 0, complete: 0, pruned: 0, failed: 0 };
  for (const t of trials) counts[t.state]++;
  const best = rankTrials(trials.filter((t) => t.state === 'complete'), direction)[0] ?? null;
  return { name, direction, metric, best, trials, counts, steps: trials.reduce((s, t) => s + t.intermediate.length, 0) };
}

const isSampler = (s: unknown): s is Sampler => typeof (s as Sampler | undefined)?.sample === 'function';
const isPruner = (p: unknown): p is Pruner => typeof (p as Pruner | undefined)?.shouldPrune === 'function';

/** The study definition tune() opens: the space and the settings as JSON, so every worker agrees. */
export function studyDefinition(o: Pick<TuneOptions, 'space' | 'storedSpace' | 'trials' | 'direction' | 'sampler' | 'pruner' | 'name' | 'metric' | 'maxRetries'>, space: SearchSpace): StudyDefinition {
  const sampler = isSampler(o.sampler) ? { name: o.sampler.name, custom: true } : o.sampler ?? { name: 'tpe', seed: 0 };
  const pruner = isPruner(o.pruner) ? { name: o.pruner.name, custom: true } : o.pruner ?? { name: 'none' };
  let maxTrials = o.trials;
  if (!(Number.isInteger(maxTrials) && maxTrials >= 1)) throw new Error(`tune: trials must be a positive integer, got ${JSON.stringify(maxTrials)}`);
  if (sampler.name === 'grid') maxTrials = Math.min(maxTrials, gridOf(space).length);
  const maxRetries = o.maxRetries ?? 1;
  if (!(Number.isInteger(maxRetries) && maxRetries >= 0)) throw new Error(`tune: maxRetries must be a non-negative integer, got ${JSON.stringify(maxRetries)}`);
  const direction = o.direction ?? 'minimize';
  if (direction !== 'minimize' && direction !== 'maximize') throw new Error(`tune: direction must be 'minimize' or 'maximize', got ${JSON.stringify(direction)}`);
  return { name: o.name ?? 'study', direction, metric: o.metric ?? 'value', space: o.storedSpace ?? o.space, sampler, pruner, maxTrials, maxRetries };
}

/**
 * Runs a study: trials until the storage hands out no more, then the summary. A grid sampler caps
 * the study at the grid's size.
 * @example
 * const s = await tune({ space: { x: { type: 'float', low: -5, high: 5 } }, objective: (t) => (t.params.x as number) ** 2, trials: 30 });
 * s.best?.params.x; // near 0
 */
export async function tune(opts: TuneOptions): Promise<StudySummary> {
  const space = parseSpace(opts.space);
  const def = studyDefinition(opts, space);
  const sampler = isSampler(opts.sampler) ? opts.sampler : samplerFrom(def.sampler as SamplerSettings);
  const pruner = isPruner(opts.pruner) ? opts.pruner : prunerFrom(def.pruner as PrunerSettings);
  const storage = opts.storage ?? memoryStorage();
  await storage.openStudy(def);
  const worker = opts.worker ?? `local:${Math.random().toString(36).slice(2, 10)}`;
  let failures = 0;
  const maxFailures = opts.maxFailures ?? def.maxTrials;
  while (failures < maxFailures) {
    await opts.beforeClaim?.(storage, def.name);
    const record = await storage.claimTrial(def.name, worker, (trials) => sampler.sample({ space, trials, direction: def.direction, number: trials.length }));
    if (record === null) break;
    const state = await runTrial(record, { storage, def, space, sampler, pruner, objective: opts.objective, heartbeatMs: opts.heartbeatMs ?? 10_000 });
    if (state !== 'reaped') failures = state === 'failed' ? failures + 1 : 0;
    opts.onTrialEnd?.((await storage.listTrials(def.name))[record.number]!, { reaped: state === 'reaped' });
  }
  return summarize(def.name, def.direction, def.metric, await storage.listTrials(def.name));
}

interface LoopScope { storage: StudyStorage; def: StudyDefinition; space: SearchSpace; sampler: Sampler; pruner: Pruner; objective: TuneOptions['objective']; heartbeatMs: number }

/** Runs the objective on one claimed trial and writes how it ended; returns that state ('reaped': taken from this loop meanwhile). */
async function runTrial(record: TrialRecord, s: LoopScope): Promise<'complete' | 'pruned' | 'failed' | 'reaped'> {
  const trial = makeTrial(record, { storage: s.storage, study: s.def.name, space: s.space, pruner: s.pruner, direction: s.def.direction });
  const beat = setInterval(() => { s.storage.heartbeat(s.def.name, record.number).catch(() => undefined); }, s.heartbeatMs);
  let result: { state: 'complete' | 'pruned' | 'failed'; value: number | null; error?: string };
  try {
    const value = await s.objective(trial);
    result = typeof value === 'number' && Number.isFinite(value) ? { state: 'complete', value } : { state: 'failed', value: null, error: `the objective returned ${String(value)}, not a finite number` };
  } catch (e) {
    result = e instanceof TrialPruned ? { state: 'pruned', value: trial.lastValue() } : { state: 'failed', value: null, error: (e as Error).message ?? String(e) };
  } finally {
    clearInterval(beat);
  }
  try {
    await s.storage.finishTrial(s.def.name, record.number, { ...result, ...(trial.runDir !== null ? { runDir: trial.runDir } : {}), ...(Object.keys(trial.attrs).length > 0 ? { attrs: trial.attrs } : {}) });
  } catch (e) {
    // Reaped meanwhile (this worker was taken for dead): the storage already failed and requeued it.
    if (isTrialNotRunning(e)) return 'reaped';
    throw e;
  }
  return result.state;
}
