// The contract between a study's trial loop and its storage (journal file, PostgreSQL, memory).
//
// Every storage must make `claimTrial` atomic across processes (journal: a lock file; PostgreSQL:
// one transaction that locks the study row), so that no trial number is handed out twice and no
// study runs more than `maxTrials` trials. A trial whose worker died (stale heartbeat, or a worker
// process the launcher saw killed) is marked `failed` and its parameters are queued again as a new
// `waiting` trial with `retryOf` set: nothing completed is lost and nothing is run twice.

/** A sampled hyperparameter value (a JSON scalar). */
export type ParamValue = number | string | boolean | null;

/** Where a trial is in its life. `waiting`: queued (a retry, or enqueued by hand) and not yet claimed. */
export type TrialState = 'waiting' | 'running' | 'complete' | 'pruned' | 'failed';

/** Whether the objective is minimised (a loss) or maximised (an accuracy). */
export type Direction = 'minimize' | 'maximize';

/** What a study is: fixed when it is created; a worker joining with a different definition is refused. */
export interface StudyDefinition {
  /** Study name, unique within its storage. */
  name: string;
  direction: Direction;
  /** The metric the objective reports, e.g. `validation.accuracy` (for tables and reports). */
  metric: string;
  /** The search space as JSON (the `tune` block of the config), stored so every worker samples the same space. */
  space: unknown;
  /** Sampler and pruner settings as JSON (`{ name: 'tpe', seed: 1, ... }`). */
  sampler: unknown;
  pruner: unknown;
  /** The study stops handing out trials once this many are complete, pruned or running. */
  maxTrials: number;
  /** How many times a failed trial's parameters are retried before the failure stands. */
  maxRetries: number;
}

/** One trial as stored. */
export interface TrialRecord {
  /** 0, 1, 2, ... in claim order, unique within the study. */
  number: number;
  state: TrialState;
  params: Record<string, ParamValue>;
  /** The final objective value (complete trials; pruned trials keep their last intermediate value). */
  value: number | null;
  /** Per-epoch validation metric as reported (`step` = epoch, 1-based). */
  intermediate: Array<{ step: number; value: number }>;
  /** The trial this one retries (its parameters were copied), or null. */
  retryOf: number | null;
  /** Who runs or ran it (`host:pid`), or null while waiting. */
  worker: string | null;
  /** ISO times; `heartbeatAt` is refreshed by the running worker. */
  startedAt: string | null;
  finishedAt: string | null;
  heartbeatAt: string | null;
  /** Why it failed (an error message or `worker killed by SIGKILL`). */
  error: string | null;
  /** The trial's run folder (a normal `neurite train` run folder), when there is one. */
  runDir: string | null;
  /** What the objective recorded beside the value (JSON), e.g. `{ folds: [0.21, 0.18, 0.25], foldStd: 0.03 }` of a cross-validated trial; {} when nothing. */
  attrs: Record<string, unknown>;
}

/** What `claimTrial` asks the sampler for: parameters given every trial stored so far. */
export type ProposeParams = (trials: readonly TrialRecord[]) => Record<string, ParamValue>;

/** The final state a worker writes. */
export interface TrialResult {
  state: 'complete' | 'pruned' | 'failed';
  value: number | null;
  error?: string | null;
  runDir?: string | null;
  /** The trial's attributes (a JSON object). */
  attrs?: Record<string, unknown>;
}

/** A study's storage. All methods may be called from several processes (and machines, for PostgreSQL) at once. */
export interface StudyStorage {
  /** Create the study, or load it when it exists with an equal definition; a different definition is an error naming the field. */
  openStudy(definition: StudyDefinition): Promise<StudyDefinition>;
  /**
   * Atomically: take the oldest `waiting` trial, or, when fewer than `maxTrials` trials are
   * complete/pruned/running/waiting, create trial number N with `propose(trials)`; mark it running by
   * `worker`. Returns null when the study has no more trials to hand out.
   */
  claimTrial(study: string, worker: string, propose: ProposeParams): Promise<TrialRecord | null>;
  /** Record the validation metric after epoch `step` (and refresh the heartbeat). */
  reportIntermediate(study: string, trial: number, step: number, value: number): Promise<void>;
  /** Refresh a running trial's heartbeat. */
  heartbeat(study: string, trial: number): Promise<void>;
  /** Write a running trial's final state; finishing a trial that is not running by this worker is an error. */
  finishTrial(study: string, trial: number, result: TrialResult): Promise<void>;
  /**
   * Mark running trials whose heartbeat is older than `staleMs` (or whose `worker` is in `deadWorkers`)
   * as failed, and queue their parameters again as `waiting` trials while retries are left. Returns
   * the trial numbers it failed.
   */
  reapStale(study: string, staleMs: number, deadWorkers?: readonly string[]): Promise<number[]>;
  /** Every trial of the study, by number. */
  listTrials(study: string): Promise<TrialRecord[]>;
  /** Optional, for read-only tools: the stored definition of `study`, or null when there is none (PostgreSQL has it). */
  readStudy?(study: string): Promise<StudyDefinition | null>;
  /** Release files, locks and connections. */
  close(): Promise<void>;
}
