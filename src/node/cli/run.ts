// `neurite train` end to end: data → scaler → model/head/optimizer → fit with progress and checkpoints
// (fresh or resumed) → run folder (current generation, config, history, metrics, run status, report).
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Tensor } from '../../tensor/tensor.js';
import { noGrad } from '../../autograd/graph.js';
import { StandardScaler, MinMaxScaler } from '../../data/scalers.js';
import { fit, predictRaw } from '../../train/fit.js';
import { type AsyncCallback, fitAsync } from '../../train/fit-async.js';
import { bundleMetrics, evaluateBundle } from './scoring.js';
import { confusionMatrix } from '../../metrics/index.js';
import { argmax } from '../../ops/reduce.js';
import type { ModelBundle } from '../../io/model.js';
import type { Module } from '../../nn/module.js';
import type { Head } from '../../heads/heads.js';
import type { EpochLog } from '../../train/callbacks.js';
import { DivergenceError } from '../../train/guard.js';
import type { TrainState } from '../../train/state.js';
import type { GradientFlowCallback } from '../../train/diagnostics.js';
import { modelCheckpoint, saveCheckpoint } from '../io/checkpoint.js';
import { resolveModelFolder } from '../io/model-files.js';
import { type RunStatus, prepareFreshRun } from './run-folder.js';
import { writeFileAtomic } from '../data/atomic.js';
import type { ConfigRequest, TrainConfig } from './config.js';
import { CHOSEN_KEY, applyDefaultRule } from './default-rule.js';
import { historyLog, startLiveFiles } from './live-files.js';
import { type RunData, type Split, loadRunData } from './data-source.js';
import { buildCallbacks, buildHead, buildModel, buildOptimizer } from './build.js';
import { progressCallback } from './progress.js';
import { reportHtml } from './report.js';
import { type RunReportContext, runReportParts } from './report/run-report.js';
import { gradientFlowCallback } from '../../train/diagnostics.js';
import { getBackend } from '../../backend/registry.js';
import { HyperNetwork } from '../../hyper/index.js';

export interface Output {
  out: (s: string) => void;
  err: (s: string) => void;
  isTTY: boolean;
}

export { evaluateBundle } from './scoring.js';

/** Runs folder name from the time: runs/2026-11-28T05-40-12. */
export function defaultRunDir(now = new Date()): string {
  return join('runs', now.toISOString().slice(0, 19).replace(/:/g, '-'));
}

function fitScaler(kind: TrainConfig['data']['scale'], x: Tensor): StandardScaler | MinMaxScaler | undefined {
  if (kind === 'none') return undefined;
  const s = kind === 'standard' ? new StandardScaler() : new MinMaxScaler();
  s.fit(x);
  return s;
}

function confusion(bundle: ModelBundle, data: RunData): { matrix: number[][]; names: string[] } | undefined {
  const j = bundle.head.toJSON();
  if (j.kind !== 'multiclass' && j.kind !== 'binary') return undefined;
  const x = bundle.scaler ? bundle.scaler.transform(data.test.x) : data.test.x;
  const raw = predictRaw(bundle.module, x);
  const pred = noGrad(() => (j.kind === 'multiclass' ? argmax(raw, -1).toFlat() : raw.toFlat().map((v) => (v > 0 ? 1 : j.loss === 'hinge' ? -1 : 0))));
  const names = data.classNames ?? [];
  const labels = j.kind === 'binary' && j.loss === 'hinge' ? [-1, 1] : names.map((_, i) => i);
  return { matrix: confusionMatrix(data.test.y, pred, { labels }), names };
}

/** Options of runTrain beyond the config: clear a non-empty --out, or continue a run from its state. */
export interface RunOptions {
  overwrite?: boolean;
  resume?: TrainState;
  /**
   * Called after every epoch (neurite tune: report the validation metric, ask the pruner); a string
   * it resolves to stops the run there with that reason. With it, training runs through fitAsync,
   * which gives the same weights and history as fit and lets timers (heartbeats) run between batches.
   */
  onEpoch?: (log: EpochLog) => Promise<string | null>;
}

/** The callback that hands each epoch to RunOptions.onEpoch and stops the run when it answers a reason. */
function epochHook(onEpoch: NonNullable<RunOptions['onEpoch']>): AsyncCallback {
  return {
    async onEpochEnd(ctx, log) {
      const reason = await onEpoch(log);
      if (reason !== null) { ctx.stop = true; ctx.stopReason = reason; }
    },
  };
}

/** What runTrain reports: the run folder, its final metrics, and how it ended (exit status included). */
export interface RunResult {
  dir: string;
  metrics: Record<string, Record<string, number>>;
  status: RunStatus;
}

