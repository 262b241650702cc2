// `neurite train` end to end: data → scaler → model/head/optimizer → fit with progress → run folder.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Tensor } from '../../core/tensor.js';
import { noGrad } from '../../autograd/graph.js';
import { StandardScaler, MinMaxScaler } from '../../data/scalers.js';
import { fit, predictRaw } from '../../train/fit.js';
import { bundleMetrics, evaluateBundle } from './scoring.js';
import { confusionMatrix } from '../../metrics/index.js';
import { argmax } from '../../ops/reduce.js';
import type { ModelBundle } from '../../io/model.js';
import { saveModel } from '../io/model-files.js';
import { modelCheckpoint } from '../io/checkpoint.js';
import { writeFileAtomic } from '../data/atomic.js';
import type { TrainConfig } from './config.js';
import { type RunData, type Split, loadRunData } from './data-source.js';
import { buildCallbacks, buildHead, buildModel, buildOptimizer } from './build.js';
import { progressCallback } from './progress.js';
import { reportHtml } from './report.js';
import { gradientFlowCallback } from '../../train/diagnostics.js';
import { gradientNormSvg } from '../../analysis/gradient-flow.js';
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

/** Trains per `cfg`, writes the run folder, and returns it with the final metrics. */
export async function runTrain(cfg: TrainConfig, io: Output): Promise<{ dir: string; metrics: Record<string, Record<string, number>> }> {
  const t0 = Date.now();
  const data = await loadRunData(cfg.data, cfg.train.seed);
  if (data.dropped > 0) io.err(`neurite: ${data.dropped} rows with a missing value skipped (data.missing: ${cfg.data.missing})\n`);
  const scaler = fitScaler(cfg.data.scale, data.train.x);
  const scale = (s: Split): Split => ({ x: scaler ? scaler.transform(s.x) : s.x, y: data.schema.scaleTarget(s.y) });
  const head = buildHead(cfg.model, data);
  const model = buildModel(cfg, data.train.x.slice([0], [2]), head);
  const optimizer = buildOptimizer(cfg, model);
  const metric = data.task === 'regression' ? 'mse' : 'accuracy';
  const mlpSizes = cfg.model.layers || cfg.model.module ? '' : ` [${[data.train.x.shape[1]! - (cfg.model.hypernet?.condition === 'input' ? cfg.model.hypernet.conditionDim ?? 0 : 0), ...cfg.model.hidden, head.outputs].join('-')}]`;
  const what = model instanceof HyperNetwork
    ? `${model.describe()} generating ${model.target.describe()}${mlpSizes}, ${model.numParams()} trainable parameters for ${model.targetCount()} generated (ratio ${model.compressionRatio().toFixed(3)})`
    : `${model.describe()}${mlpSizes}, ${model.numParams()} parameters`;
  io.err(`neurite: training ${what}, on ${data.name} (${data.train.x.shape[0]} train / ${data.val?.x.shape[0] ?? 0} validation / ${data.test.x.shape[0]} test), backend ${getBackend().name}\n`);
  const dir = cfg.out ?? defaultRunDir();
  const bundleOf = (): ModelBundle => ({
    module: model, head, ...(scaler ? { scaler } : {}), ...(data.classNames ? { classNames: data.classNames } : {}), featureNames: data.featureNames, schema: data.schema,
    info: { data: cfg.data, seed: cfg.train.seed, task: data.task, backend: getBackend().name },
  });
  const batches = Math.ceil(data.train.x.shape[0]! / cfg.train.batchSize);
  const warned = new Set<string>();
  const flow = gradientFlowCallback(model, { every: Math.max(1, Math.floor(batches / 10)), onWarning: (w) => { if (!warned.has(w.kind)) io.err(`warning: ${w.message}\n`); warned.add(w.kind); } });
  const result = fit({
    model, head, optimizer, ...scale(data.train), epochs: cfg.train.epochs, batchSize: cfg.train.batchSize, seed: cfg.train.seed,
    ...(data.val ? { validation: scale(data.val) } : {}), metrics: bundleMetrics({ head, schema: data.schema }),
    callbacks: [...buildCallbacks(cfg, optimizer), progressCallback(io.err, io.isTTY, metric), modelCheckpoint(dir, bundleOf), flow],
  });
  if (result.stopReason) io.err(`${result.stopReason}\n`);
  const bundle = bundleOf();
  const metrics: Record<string, Record<string, number>> = { test: evaluateBundle(bundle, data.test) };
  if (data.val) metrics.validation = evaluateBundle(bundle, data.val);
  mkdirSync(dir, { recursive: true });
  await saveModel(dir, bundle);
  const json = (v: unknown): string => JSON.stringify(v, null, 2) + '\n';
  await writeFileAtomic(join(dir, 'config.json'), json(cfg));
  await writeFileAtomic(join(dir, 'history.json'), json(result.history));
  await writeFileAtomic(join(dir, 'metrics.json'), json(metrics));
  await writeFileAtomic(join(dir, 'report.html'), reportHtml({ title: `neurite run ${dir}`, history: result.history, metric, metrics, confusion: confusion(bundle, data), ...(flow.records.length ? { gradientSvg: gradientNormSvg(flow.records) } : {}) }));
  const m = metrics.test!;
  io.err(`test ${metric} ${m[metric]!.toFixed(4)}  (${((Date.now() - t0) / 1000).toFixed(1)} s)  → ${dir}\n`);
  return { dir, metrics };
}
