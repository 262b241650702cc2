// Weight-space symmetries of an MLP: neuron permutations, sign flips, canonical form, counting, alignment.
import { Tensor, tensor } from '../tensor/tensor.js';
import { ArgumentError } from '../core/errors.js';
import { Linear } from '../nn/linear.js';
import { Sequential } from '../nn/containers.js';
import { childParams, type Params } from '../nn/module.js';
import { fromEntries, entries } from '../tree/tree.js';
import { hungarian } from './assignment.js';

/** Activations with h(-u) = -h(u): flipping a neuron's incoming and outgoing signs is a symmetry. */
const ODD = new Set(['IdentityActivation', 'Tanh', 'Softsign', 'Hardtanh']);
/** Parameter-free layers that may sit between two Linear layers without breaking the symmetries. */
const PASS = new Set(['Dropout']);

/** One Linear layer as plain arrays: w[o][i], b[o]. */
interface Dense { w: number[][]; b: number[]; index: number; hasBias: boolean }
/** An MLP as Linear layers plus the activation name after each hidden layer. */
interface MlpView { dense: Dense[]; acts: string[] }

function layerType(m: unknown): string {
  const j = (m as { toJSON(): { type: string } }).toJSON();
  if (j.type === 'Hardtanh') {
    const { min, max } = j as unknown as { min?: number; max?: number };
    if (min !== undefined && max !== undefined && min !== -max) return 'HardtanhAsym';
  }
  return j.type;
}

function view(fn: string, model: Sequential, params: Params): MlpView {
  const dense: Dense[] = [];
  const acts: string[] = [];
  let pending: string | null = null;
  model.layers.forEach((m, i) => {
    if (m instanceof Linear) {
      if (dense.length > 0) {
        if (pending === null) throw new ArgumentError(fn, `layers ${dense.at(-1)!.index} and ${i} are consecutive Linear layers; put an activation between them`);
        acts.push(pending);
      }
      const p = childParams(params, String(i));
      const W = p.weight as Tensor;
      if (W.rank !== 2) throw new ArgumentError(fn, `layer ${i} has per-sample weights ${JSON.stringify(W.shape)}; pass shared weights [out, in]`);
      const flat = W.toFlat();
      const [o, n] = W.shape as [number, number];
      const w = Array.from({ length: o }, (_, r) => flat.slice(r * n, (r + 1) * n));
      const b = p.bias ? (p.bias as Tensor).toFlat() : new Array<number>(o).fill(0);
      dense.push({ w, b, index: i, hasBias: p.bias !== undefined });
      pending = null;
    } else if (!PASS.has(layerType(m))) {
      if (dense.length === 0) throw new ArgumentError(fn, `layer ${i} (${m.describe()}) comes before the first Linear; only Linear/activation MLPs are supported`);
      if (pending !== null) throw new ArgumentError(fn, `layer ${i} (${m.describe()}) follows another non-Linear layer; BatchNorm and stacked activations are not supported`);
      pending = layerType(m);
    }
  });
  if (dense.length < 2) throw new ArgumentError(fn, `the model has ${dense.length} Linear layer(s); symmetries need a hidden layer (at least 2 Linear layers)`);
  return { dense, acts };
}

function toParams(model: Sequential, params: Params, v: MlpView): Params {
  const dtype = (childParams(params, String(v.dense[0]!.index)).weight as Tensor).dtype;
  const items = entries(params).map(([k, t]): [string, Tensor] => [k, t]);
  const repl = new Map<string, Tensor>();
  for (const d of v.dense) {
    repl.set(`${d.index}.weight`, tensor(d.w.flat(), { shape: [d.w.length, d.w[0]!.length], dtype }));
    if (d.hasBias) repl.set(`${d.index}.bias`, tensor(d.b, { dtype }));
  }
  void model;
  return fromEntries(items.map(([k, t]) => [k, repl.get(k) ?? t])) as Params;
}

function checkHidden(fn: string, v: MlpView, layer: number): void {
  if (!Number.isInteger(layer) || layer < 0 || layer >= v.acts.length) {
    throw new ArgumentError(fn, `hidden layer ${layer} does not exist; the model has hidden layers 0..${v.acts.length - 1}`);
  }
}

function applyPermutation(v: MlpView, layer: number, perm: readonly number[]): void {
  const a = v.dense[layer]!;
  const next = v.dense[layer + 1]!;
  a.w = perm.map((p) => a.w[p]!);
  a.b = perm.map((p) => a.b[p]!);
  next.w = next.w.map((row) => perm.map((p) => row[p]!));
}

