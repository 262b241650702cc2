// Export the trained network as model.json + model.safetensors (+ the data as CSV) for `neurite eval`/`predict`, and import one back.
import { modelFiles, loadModelFromFiles, nn, type ModelFiles, type FileLike } from 'neurite';
import type { PlaygroundState } from './host.js';
import type { App } from './app.js';
import { fromHash, toHash } from './state.js';
import { networkLayout } from './model.js';

/** The output Linear's weight and bias names (where the temperature is folded). */
function outputParams(s: PlaygroundState): string[] {
  const out = networkLayout(s, s.features.length).at(-1)!.linear;
  return [`${out}.weight`, `${out}.bias`];
}

/**
 * The model files of the app's current network: the softmax temperature τ is folded into the
 * output layer (W/τ, b/τ), so `neurite eval` sees the same probabilities softmax(z/τ) the page shows.
 * model.json's info.playground holds the state, so an import restores the whole configuration.
 */
export function exportFiles(app: App): ModelFiles {
  const s = app.state, src = app.model!;
  const copy = nn.moduleFromJSON(src.toJSON()) as nn.Sequential;
  const weights = src.stateDict();
  copy.loadStateDict(weights);
  const tau = s.problem === 'multiclass' ? s.temperature : 1;
  if (tau !== 1) {
    const out = copy.stateDict();
    for (const k of outputParams(s)) { const t = out[k]!; for (let i = 0; i < t.size; i++) t.data[i] = t.data[i]! / tau; }
  }
  const classNames = s.problem === 'regression' ? undefined : Array.from({ length: s.problem === 'binary' ? 2 : s.classes }, (_v, i) => String(i));
  return modelFiles({
    module: copy, head: app.head, featureNames: [...s.features], ...(classNames ? { classNames } : {}),
    info: { playground: toHash(s), foldedTemperature: tau, epoch: app.last?.epoch ?? 0 },
  });
}

/** The whole data set (train then test rows) as CSV with the feature columns and `target`, for `neurite eval --csv`. */
export function dataCsv(app: App): string {
  const s = app.state, rows = [[...s.features, 'target'].join(',')];
  for (const d of [app.data.train, app.data.test]) {
    for (let i = 0; i < d.n; i++) {
      const feats = Array.from(d.x.subarray(i * d.inputDim, (i + 1) * d.inputDim), (v) => String(v));
      rows.push([...feats, s.problem === 'regression' ? String(d.y[i]) : String(Math.round(d.y[i]!))].join(','));
    }
  }
  return `${rows.join('\n')}\n`;
}

function download(name: string, body: string | Uint8Array, type: string): void {
  const blob = new Blob([body as BlobPart], { type }), a = document.createElement('a');
  a.href = URL.createObjectURL(blob); a.download = name;
  document.body.append(a); a.click(); a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 1000);
}

/** Downloads playground-model.json, playground-model.safetensors and playground-data.csv. */
export function downloadAll(app: App): void {
  const files = exportFiles(app);
  download('playground-model.json', files['model.json'], 'application/json');
  download('playground-model.safetensors', files['model.safetensors'], 'application/octet-stream');
  download('playground-data.csv', dataCsv(app), 'text/csv');
}

/**
 * Loads picked model files: the state comes from info.playground (refused when absent: a model
 * from elsewhere does not say which features and data it expects), then the weights are loaded and
 * checked against the rebuilt network (names and shapes), and the folded temperature is undone.
 */
export async function importFiles(app: App, files: ArrayLike<FileLike>): Promise<PlaygroundState> {
  const bundle = await loadModelFromFiles(files);
  const info = bundle.info as { playground?: unknown; foldedTemperature?: unknown } | undefined;
  if (typeof info?.playground !== 'string') throw new Error('import: this model.json has no info.playground (it was not exported by the playground), so its features and data are unknown');
  const { state, errors } = fromHash(info.playground);
  if (errors.length > 0) throw new Error(`import: info.playground is damaged: ${errors.join('; ')}`);
  const weights = bundle.module.stateDict(), tau = typeof info.foldedTemperature === 'number' ? info.foldedTemperature : 1;
  const plain: Record<string, Float32Array> = {};
  for (const [k, t] of Object.entries(weights)) plain[k] = Float32Array.from(t.data as ArrayLike<number>);
  if (tau !== 1) for (const k of outputParams(state)) plain[k] = plain[k]!.map((v) => v * tau);
  app.load(state, plain);
  return state;
}
