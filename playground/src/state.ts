// The playground state: defaults, checking, and its round trip through the URL's hash.
import type { ActivationName, FeatureName, LayerSpec, PlaygroundState } from './host.js';
import { DATASETS } from './datasets.js';

export const ACTIVATIONS: ActivationName[] = ['identity', 'sigmoid', 'tanh', 'softsign', 'hardtanh', 'softplus', 'relu', 'leaky_relu', 'prelu'];
export const FEATURE_NAMES: FeatureName[] = ['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sinx1', 'sinx2'];
export const MAX_LAYERS = 6;
export const MAX_UNITS = 8;

/** TensorFlow Playground's opening configuration (circle, 4-2 tanh, lr 0.03, batch 10), with Adam off. */
export function defaultState(): PlaygroundState {
  return {
    problem: 'binary', dataset: 'circle', classes: 3, boundaryFn: 'sin', noise: 0, trainRatio: 50, samples: 500, seed: 1,
    features: ['x1', 'x2'], layers: [{ units: 4, activation: 'tanh' }, { units: 2, activation: 'tanh' }],
    init: 'glorot', batchNorm: false, residual: false, dropout: 0,
    learningRate: 0.03, batchSize: 10, regularization: 'none', regRate: 0,
    optimizer: 'sgd', momentum: 0.9, beta1: 0.9, beta2: 0.999, eps: 1e-8, rmsAlpha: 0.99, weightDecay: 0.01, clipNorm: 0,
    binaryLoss: 'bce', multiclassLoss: 'cross_entropy', temperature: 1,
    regressionActivation: 'identity', rangeA: -1, rangeB: 1, regressionLoss: 'mse',
    showTest: false, discretize: false, panel: '',
  };
}

type Key = keyof PlaygroundState;
const ENUMS: Partial<Record<Key, readonly string[]>> = {
  problem: ['binary', 'multiclass', 'regression'], boundaryFn: ['sin', 'parabola', 'cubic', 'abs'],
  init: ['he', 'glorot', 'lecun', 'uniform'], regularization: ['none', 'l1', 'l2'],
  optimizer: ['sgd', 'momentum', 'nesterov', 'adagrad', 'rmsprop', 'adam', 'adamw', 'nadam', 'adamax'],
  binaryLoss: ['bce', 'hinge'], multiclassLoss: ['cross_entropy', 'multi_margin'],
  regressionActivation: ['identity', 'relu', 'softplus', 'tanh'], regressionLoss: ['mse', 'mae', 'huber'],
};
const RANGES: Partial<Record<Key, [number, number]>> = {
  classes: [3, 5], noise: [0, 50], trainRatio: [10, 90], samples: [20, 2000], seed: [0, 1e9], dropout: [0, 0.9],
  learningRate: [1e-6, 10], batchSize: [1, 2000], regRate: [0, 10], momentum: [0, 0.999], beta1: [0, 0.999],
  beta2: [0, 0.99999], eps: [1e-12, 1], rmsAlpha: [0, 0.9999], weightDecay: [0, 1], clipNorm: [0, 1e6],
  temperature: [0.05, 20], rangeA: [-1e6, 1e6], rangeB: [-1e6, 1e6],
};

/** Encodes layers as `4tanh-2relu`. @example encodeLayers([{ units: 4, activation: 'tanh' }]) // '4tanh' */
export function encodeLayers(layers: readonly LayerSpec[]): string {
  return layers.map((l) => `${l.units}${l.activation}`).join('-');
}

function decodeLayers(text: string): LayerSpec[] {
  if (text === '') return [];
  const layers = text.split('-').map((part) => {
    const m = /^(\d+)([a-z_]+)$/.exec(part);
    const units = m ? Number(m[1]) : NaN, activation = m?.[2] as ActivationName;
    if (!m || units < 1 || units > MAX_UNITS || !ACTIVATIONS.includes(activation)) {
      throw new Error(`layers: "${part}" is not <units 1-${MAX_UNITS}><activation> (activations: ${ACTIVATIONS.join(', ')})`);
    }
    return { units, activation };
  });
  if (layers.length > MAX_LAYERS) throw new Error(`layers: ${layers.length} hidden layers, at most ${MAX_LAYERS}`);
  return layers;
}

/** The state as a URL hash (`#problem=binary&dataset=circle&…`), every field written. @example location.hash = toHash(s) */
export function toHash(s: PlaygroundState): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(s)) {
    if (k === 'layers') q.set(k, encodeLayers(v as LayerSpec[]));
    else if (k === 'features') q.set(k, (v as string[]).join(','));
    else q.set(k, String(v));
  }
  return `#${q.toString()}`;
}

function parseField(s: PlaygroundState, k: Key, v: string): void {
  const d = defaultState();
  const base = d[k];
  if (k === 'layers') s.layers = decodeLayers(v);
  else if (k === 'features') {
    const fs = v === '' ? [] : v.split(',');
    const bad = fs.find((f) => !FEATURE_NAMES.includes(f as FeatureName));
    if (bad !== undefined || fs.length === 0) throw new Error(`features: "${v}" must list some of ${FEATURE_NAMES.join(', ')}`);
    s.features = fs as FeatureName[];
  } else if (typeof base === 'boolean') {
    if (v !== 'true' && v !== 'false') throw new Error(`${k}: "${v}" must be true or false`);
    (s as unknown as Record<string, unknown>)[k] = v === 'true';
  } else if (typeof base === 'number') {
    const x = Number(v), r = RANGES[k];
    if (v === '' || !Number.isFinite(x) || (r && (x < r[0] || x > r[1]))) throw new Error(`${k}: "${v}" must be a number${r ? ` in [${r[0]}, ${r[1]}]` : ''}`);
    (s as unknown as Record<string, unknown>)[k] = x;
  } else {
    const allowed = ENUMS[k];
    if (allowed && !allowed.includes(v)) throw new Error(`${k}: "${v}" must be one of ${allowed.join(', ')}`);
    (s as unknown as Record<string, unknown>)[k] = v;
  }
}

/**
 * The state a hash describes, starting from the defaults; unknown keys and bad values are reported
 * (not applied), so a damaged link never silently trains something else.
 * @example const { state, errors } = fromHash(location.hash)
 */
export function fromHash(hash: string): { state: PlaygroundState; errors: string[] } {
  const state = defaultState(), errors: string[] = [];
  const q = new URLSearchParams(hash.replace(/^#/, ''));
  for (const [k, v] of q) {
    if (!(k in state)) { errors.push(`unknown setting "${k}"`); continue; }
    try { parseField(state, k as Key, v); } catch (e) { errors.push((e as Error).message); }
  }
  if (!DATASETS[state.problem].some((d) => d.name === state.dataset)) {
    errors.push(`dataset: "${state.dataset}" is not a ${state.problem} dataset; using ${DATASETS[state.problem][0]!.name}`);
    state.dataset = DATASETS[state.problem][0]!.name;
  }
  if (state.rangeA >= state.rangeB) {
    errors.push(`rangeA/rangeB: [${state.rangeA}, ${state.rangeB}] needs a < b; using [-1, 1]`);
    state.rangeA = -1; state.rangeB = 1;
  }
  return { state, errors };
}