/** The model bundle saved in checkpoints and the final model. */
function bundleOf(model: Module, head: Head, scaler: StandardScaler | MinMaxScaler | undefined, data: RunData, cfg: TrainConfig): ModelBundle {
  return {
    module: model, head, ...(scaler ? { scaler } : {}), ...(data.classNames ? { classNames: data.classNames } : {}), featureNames: data.featureNames, schema: data.schema,
    info: { data: cfg.data, seed: cfg.train.seed, task: data.task, backend: getBackend().name },
  };
}

/** Exit status of `neurite train` for a diverged run (1 is any error, 2 a usage error). */
export const EXIT_DIVERGED = 3;

const json = (v: unknown): string => JSON.stringify(v, null, 2) + '\n';

/** Trains per `cfg` (fresh, or resumed), writes the run folder, and returns it with the final metrics and status. */
export async function runTrain(request: ConfigRequest, io: Output, opts: RunOptions = {}): Promise<RunResult> {
  const t0 = Date.now();
  const dir = request.out ?? defaultRunDir();
  if (!opts.resume) prepareFreshRun(dir, opts.overwrite ?? false);
  const data = await loadRunData(request.data, request.train.seed);
  const { cfg, reasons } = applyDefaultRule(request, data.train.x.shape[0]!);
  if (opts.resume) checkResumeData(dir, data);
  if (data.dropped > 0) io.err(`neurite: ${data.dropped} rows with a missing value skipped (data.missing: ${cfg.data.missing})\n`);
  const scaler = fitScaler(cfg.data.scale, data.train.x);
  const scale = (s: Split): Split => ({ x: scaler ? scaler.transform(s.x) : s.x, y: data.schema.scaleTarget(s.y) });
  const head = buildHead(cfg.model, data);
  const model = buildModel(cfg, data.train.x.slice([0], [2]), head);
  const optimizer = buildOptimizer(cfg, model);
  const metric = data.task === 'regression' ? 'mse' : 'accuracy';
  io.err(`neurite: training ${describeRun(cfg, model, head, data)}, backend ${getBackend().name}${opts.resume ? `, resuming ${dir} after epoch ${opts.resume.epoch}` : ''}\n`);
  mkdirSync(dir, { recursive: true });
  await writeFileAtomic(join(dir, 'config.json'), json(Object.keys(reasons).length > 0 ? { ...cfg, [CHOSEN_KEY]: reasons } : cfg));
  rmSync(join(dir, 'run.json'), { force: true }); // a resumed run is not finished until it writes a new one
  await startLiveFiles(dir, opts.resume?.history ?? []);
  const bundle = (): ModelBundle => bundleOf(model, head, scaler, data, cfg);
  const flow = gradientFlow(model, io, Math.ceil(data.train.x.shape[0]! / cfg.train.batchSize));
  let history: EpochLog[], state: TrainState | null = null, status: RunStatus;
  try {
    const fitOptions = {
      model, head, optimizer, ...scale(data.train), epochs: cfg.train.epochs, batchSize: cfg.train.batchSize, seed: cfg.train.seed,
      ...(data.val ? { validation: scale(data.val) } : {}), metrics: bundleMetrics({ head, schema: data.schema }), divergenceFactor: cfg.train.divergenceFactor,
      ...(opts.resume ? { resume: opts.resume } : {}),
    };
    // The checkpoint goes last: the state it saves has seen every other callback's reaction to the epoch.
    const callbacks = [...buildCallbacks(cfg, optimizer), progressCallback(io.err, io.isTTY, metric), flow, historyLog(dir), modelCheckpoint(dir, bundle)];
    const result = opts.onEpoch
      ? await fitAsync({ ...fitOptions, callbacks: [...callbacks.slice(0, -2), epochHook(opts.onEpoch), ...callbacks.slice(-2)], yieldEveryMs: 250 })
      : fit({ ...fitOptions, callbacks });
    if (result.stopReason) io.err(`${result.stopReason}\n`);
    ({ history, state } = result);
    status = result.stopReason ? { status: 'stopped', epochs: history.length, reason: result.stopReason, exitCode: 0 } : { status: 'completed', epochs: history.length, exitCode: 0 };
  } catch (e) {
    if (!(e instanceof DivergenceError)) throw e;
    history = e.history;
    status = { status: 'diverged', epochs: history.length, reason: e.message, bestEpoch: e.bestEpoch, exitCode: EXIT_DIVERGED };
    io.err(`neurite: ${e.message}\n`);
  }
  const kept = status.status !== 'diverged' || status.bestEpoch !== null;
  const final = bundle();
  // run.json first: a kill after the final commit must not leave a finished run that looks resumable.
  await writeFileAtomic(join(dir, 'run.json'), json(status));
  if (kept) saveCheckpoint(dir, final, state);
  const metrics: Record<string, Record<string, number>> = {};
  if (kept) {
    metrics.test = evaluateBundle(final, data.test);
    if (data.val) metrics.validation = evaluateBundle(final, data.val);
  }
  await writeRunFiles(dir, { history, metrics, status, metric, report: {
    confusion: kept ? confusion(final, data) : undefined, dir, status, config: cfg, model, data, ...(kept ? { final } : {}), seconds: (Date.now() - t0) / 1000, backend: getBackend().name, flow: flow.records,
  } });
  const took = `${((Date.now() - t0) / 1000).toFixed(1)} s`;
  // The result lines are the command's output (stdout); everything before them is progress (stderr).
  if (status.status === 'diverged') io.out(`diverged: ${kept ? `kept the best epoch (${status.bestEpoch}) as the model` : 'no epoch completed, so no model was kept'}; history.json and report.html say so  (${took})  → ${dir}\n`);
  else io.out(`test ${metric} ${metrics.test![metric]!.toFixed(4)}  (${took})  → ${dir}\n`);
  return { dir, metrics, status };
}

