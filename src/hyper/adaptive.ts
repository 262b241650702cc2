// Adaptive depth: up to L residual layers whose weights a hypernet generates from learned layer
// embeddings, with a learned halting rule (ACT/PonderNet style) so easy inputs run fewer layers.
import { checkOptions } from '../core/options.js';
import { Tensor } from '../tensor/tensor.js';
import { ArgumentError } from '../core/errors.js';
import { Rng } from '../core/rng.js';
import { noGrad } from '../autograd/graph.js';
import { add, mul, sigmoid, sub, tanh } from '../ops/elementwise.js';
import { mean, sum } from '../ops/reduce.js';
import { concat, indexSelect, reshape } from '../ops/movement.js';
import { crossEntropy } from '../losses/multiclass.js';
import { type ApplyContext, Module, childParams, modeOf, type ModuleJSON, type Params } from '../nn/module.js';
import { Linear } from '../nn/linear.js';
import { HyperNetwork } from './hypernet.js';

export interface AdaptiveDepthOptions {
  inputs: number;
  outputs: number;
  /** Width of the residual stream (default 32). */
  width?: number;
  /** Maximum number of generated layers L (default 6). */
  maxDepth?: number;
  /** Layer-embedding size of the layer hypernet (default 4). */
  embeddingDim?: number;
  /** Hidden widths of the layer hypernet's generator (default [16]). */
  hidden?: number[];
  /** Run all L layers and read out the last (no halting): the fixed-depth baseline. */
  fixedDepth?: boolean;
  /** Halt once the cumulative halting probability reaches this (default 0.5, the median depth). */
  threshold?: number;
  seed?: number;
}

/** Soft (training) pass: per-layer logits, halting distribution w [N, L] and expected depth E[l]. */
export interface PonderPass {
  logits: Tensor[];
  weights: Tensor;
  expectedDepth: Tensor;
}

/**
 * A network of up to L generated residual layers h_l = h_{l-1} + tanh(W_l h_{l-1} + b_l), where
 * (W_l, b_l) = hyper(e_l) for learned layer embeddings e_l, and a halting unit λ_l = σ(v·h_l + c).
 * The halting distribution is w_l = λ_l Π_{j<l}(1 − λ_j) (the last layer takes the rest);
 * training minimises Σ_l w_l CE(y, readout(h_l)) + τ·E[l] (`ponderLoss`, PonderNet's expected
 * loss with an ACT-like compute penalty). At evaluation each input stops at the first l whose
 * cumulative halting probability reaches `threshold`; only still-running rows are computed.
 *
 * @example
 * const net = new AdaptiveDepthNet({ inputs: 2, outputs: 2, maxDepth: 6 });
 * const { depth, logits } = net.runAdaptive(x);   // depth per input
 */
export class AdaptiveDepthNet extends Module {
  readonly encoder: Linear;
  readonly layers: HyperNetwork;
  readonly halt: Linear;
  readonly readout: Linear;
  readonly maxDepth: number;

  constructor(readonly opts: AdaptiveDepthOptions) {
    super();
    checkOptions('AdaptiveDepthNet', opts, ['inputs', 'outputs', 'width', 'maxDepth', 'embeddingDim', 'hidden', 'fixedDepth', 'threshold', 'seed']);
    const w = opts.width ?? 32;
    this.maxDepth = opts.maxDepth ?? 6;
    if (!Number.isInteger(this.maxDepth) || this.maxDepth < 1) throw new ArgumentError('AdaptiveDepthNet', `maxDepth must be a positive integer, got ${this.maxDepth}`);
    const rng = new Rng(opts.seed ?? 0);
    this.encoder = new Linear(opts.inputs, w, { rng: rng.split() });
    this.layers = new HyperNetwork({
      target: new Linear(w, w, { rng: rng.split() }), condition: { kind: 'task', numTasks: this.maxDepth, dim: opts.embeddingDim ?? 4 },
      hidden: opts.hidden ?? [16], gain: 1, seed: (opts.seed ?? 0) + 1,
    });
    this.halt = new Linear(w, 1, { rng: rng.split() });
    this.readout = new Linear(w, opts.outputs, { rng: rng.split() });
  }

  override children(): [string, Module][] {
    return [['encoder', this.encoder], ['layers', this.layers], ['halt', this.halt], ['readout', this.readout]];
  }
  override get params(): Params {
    return Object.fromEntries(this.children().map(([k, m]) => [k, m.params]));
  }
  override set params(p: Params) {
    for (const [k, m] of this.children()) m.params = childParams(p, k);
  }

  /** Layer l (0-based) applied to h: h + tanh(W_l h + b_l). */
  private layer(params: Params, l: number, h: Tensor): Tensor {
    const lp = childParams(params, 'layers');
    return add(h, tanh(this.layers.target.apply(this.layers.targetParams(lp, { task: l }), h)));
  }