/**
 * Permutes the neurons of hidden layer `layer` (0 = after the first Linear): new neuron j is old
 * neuron perm[j]. Incoming rows W_k[perm], biases b_k[perm] and outgoing columns W_{k+1}[:, perm]
 * move together, so f(x; θ') = f(x; θ) exactly — one of the ∏ M_k! equivalent networks.
 *
 * @example
 * const p2 = permuteNeurons(net, net.params, 0, [2, 0, 1]);   // net.apply(p2, x) equals net.forward(x)
 */
export function permuteNeurons(model: Sequential, params: Params, layer: number, perm: readonly number[]): Params {
  const v = view('permuteNeurons', model, params);
  checkHidden('permuteNeurons', v, layer);
  const m = v.dense[layer]!.w.length;
  const seen = new Set(perm);
  if (perm.length !== m || seen.size !== m || perm.some((p) => !Number.isInteger(p) || p < 0 || p >= m)) {
    throw new ArgumentError('permuteNeurons', `perm must be a permutation of 0..${m - 1} for hidden layer ${layer} (${m} neurons), got [${perm.join(',')}]`);
  }
  applyPermutation(v, layer, perm);
  return toParams(model, params, v);
}

function negate(v: MlpView, layer: number, neuron: number): number[] {
  const a = v.dense[layer]!;
  const next = v.dense[layer + 1]!;
  a.w[neuron] = a.w[neuron]!.map((x) => -x);
  a.b[neuron] = -a.b[neuron]!;
  const col = next.w.map((row) => row[neuron]!);
  next.w.forEach((row) => (row[neuron] = -row[neuron]!));
  return col;
}

function checkNeuron(fn: string, v: MlpView, layer: number, neuron: number): void {
  checkHidden(fn, v, layer);
  const m = v.dense[layer]!.w.length;
  if (!Number.isInteger(neuron) || neuron < 0 || neuron >= m) throw new ArgumentError(fn, `neuron ${neuron} is out of range 0..${m - 1} in hidden layer ${layer}`);
}

/**
 * Flips the sign of one neuron's incoming weights, bias and outgoing weights. For an odd activation
 * (h(-u) = -h(u): identity, tanh, softsign, symmetric hardtanh) the network function is unchanged.
 * Throws for other activations (ReLU, ...); for sigmoid use {@link flipSigmoidNeuron}.
 *
 * @example
 * const p2 = flipNeuronSign(tanhNet, tanhNet.params, 0, 3);
 */
export function flipNeuronSign(model: Sequential, params: Params, layer: number, neuron: number): Params {
  const v = view('flipNeuronSign', model, params);
  checkNeuron('flipNeuronSign', v, layer, neuron);
  const act = v.acts[layer]!;
  if (!ODD.has(act)) {
    const hint = act === 'Sigmoid' ? 'use flipSigmoidNeuron, which also adjusts the next bias since σ(-u) = 1 - σ(u)' : 'sign flips are only a symmetry for odd activations (identity, tanh, softsign, symmetric hardtanh)';
    throw new ArgumentError('flipNeuronSign', `hidden layer ${layer} uses ${act}, which is not odd (h(-u) ≠ -h(u)); ${hint}`);
  }
  negate(v, layer, neuron);
  return toParams(model, params, v);
}

/**
 * The sigmoid sign symmetry: since σ(-u) = 1 - σ(u), negating a neuron's incoming weights and bias
 * and its outgoing weights c, and adding c to the next layer's bias, keeps f(x) unchanged.
 *
 * @example
 * const p2 = flipSigmoidNeuron(sigNet, sigNet.params, 0, 1);
 */
export function flipSigmoidNeuron(model: Sequential, params: Params, layer: number, neuron: number): Params {
  const v = view('flipSigmoidNeuron', model, params);
  checkNeuron('flipSigmoidNeuron', v, layer, neuron);
  if (v.acts[layer] !== 'Sigmoid') throw new ArgumentError('flipSigmoidNeuron', `hidden layer ${layer} uses ${v.acts[layer]}, not Sigmoid; use flipNeuronSign for odd activations`);
  const next = v.dense[layer + 1]!;
  if (!next.hasBias) throw new ArgumentError('flipSigmoidNeuron', `Linear layer ${next.index} has no bias to absorb the constant c; give it a bias`);
  const col = negate(v, layer, neuron);
  next.b = next.b.map((b, o) => b + col[o]!);
  return toParams(model, params, v);
}

