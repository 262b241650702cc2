// HyperNetwork: a Module whose generator outputs the weights of a target Module (full or chunked),
// conditioned on learned task embeddings, on part of the input (one network per example), or on noise.
import { type AllowedKeys, checkOptions } from '../core/options.js';
import { Tensor, zeros } from '../tensor/tensor.js';
import { ArgumentError, ShapeError, fmtShape } from '../core/errors.js';
import { Key, Rng } from '../core/rng.js';
import { randn } from '../tensor/random.js';
import { noGrad } from '../autograd/graph.js';
import { mul } from '../ops/elementwise.js';
import { mean } from '../ops/reduce.js';
import { broadcastTo, concat, indexSelect, narrow, reshape, unsqueeze } from '../ops/movement.js';
import { type Applied, type ApplyContext, EMPTY_STATE, Module, type State, childContext, childParams, joinStates, modeOf, randomStream, type ModuleJSON, type Params } from '../nn/module.js';
import { mlp } from '../nn/mlp.js';
import type { Sequential } from '../nn/containers.js';
import { Linear } from '../nn/linear.js';
import { type LeafSpec, count, unflatten } from '../tree/tree.js';
import { type ChunkPlan, chunkPlan, constant, hyperfanScales, unflattenBatched } from './layout.js';

/** What the generated weights depend on. */
export type Conditioning =
  | { kind: 'task'; numTasks: number; dim: number }
  | { kind: 'input'; dim: number }
  | { kind: 'noise'; dim: number };

export interface HyperNetworkOptions {
  /** The network whose parameters are generated (its own parameters are never used). */
  target: Module;
  condition: Conditioning;
  /** Hidden widths of the generator MLP (default [32]). */
  hidden?: number[];
  /** Generator hidden activation (default 'relu'). */
  activation?: string;
  /** Generate the target vector in chunks of this size with one shared generator (default: all at once). */
  chunkSize?: number;
  /** Size of the learned chunk embeddings (default 8). */
  chunkDim?: number;
  /** Hyperfan-in output scaling (default true): generated weights start at gain/√fan_in. */
  hyperfan?: boolean;
  /** Target weight gain for hyperfan (default 1; √2 for ReLU targets). */
  gain?: number;
  /** Target bias scale for hyperfan (default 0.5). */
  biasScale?: number;
  seed?: number;
}

/**
 * A hypernetwork (Ha, Dai & Le 2016; von Oswald et al. 2020): a generator g_θ maps a condition c
 * to the target's flat parameter vector w = s ⊙ g_θ(c) (s: hyperfan-in scales), cut into the
 * target's parameter tree; the target runs with it. Only θ (plus task/chunk embeddings) is
 * trained; gradients reach θ through w. Chunked: w = concat_c g_θ([c, e_c]) with learned chunk
 * embeddings e_c and one shared generator, so θ can be far smaller than w.
 *
 * Conditioning: 'task' (learned embeddings e_t, select with `task`), 'input' (the first `dim`
 * columns of x condition a separate network per example, run with batched per-sample weights on
 * the remaining columns) or 'noise' (z ~ N(0, I) per forward; `noise = false` uses z = 0).
 *
 * @example
 * const hyper = new HyperNetwork({ target: mlp({ sizes: [1, 10, 1] }), condition: { kind: 'task', numTasks: 3, dim: 2 } });
 * hyper.task = 1; const y = hyper.forward(x);
 */
export class HyperNetwork extends Module {
  readonly target: Module;
  readonly targetSpec: LeafSpec[];
  readonly generator: Sequential;
  readonly plan: ChunkPlan | null;
  readonly scale: Tensor;
  /** Task whose embedding conditions `forward` ('task' conditioning). */
  task = 0;
  /** Sample noise (true) or use z = 0 ('noise' conditioning). */
  noise = true;
  private extra: Params = {};
  private readonly rng: Rng;

  constructor(readonly opts: HyperNetworkOptions) {
    super();
    checkOptions('HyperNetwork', opts, HYPERNET_OPTIONS);
    const { target, condition } = opts;
    checkCondition(condition);
    const rng = new Rng(opts.seed ?? 0);
    this.target = target;
    this.targetSpec = target.paramSpec();
    const p = count(this.targetSpec);
    if (p === 0) throw new ArgumentError('HyperNetwork', `target ${target.describe()} has no parameters to generate`);
    this.plan = opts.chunkSize !== undefined ? chunkPlan(p, opts.chunkSize) : null;
    const chunkDim = this.plan ? (opts.chunkDim ?? 8) : 0;
    const sizes = [condition.dim + chunkDim, ...(opts.hidden ?? [32]), this.plan ? this.plan.size : p];
    this.generator = mlp({ sizes, activation: opts.activation ?? 'relu', rng: rng.split() });
    if (condition.kind === 'task') this.extra.taskEmbeddings = randn([condition.numTasks, condition.dim], { rng: rng.split() }).requireGrad();
    if (this.plan) this.extra.chunkEmbeddings = randn([this.plan.chunks, chunkDim], { rng: rng.split() }).requireGrad();
    const hf = opts.hyperfan ?? true;
    this.scale = constant(hf ? hyperfanScales(this.targetSpec, { gain: opts.gain, biasScale: opts.biasScale }) : new Float32Array(p).fill(1));
    if (hf) this.initLastLayer(rng.split());
    this.rng = rng.split();
  }

