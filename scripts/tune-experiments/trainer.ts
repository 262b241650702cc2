// The experiments' training run: exactly `neurite train`'s pipeline (runTrain: data → scaler → head →
// model → optimizer → fit with the config's callbacks, the default rule for null keys, the best epoch
// kept on divergence) without the run folder, and with the split seed apart from the training seed,
// so the test split stays one fixed, untouched set while initialisation and shuffling vary.
import { type ConfigRequest, resolveConfig } from '../../src/node/cli/config.js';
import { type RunData, type Split, loadRunData } from '../../src/node/cli/data-source.js';
import { applyDefaultRule } from '../../src/node/cli/default-rule.js';
import { buildCallbacks, buildHead, buildModel, buildOptimizer } from '../../src/node/cli/build.js';
import { bundleMetrics, evaluateBundle } from '../../src/node/cli/scoring.js';
import { StandardScaler, MinMaxScaler } from '../../src/data/scalers.js';
import { fitAsync, type AsyncCallback } from '../../src/train/fit-async.js';
import type { EpochLog } from '../../src/train/callbacks.js';
import { DivergenceError } from '../../src/train/guard.js';
import type { ModelBundle } from '../../src/io/model.js';
import { applyOverrides } from '../../src/tune/space.js';

/** What one training run reports: final validation and test metrics, epochs trained, what the default rule chose. */
export interface TrainResult {
  validation: Record<string, number>;
  /** Only when asked for (`withTest`): the studies never see it. */
  test: Record<string, number> | null;
  epochs: number;
  chosen: { epochs: number; batchSize: number; lr: number };
  diverged: boolean;
}

const cache = new Map<string, Promise<RunData>>();

/** The split data of `data` at `splitSeed`, loaded once per process (Fashion-MNIST parses 60,000 images). */
function runData(data: ConfigRequest['data'], splitSeed: number): Promise<RunData> {
  const key = `${JSON.stringify(data)}|${splitSeed}`;
  let d = cache.get(key);
  if (!d) { d = loadRunData(data, splitSeed); cache.set(key, d); }
  return d;
}

/**
 * The config of a run: `base` (a partial config object) with dotted-key `overrides` and the training
 * seed, resolved and checked by the CLI's schema.
 * @example runConfig({ data: { dataset: 'iris' } }, { 'train.lr': 0.01 }, 3).train.seed // 3
 */
export function runConfig(base: Record<string, unknown>, overrides: Readonly<Record<string, unknown>>, seed: number): ConfigRequest {
  return resolveConfig(applyOverrides(base, { ...overrides, 'train.seed': seed }), {});
}

/**
 * Trains `request` on the split drawn with `splitSeed` (runTrain draws it with train.seed; equal
 * seeds give runTrain's very metrics), calling `onEpoch` after every epoch: a string it resolves to
 * stops the run there (a pruned trial). Diverged runs keep their best epoch, as runTrain does. The
 * test split is scored only `withTest` (the final evaluation), never during a study.
 * @example const r = await trainRun(runConfig({ data: { dataset: 'iris' } }, {}, 1), 0, { withTest: true }); r.test?.accuracy
 */
export async function trainRun(request: ConfigRequest, splitSeed: number, opts: { withTest?: boolean; onEpoch?: (log: EpochLog) => Promise<string | null> } = {}): Promise<TrainResult> {
  const { onEpoch, withTest = false } = opts;
  const data = await runData(request.data, splitSeed);
  if (!data.val) throw new Error(`${data.name}: the experiments need a validation split (data.validationSplit > 0)`);
  const { cfg } = applyDefaultRule(request, data.train.x.shape[0]!);
  const scaler = cfg.data.scale === 'none' ? undefined : cfg.data.scale === 'standard' ? new StandardScaler() : new MinMaxScaler();
  scaler?.fit(data.train.x);
  const scale = (s: Split): Split => ({ x: scaler ? scaler.transform(s.x) : s.x, y: data.schema.scaleTarget(s.y) });
  const head = buildHead(cfg.model, data);
  const model = buildModel(cfg, data.train.x.slice([0], [2]), head);
  const optimizer = buildOptimizer(cfg, model);
  const hook: AsyncCallback[] = onEpoch ? [{ async onEpochEnd(ctx, log) { const r = await onEpoch(log); if (r !== null) { ctx.stop = true; ctx.stopReason = r; } } }] : [];
  let epochs: number, diverged = false;
  try {
    const r = await fitAsync({
      model, head, optimizer, ...scale(data.train), epochs: cfg.train.epochs, batchSize: cfg.train.batchSize, seed: cfg.train.seed,
      validation: scale(data.val), metrics: bundleMetrics({ head, schema: data.schema }), divergenceFactor: cfg.train.divergenceFactor,
      callbacks: [...buildCallbacks(cfg, optimizer), ...hook], yieldEveryMs: 60_000,
    });
    epochs = r.history.length;
  } catch (e) {
    if (!(e instanceof DivergenceError) || e.bestEpoch === null) throw e;
    epochs = e.history.length;
    diverged = true;
  }
  const bundle: ModelBundle = { module: model, head, ...(scaler ? { scaler } : {}), featureNames: data.featureNames, schema: data.schema };
  const { epochs: e, batchSize, lr } = cfg.train;
  return { validation: evaluateBundle(bundle, data.val), test: withTest ? evaluateBundle(bundle, data.test) : null, epochs, chosen: { epochs: e, batchSize, lr }, diverged };
}