  /**
   * Soft pass through all L layers: per-layer logits, halting weights w [N, L], E[depth] [N] (1-based).
   * @example const { weights, expectedDepth } = net.ponder(net.params, x);
   */
  ponder(params: Params, x: Tensor): PonderPass {
    let h = tanh(this.encoder.apply(childParams(params, 'encoder'), x));
    let remain: Tensor | null = null;
    const logits: Tensor[] = [], ws: Tensor[] = [];
    for (let l = 0; l < this.maxDepth; l++) {
      h = this.layer(params, l, h);
      logits.push(this.readout.apply(childParams(params, 'readout'), h));
      const lam = l === this.maxDepth - 1 || this.opts.fixedDepth ? null : sigmoid(this.halt.apply(childParams(params, 'halt'), h));
      const here = lam ? (remain ? mul(remain, lam) : lam) : (remain ?? ones(x.shape[0]!));
      ws.push(here);
      if (lam) remain = remain ? mul(remain, sub(1, lam)) : sub(1, lam);
    }
    if (this.opts.fixedDepth) return { logits, weights: oneHotLast(x.shape[0]!, this.maxDepth), expectedDepth: new Tensor(new Float32Array(x.shape[0]!).fill(this.maxDepth), [x.shape[0]!]) };
    const weights = concat(ws, 1);
    const depths = new Tensor(Float32Array.from({ length: this.maxDepth }, (_, i) => i + 1), [this.maxDepth]);
    return { logits, weights, expectedDepth: sum(mul(weights, depths), [1]) };
  }

  /**
   * Σ_l w_l CE(y, logits_l) averaged over the batch, plus τ·mean E[depth] (the compute penalty).
   * @example const loss = net.ponderLoss(net.params, x, y, 0.01);
   */
  ponderLoss(params: Params, x: Tensor, y: Tensor, tau: number): Tensor {
    const { logits, weights, expectedDepth } = this.ponder(params, x);
    const per = concat(logits.map((lg) => reshape(crossEntropy(lg, y, { reduction: 'none' }), [x.shape[0]!, 1])), 1);
    return add(mean(sum(mul(weights, per), [1])), mul(mean(expectedDepth), tau));
  }

  /**
   * Hard halting: each input runs layers until its cumulative halting probability reaches the
   * threshold (only running rows are computed); returns the logits at the halting layer and the
   * number of layers each input executed.
   * @example const { depth } = net.runAdaptive(x); // Int32Array of 1..L
   */
  runAdaptive(x: Tensor, params: Params = this.params): { logits: Tensor; depth: Int32Array } {
    return noGrad(() => {
      const n = x.shape[0]!, thr = this.opts.threshold ?? 0.5;
      const depth = new Int32Array(n), out = new Float32Array(n * this.opts.outputs);
      let active = Int32Array.from({ length: n }, (_, i) => i);
      let h = tanh(this.encoder.apply(childParams(params, 'encoder'), x));
      const cum = new Float64Array(n), remain = new Float64Array(n).fill(1);
      for (let l = 0; l < this.maxDepth && active.length > 0; l++) {
        h = this.layer(params, l, h);
        const lam = l === this.maxDepth - 1 || this.opts.fixedDepth ? null : sigmoid(this.halt.apply(childParams(params, 'halt'), h));
        const logits = this.readout.apply(childParams(params, 'readout'), h);
        const keep: number[] = [];
        active.forEach((row, i) => {
          const p = lam ? lam.data[i]! : 1;
          cum[row]! += remain[row]! * p;
          remain[row]! *= 1 - p;
          if (l === this.maxDepth - 1 || (lam !== null && cum[row]! >= thr)) {
            depth[row] = l + 1;
            out.set(logits.data.subarray(i * this.opts.outputs, (i + 1) * this.opts.outputs), row * this.opts.outputs);
          } else keep.push(i);
        });
        h = indexSelect(h, 0, keep);
        active = Int32Array.from(keep, (i) => active[i]!);
      }
      return { logits: new Tensor(out, [n, this.opts.outputs]), depth };
    });
  }

  /** Train mode: the halting-weighted mix of every layer's logits (differentiable); eval: hard halting (runAdaptive). No state. */
  run(params: Params, x: Tensor, ctx: ApplyContext): Tensor {
    if (modeOf(this, ctx) === 'eval') return this.runAdaptive(x, params).logits;
    const { logits, weights } = this.ponder(params, x);
    return logits.reduce((acc: Tensor | null, lg, l) => {
      const term = mul(lg, indexSelect(weights, 1, [l]));
      return acc ? add(acc, term) : term;
    }, null)!;
  }

  describe(): string {
    return `AdaptiveDepthNet(${this.opts.inputs}→${this.opts.outputs}, up to ${this.maxDepth} generated layers${this.opts.fixedDepth ? ', fixed depth' : ''})`;
  }

  toJSON(): ModuleJSON {
    return { type: 'AdaptiveDepthNet', ...this.opts };
  }
}

function ones(n: number): Tensor {
  return new Tensor(new Float32Array(n).fill(1), [n, 1]);
}

function oneHotLast(n: number, l: number): Tensor {
  const d = new Float32Array(n * l);
  for (let i = 0; i < n; i++) d[i * l + l - 1] = 1;
  return new Tensor(d, [n, l]);
}