  /** Sets the generator's last layer so its outputs have unit variance on N(0, I) conditions (zero bias). */
  private initLastLayer(rng: Rng): void {
    const layers = this.generator.layers;
    const last = layers[layers.length - 1] as Linear;
    const probe = randn([64, this.opts.condition.dim], { rng });
    const m2 = noGrad(() => {
      const body = layers.slice(0, -1);
      const input = this.generatorInput(this.params, probe);
      let h = input;
      body.forEach((m) => (h = m.forward(h)));
      return mean(mul(h, h)).item();
    });
    const w = last.params.weight as Tensor, b = last.params.bias as Tensor;
    const std = 1 / Math.sqrt(last.inFeatures * Math.max(m2, 1e-6));
    for (let i = 0; i < w.data.length; i++) w.data[i] = std * rng.normal();
    b.data.fill(0);
  }

  override get params(): Params {
    return { generator: this.generator.params, ...this.extra };
  }
  override set params(p: Params) {
    this.generator.params = childParams(p, 'generator');
    for (const k of Object.keys(this.extra)) if (p[k] instanceof Tensor) this.extra[k] = p[k] as Tensor;
  }
  override children(): [string, Module][] {
    return [['generator', this.generator]];
  }

  /** Training/eval mode reaches the target too (its Dropout/BatchNorm run with generated weights). */
  override train(on = true): this {
    super.train(on);
    this.target.train(on);
    return this;
  }

  /** The generator's buffers and the target's (BatchNorm running statistics), as `target.<name>`. */
  override buffers(): Record<string, Tensor> {
    const out = super.buffers();
    for (const [k, t] of Object.entries(this.target.buffers())) out[`target.${k}`] = t;
    return out;
  }

  /** Number of target parameters generated. @example hyper.targetCount() // 141 */
  targetCount(): number {
    return count(this.targetSpec);
  }

  /**
   * Own trainable parameters / generated target parameters (below 1 means compression).
   * @example hyper.compressionRatio()   // 0.21
   */
  compressionRatio(): number {
    return this.numParams() / this.targetCount();
  }

  /** Rows fed to the generator: [B, dim] conditions, or [B·C, dim + chunkDim] with chunk embeddings. */
  private generatorInput(params: Params, cond: Tensor): Tensor {
    if (!this.plan) return cond;
    const [b, d] = [cond.shape[0]!, cond.shape[1]!];
    const ce = params.chunkEmbeddings as Tensor;
    const c = this.plan.chunks, e = ce.shape[1]!;
    const condRep = reshape(broadcastTo(unsqueeze(cond, 1), [b, c, d]), [b * c, d]);
    const ceRep = reshape(broadcastTo(unsqueeze(ce, 0), [b, c, e]), [b * c, e]);
    return concat([condRep, ceRep], 1);
  }

  /**
   * Generated target parameter vectors for a batch of conditions: w = s ⊙ g_θ(c), [B, P].
   * @example hyper.generate(hyper.params, hyper.condition(hyper.params, { task: 0 }))   // [1, P]
   */
  generate(params: Params, cond: Tensor): Tensor {
    const dim = this.opts.condition.dim;
    if (cond.rank !== 2 || cond.shape[1] !== dim) {
      throw new ShapeError('HyperNetwork.generate', `conditions ${fmtShape(cond.shape)} must be [B, ${dim}]`);
    }
    const out = this.generator.apply(childParams(params, 'generator'), this.generatorInput(params, cond));
    if (!this.plan) return mul(out, this.scale);
    const b = cond.shape[0]!;
    const flat = reshape(out, [b, this.plan.chunks * this.plan.size]);
    return mul(this.plan.padding > 0 ? narrow(flat, 1, 0, this.plan.total) : flat, this.scale);
  }

  /**
   * The condition row for 'task' (its embedding) or 'noise' (z, or zeros when `noise` is off) conditioning, [1, dim].
   * @example hyper.condition(hyper.params, { task: 2 })
   */
  condition(params: Params, o: { task?: number; z?: Tensor } = {}): Tensor {
    const c = this.opts.condition;
    if (c.kind === 'task') {
      const t = o.task ?? this.task;
      if (!Number.isInteger(t) || t < 0 || t >= c.numTasks) throw new ArgumentError('HyperNetwork', `task ${t} is out of range 0..${c.numTasks - 1}`);
      return indexSelect(params.taskEmbeddings as Tensor, 0, [t]);
    }
    if (c.kind === 'noise') return o.z ?? this.sampleNoise(1);
    throw new ArgumentError('HyperNetwork.condition', "'input' conditioning takes its condition from the input's first columns");
  }