/**
 * Canonical representative of the symmetry class: layer by layer, for odd activations each neuron is
 * flipped so its bias is ≥ 0 (ties: first nonzero incoming weight > 0), then neurons are sorted by
 * bias, descending (ties by incoming weights). Two networks related by permutations/flips map to the
 * same canonical parameters.
 *
 * @example
 * const c = canonicalForm(net, net.params);
 */
export function canonicalForm(model: Sequential, params: Params): Params {
  const v = view('canonicalForm', model, params);
  for (let k = 0; k < v.acts.length; k++) {
    const a = v.dense[k]!;
    if (ODD.has(v.acts[k]!)) {
      for (let j = 0; j < a.w.length; j++) {
        const key = a.b[j] !== 0 ? a.b[j]! : (a.w[j]!.find((x) => x !== 0) ?? 0);
        if (key < 0) negate(v, k, j);
      }
    }
    const order = a.w.map((_, j) => j).sort((i, j) => compareNeurons(a, i, j));
    applyPermutation(v, k, order);
  }
  return toParams(model, params, v);
}

function compareNeurons(a: Dense, i: number, j: number): number {
  if (a.b[i] !== a.b[j]) return a.b[j]! - a.b[i]!;
  for (let t = 0; t < a.w[i]!.length; t++) if (a.w[i]![t] !== a.w[j]![t]) return a.w[j]![t]! - a.w[i]![t]!;
  return 0;
}

/**
 * Number of parameter vectors computing the same function via these symmetries:
 * ∏_k M_k! · (2^{M_k} if layer k's activation is odd), exactly as a BigInt.
 *
 * @example
 * countEquivalentNetworks([100, 50], 'tanh');   // 100!·2^100·50!·2^50
 */
export function countEquivalentNetworks(hidden: readonly number[], activation: string | readonly string[]): bigint {
  const acts = typeof activation === 'string' ? hidden.map(() => activation) : activation;
  if (acts.length !== hidden.length) throw new ArgumentError('countEquivalentNetworks', `${hidden.length} hidden widths but ${acts.length} activations; give one per hidden layer`);
  const oddNames = new Set(['identity', 'tanh', 'softsign', 'hardtanh', ...ODD]);
  let total = 1n;
  hidden.forEach((m, k) => {
    if (!Number.isInteger(m) || m < 0) throw new ArgumentError('countEquivalentNetworks', `hidden width ${m} at position ${k} must be a non-negative integer`);
    for (let i = 2n; i <= BigInt(m); i++) total *= i;
    if (oddNames.has(acts[k]!)) total *= 1n << BigInt(m);
  });
  return total;
}

/** Activation names of a Sequential MLP's hidden layers (e.g. ['Tanh', 'Tanh']). @example hiddenActivations(net) */
export function hiddenActivations(model: Sequential): string[] {
  return view('hiddenActivations', model, model.params).acts;
}

/**
 * Aligns network B to network A by weight matching: for each hidden layer in turn, the cost of
 * pairing A's neuron i with B's neuron j is −(⟨w_i^A, w_j^B⟩ + b_i^A b_j^B) over incoming weights
 * (B's already permuted to match the previous layer); the Hungarian algorithm picks the permutation.
 * Returns B's permuted parameters (the same function as B) and the permutations used.
 *
 * @example
 * const { params } = alignNetworks(net, paramsA, paramsB);
 */
export function alignNetworks(model: Sequential, paramsA: Params, paramsB: Params): { params: Params; perms: number[][] } {
  const va = view('alignNetworks', model, paramsA);
  const vb = view('alignNetworks', model, paramsB);
  const perms: number[][] = [];
  for (let k = 0; k < va.acts.length; k++) {
    const A = va.dense[k]!;
    const B = vb.dense[k]!;
    const cost = A.w.map((wa, i) => B.w.map((wb, j) => -(dot(wa, wb) + A.b[i]! * B.b[j]!)));
    const assign = hungarian(cost); // assign[i] = B neuron matched to A neuron i
    applyPermutation(vb, k, assign);
    perms.push(assign);
  }
  return { params: toParams(model, paramsB, vb), perms };
}

function dot(a: readonly number[], b: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}