/** A resumed CSV run must see the very file it started on: same bytes (SHA-256) and row count. */
function checkResumeData(dir: string, data: RunData): void {
  const now = data.schema.source;
  if (!now) return;
  const folder = resolveModelFolder(dir);
  const saved = (JSON.parse(readFileSync(join(folder, 'model.json'), 'utf8')) as { schema?: { source?: typeof now } }).schema?.source;
  if (!saved) throw new Error(`--resume ${dir}: the checkpoint records no training data, but the run now reads ${now.file}; resume needs the data the run started on`);
  if (saved.sha256 !== now.sha256 || saved.rows !== now.rows) {
    throw new Error(`--resume ${dir}: ${now.file} changed since the run started (${saved.rows} rows, sha256 ${saved.sha256.slice(0, 12)}… then; ${now.rows} rows, sha256 ${now.sha256.slice(0, 12)}… now); resuming on other data would silently mix two data sets — restore the file or start a new run`);
  }
}

/** history.json, metrics.json and report.html (each atomically). */
async function writeRunFiles(dir: string, r: { history: EpochLog[]; metrics: Record<string, Record<string, number>>; status: RunStatus; metric: string; report: RunReportContext & { confusion: ReturnType<typeof confusion> } }): Promise<void> {
  await writeFileAtomic(join(dir, 'history.json'), json(r.history));
  await writeFileAtomic(join(dir, 'metrics.json'), json(r.metrics));
  const notice = r.status.status === 'diverged' ? `Training diverged after ${r.status.epochs} epochs: ${r.status.reason} ${r.status.bestEpoch ? `The model is the best epoch (${r.status.bestEpoch}).` : 'No model was kept.'}` : undefined;
  await writeFileAtomic(join(dir, 'report.html'), reportHtml({
    title: `neurite run ${dir}`, history: r.history, metric: r.metric, metrics: r.metrics, ...(notice ? { notice } : {}),
    ...(r.report.confusion ? { confusion: r.report.confusion } : {}), ...runReportParts(r.report),
  }));
}

/** The first progress line's description of the network and the data. */
function describeRun(cfg: TrainConfig, model: Module, head: Head, data: RunData): string {
  const mlpSizes = cfg.model.layers || cfg.model.module ? '' : ` [${[data.train.x.shape[1]! - (cfg.model.hypernet?.condition === 'input' ? cfg.model.hypernet.conditionDim ?? 0 : 0), ...cfg.model.hidden, head.outputs].join('-')}]`;
  const what = model instanceof HyperNetwork
    ? `${model.describe()} generating ${model.target.describe()}${mlpSizes}, ${model.numParams()} trainable parameters for ${model.targetCount()} generated (ratio ${model.compressionRatio().toFixed(3)})`
    : `${model.describe()}${mlpSizes}, ${model.numParams()} parameters`;
  return `${what}, on ${data.name} (${data.train.x.shape[0]} train / ${data.val?.x.shape[0] ?? 0} validation / ${data.test.x.shape[0]} test)`;
}

/** Gradient-flow records for the report, warning once per kind on stderr. */
function gradientFlow(model: Module, io: Output, batches: number): GradientFlowCallback {
  const warned = new Set<string>();
  return gradientFlowCallback(model, { every: Math.max(1, Math.floor(batches / 10)), onWarning: (w) => { if (!warned.has(w.kind)) io.err(`warning: ${w.message}\n`); warned.add(w.kind); } });
}