  /**
   * k noise conditions z ~ N(0, I), [k, dim]; zeros when `noise` is off. With `key` they come from the
   * key (the same key, the same conditions; the hypernet's stream is untouched), else from the
   * hypernet's own stream, which advances.
   * @example hyper.generate(hyper.params, hyper.sampleNoise(50, Key.of(1)))   // 50 target networks, reproducibly
   */
  sampleNoise(k: number, key?: Key): Tensor {
    const c = this.opts.condition;
    if (c.kind !== 'noise') throw new ArgumentError('HyperNetwork.sampleNoise', `needs 'noise' conditioning, this hypernet has '${c.kind}'`);
    return this.noise ? randn([k, c.dim], { rng: key?.stream() ?? this.rng }) : zeros([k, c.dim]);
  }

  /**
   * The target's parameter tree generated for one condition (views into the generated vector).
   * @example const tree = hyper.targetParams(hyper.params, { task: 0 }); hyper.target.apply(tree, x)
   */
  targetParams(params: Params, o: { task?: number; z?: Tensor } = {}): Params {
    const w = this.generate(params, this.condition(params, o));
    return unflatten(this.targetSpec, reshape(w, [w.shape[1]!])) as Params;
  }

  /**
   * Runs the target with generated weights (its state — BatchNorm statistics, Dropout streams — is the
   * `target` part of the state tree). 'noise' conditioning samples z per call in training mode (from
   * `ctx.key`, else the stream position `rng` in the state) and uses the z = 0 net in eval mode, so
   * evaluation is deterministic (as with dropout); `predictStochastic` samples in any mode.
   */
  run(params: Params, x: Tensor, ctx: ApplyContext): Applied {
    const c = this.opts.condition;
    let own = ctx.state ?? EMPTY_STATE, tparams: Params, xt = x;
    if (c.kind === 'input') {
      if (x.rank !== 2 || x.shape[1]! <= c.dim) {
        throw new ShapeError('HyperNetwork', `input-conditioned input ${fmtShape(x.shape)} must be [B, ${c.dim} condition columns + target inputs]`);
      }
      xt = narrow(x, 1, c.dim, x.shape[1]! - c.dim);
      tparams = unflattenBatched(this.targetSpec, this.generate(params, narrow(x, 1, 0, c.dim))) as Params;
    } else if (c.kind === 'noise' && modeOf(this, ctx) === 'train' && this.noise) {
      const s = randomStream(this, ctx);
      tparams = this.targetParams(params, { z: randn([1, c.dim], { rng: s.rng }) });
      own = s.next();
    } else {
      tparams = this.targetParams(params, c.kind === 'noise' ? { z: zeros([1, c.dim]) } : {});
    }
    const r = this.target.apply(tparams, xt, childContext(ctx, 'target'));
    return { y: r.y, state: joinStates({ ...ctx, state: own }, [['target', r.state]]) };
  }

  /** The generator's state, the target's (`target`), and the noise stream's position (`rng`, 'noise' conditioning). */
  override get state(): State {
    const out: Record<string, Tensor | Key | State> = { ...super.state };
    const t = this.target.state;
    if (t !== EMPTY_STATE) out.target = t;
    if (this.opts.condition.kind === 'noise') out.rng = Key.at(this.rng);
    return Object.keys(out).length === 0 ? EMPTY_STATE : out;
  }
  override loadState(state: State): void {
    super.loadState(state);
    const t = state.target;
    if (t !== undefined && !(t instanceof Tensor) && !(t instanceof Key)) this.target.loadState(t);
    if (state.rng instanceof Key) this.rng.setState(state.rng.state());
  }

  describe(): string {
    const c = this.opts.condition;
    return `HyperNetwork(${c.kind}, ${this.numParams()} → ${this.targetCount()} target params${this.plan ? `, ${this.plan.chunks} chunks of ${this.plan.size}` : ''})`;
  }

  toJSON(): ModuleJSON {
    const { target, ...rest } = this.opts;
    return { type: 'HyperNetwork', target: target.toJSON(), ...rest };
  }
}

const HYPERNET_OPTIONS: AllowedKeys<HyperNetworkOptions> = {
  target: true, condition: true, hidden: true, activation: true, chunkSize: true, chunkDim: true, hyperfan: true, gain: true, biasScale: true, seed: true,
};

function checkCondition(c: Conditioning): void {
  if (!c || !['task', 'input', 'noise'].includes(c.kind)) {
    throw new ArgumentError('HyperNetwork', `condition.kind must be 'task', 'input' or 'noise', got ${JSON.stringify(c?.kind)}`);
  }
  checkOptions('HyperNetwork condition', c, c.kind === 'task' ? ['kind', 'numTasks', 'dim'] : ['kind', 'dim']);
  if (!Number.isInteger(c.dim) || c.dim < 1) throw new ArgumentError('HyperNetwork', `condition.dim must be a positive integer, got ${c.dim}`);
  if (c.kind === 'task' && (!Number.isInteger(c.numTasks) || c.numTasks < 1)) {
    throw new ArgumentError('HyperNetwork', `condition.numTasks must be a positive integer, got ${c.numTasks}`);
  }
}
