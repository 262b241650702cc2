// Recurrent layers RNN, LSTM, GRU (PyTorch gate order and parameter names) and LastStep.
import { Tensor, zeros } from '../tensor/tensor.js';
import { ArgumentError, ShapeError, fmtShape } from '../core/errors.js';
import { Rng, defaultRng } from '../core/rng.js';
import type { DType } from '../core/dtype.js';
import { add, mul, relu, sigmoid, sub, tanh } from '../ops/elementwise.js';
import { matmul } from '../ops/matmul.js';
import { narrow, permute, reshape, stack, transpose } from '../ops/movement.js';
import { lstmStep } from '../ops/lstm-cell.js';
import { Module, Stateless, type ModuleJSON, type Params } from './module.js';
import { torchDefault } from './init.js';
import { type AllowedKeys, checkOptions } from '../core/options.js';
import { checkDType } from '../core/dtype.js';

export interface RecurrentOptions {
  /** Stacked layers (default 1); layer k's parameters end in `_l{k}`. */
  numLayers?: number;
  /** Learn bias_ih/bias_hh (default true). */
  bias?: boolean;
  /** Input and output are [N, T, features] (default true); false means [T, N, features]. */
  batchFirst?: boolean;
  /** RNN only: 'tanh' (default) or 'relu'. */
  nonlinearity?: 'tanh' | 'relu';
  rng?: Rng;
  dtype?: DType;
}

const RECURRENT_OPTIONS: AllowedKeys<RecurrentOptions> = { numLayers: true, bias: true, batchFirst: true, nonlinearity: true, rng: true, dtype: true };

/** Hidden (and, for LSTM, cell) state per layer, each [numLayers, N, H] as in PyTorch. */
export interface RecurrentState {
  h: Tensor;
  c?: Tensor;
}

/** One step's layer input: [N, in] (`rowsFirst`, the data) or [in, N] (a lower layer's h). */
interface StepInput {
  x: Tensor;
  rowsFirst: boolean;
}

/** One time step of one layer in transposed layout: gates are [G·H, N], states [H, N]. */
interface StepState {
  h: Tensor;
  c?: Tensor;
}

/**
 * Shared machinery of RNN/LSTM/GRU. Internally time-major and transposed ([G·H, N] gates), so
 * each gate is a contiguous row block: each step computes W_ih x_tᵀ + b_ih and W_hh hᵀ + b_hh and
 * applies the cell.
 *
 * @example
 * const rnn: nn.Recurrent = new nn.LSTM(3, 16);
 * rnn.forward(x);          // [N, T, 3] → [N, T, 16]
 * rnn.finalState(x).h;     // [1, N, 16]
 */
export abstract class Recurrent extends Module {
  readonly numLayers: number;
  readonly batchFirst: boolean;
  /** Gates per cell: 1 (RNN), 4 (LSTM: i, f, g, o), 3 (GRU: r, z, n). */
  protected abstract readonly gates: number;
  protected abstract readonly kind: 'RNN' | 'LSTM' | 'GRU';

  constructor(readonly inputSize: number, readonly hiddenSize: number, readonly opts: RecurrentOptions = {}) {
    super();
    checkOptions(new.target.name, opts, RECURRENT_OPTIONS);
    if (opts.dtype !== undefined) checkDType(opts.dtype, new.target.name);
    this.numLayers = opts.numLayers ?? 1;
    this.batchFirst = opts.batchFirst ?? true;
    if (![inputSize, hiddenSize, this.numLayers].every((v) => Number.isInteger(v) && v >= 1)) {
      throw new ArgumentError('Recurrent', `inputSize ${inputSize}, hiddenSize ${hiddenSize} and numLayers ${this.numLayers} must be positive integers`);
    }
  }

  /** Creates PyTorch-named parameters, all U(±1/√H); called by subclasses once `gates` is set. */
  protected init(): void {
    const rng = this.opts.rng ?? defaultRng();
    const dtype = this.opts.dtype ?? 'float32';
    const u = torchDefault(this.hiddenSize), gh = this.gates * this.hiddenSize;
    const p: Params = {};
    for (let l = 0; l < this.numLayers; l++) {
      const inp = l === 0 ? this.inputSize : this.hiddenSize;
      p[`weight_ih_l${l}`] = u([gh, inp], rng, dtype).detach().requireGrad();
      p[`weight_hh_l${l}`] = u([gh, this.hiddenSize], rng, dtype).detach().requireGrad();
      if (this.opts.bias ?? true) {
        p[`bias_ih_l${l}`] = u([gh], rng, dtype).detach().requireGrad();
        p[`bias_hh_l${l}`] = u([gh], rng, dtype).detach().requireGrad();
      }
    }
    this.ownParams = p;
  }

  /**
   * One step: `xg` = W_ih xᵀ + b_ih [G·H, N], `hg` = W_hh hᵀ + b_hh [G·H, N] — or, for a cell that
   * takes the biases itself (`bias` given: b_ih + b_hh [G·H]), the two products without them.
   */
  protected abstract cell(xg: Tensor, hg: Tensor, s: StepState, bias?: Tensor): StepState;

  /** Whether `cell` adds the summed biases itself (LSTM's fused step) rather than taking them in xg and hg. */
  protected readonly cellTakesBias: boolean = false;

  /** Output sequence [N, T, H] (batch-first) for any parameter tree of this module's spec. */
  run(params: Params, x: Tensor): Tensor {
    return this.applyWithState(params, x).output;
  }

  /** Final hidden (and cell) state, each [numLayers, N, H]. @example lstm.finalState(x).h */
  finalState(x: Tensor, state?: RecurrentState): RecurrentState {
    const { h, c } = this.applyWithState(this.params, x, state);
    return c ? { h, c } : { h };
  }

  /**
   * The full forward pass: output sequence plus final states; `state` gives the initial h (and c),
   * each [numLayers, N, H] (zeros when omitted).
   * @example const { output, h, c } = lstm.applyWithState(lstm.params, x)
   */
  applyWithState(params: Params, x: Tensor, state?: RecurrentState): { output: Tensor; h: Tensor; c?: Tensor } {
    this.checkInput(x, state);
    const seq = this.batchFirst ? permute(x, [1, 0, 2]) : x; // [T, N, in]
    const t = seq.shape[0]!, n = seq.shape[1]!;
    // Layer 0 reads step k of the input as [N, in]; deeper layers read the previous layer's h_k [H, N].
    let steps: StepInput[] = Array.from({ length: t }, (_, k) => ({ x: reshape(narrow(seq, 0, k, 1), [n, this.inputSize]), rowsFirst: true }));
    const finals: StepState[] = [];
    let hs: Tensor[] = [];
    for (let l = 0; l < this.numLayers; l++) {
      const { out, last } = this.runLayer(params, l, steps, this.initial(x, state, l));
      hs = out;
      steps = out.map((h) => ({ x: h, rowsFirst: false }));
      finals.push(last);
    }
    const timeMajor = transpose(stack(hs)); // [T, H, N] → [T, N, H]
    const output = this.batchFirst ? permute(timeMajor, [1, 0, 2]) : timeMajor;
    const h = stack(finals.map((s) => transpose(s.h)));
    return this.kind === 'LSTM' ? { output, h, c: stack(finals.map((s) => transpose(s.c!))) } : { output, h };
  }

  /**
   * One layer over all steps; returns each step's h [H, N]. NOTE: each step projects its own input
   * (W_ih x_kᵀ + b_ih) rather than slicing one batched [T, G·H, N] product. That once kept the
   * backward pass linear in T, when a slice's gradient was a zero-padded full-size tensor; slice
   * gradients are now added in place (autograd/accumulate.ts), so a batched product is an option again.
   */
  private runLayer(params: Params, l: number, steps: StepInput[], s0: StepState): { out: Tensor[]; last: StepState } {
    const wih = params[`weight_ih_l${l}`] as Tensor, whh = params[`weight_hh_l${l}`] as Tensor;
    const bih = params[`bias_ih_l${l}`] as Tensor | undefined, bhh = params[`bias_hh_l${l}`] as Tensor | undefined;
    if (!wih || !whh) throw new ArgumentError(this.kind, `parameters weight_ih_l${l}/weight_hh_l${l} are missing from the tree`);
    const gh = this.gates * this.hiddenSize;
    // A cell that takes the biases gets their sum once per layer; the others add each to its product.
    const cellBias = this.cellTakesBias ? (bih && bhh ? add(bih, bhh) : bih ?? bhh) : undefined;
    const bihCol = bih && !this.cellTakesBias ? reshape(bih, [gh, 1]) : undefined, bhhCol = bhh && !this.cellTakesBias ? reshape(bhh, [gh, 1]) : undefined;
    let s = s0;
    const hs: Tensor[] = [];
    for (const step of steps) {
      let xg = matmul(wih, step.x, { transB: step.rowsFirst }); // [G·H, N]
      if (bihCol) xg = add(xg, bihCol);
      let hg = matmul(whh, s.h);
      if (bhhCol) hg = add(hg, bhhCol);
      s = this.cell(xg, hg, s, cellBias);
      hs.push(s.h);
    }
    return { out: hs, last: s };
  }

  private initial(x: Tensor, state: RecurrentState | undefined, l: number): StepState {
    const n = this.batchFirst ? x.shape[0]! : x.shape[1]!;
    const pick = (t: Tensor | undefined): Tensor => (t ? transpose(reshape(narrow(t, 0, l, 1), [n, this.hiddenSize])) : zeros([this.hiddenSize, n], { dtype: x.dtype }));
    return this.kind === 'LSTM' ? { h: pick(state?.h), c: pick(state?.c) } : { h: pick(state?.h) };
  }

  private checkInput(x: Tensor, state?: RecurrentState): void {
    const layout = this.batchFirst ? 'N, T' : 'T, N';
    if (x.rank !== 3 || x.shape[2] !== this.inputSize) {
      throw new ShapeError(this.kind, `input ${fmtShape(x.shape)} must be [${layout}, ${this.inputSize}]${x.rank === 2 ? ' (add a features dim of size 1 for scalar sequences)' : ''}`);
    }
    if (x.shape[this.batchFirst ? 1 : 0] === 0) throw new ShapeError(this.kind, `input ${fmtShape(x.shape)} has no time steps`);
    const n = this.batchFirst ? x.shape[0]! : x.shape[1]!;
    for (const [name, t] of [['h', state?.h], ['c', state?.c]] as const) {
      if (t && fmtShape(t.shape) !== fmtShape([this.numLayers, n, this.hiddenSize])) {
        throw new ShapeError(this.kind, `initial ${name} ${fmtShape(t.shape)} must be [${this.numLayers}, ${n}, ${this.hiddenSize}]`);
      }
    }
  }

  describe(): string {
    return `${this.kind}(${this.inputSize}→${this.hiddenSize}${this.numLayers > 1 ? `, ${this.numLayers} layers` : ''})`;
  }

  toJSON(): ModuleJSON {
    return {
      type: this.kind, in: this.inputSize, hidden: this.hiddenSize, numLayers: this.numLayers,
      bias: `bias_ih_l0` in this.ownParams, batchFirst: this.batchFirst,
      ...(this.kind === 'RNN' ? { nonlinearity: this.opts.nonlinearity ?? 'tanh' } : {}),
    };
  }
}

/** Rows [k·H, (k+1)·H) of a [G·H, N] gate block (a contiguous view). */
const gate = (g: Tensor, k: number, h: number): Tensor => narrow(g, 0, k * h, h);

/**
 * Elman RNN as torch.nn.RNN: h_t = tanh(W_ih x_t + b_ih + W_hh h_{t−1} + b_hh) (or relu).
 * @example new RNN(3, 16).forward(x)   // [N, T, 3] → [N, T, 16]
 */
export class RNN extends Recurrent {
  protected readonly gates = 1;
  protected readonly kind = 'RNN' as const;
  constructor(inputSize: number, hiddenSize: number, opts: RecurrentOptions = {}) {
    super(inputSize, hiddenSize, opts);
    this.init();
  }
  protected cell(xg: Tensor, hg: Tensor): StepState {
    const pre = add(xg, hg);
    return { h: this.opts.nonlinearity === 'relu' ? relu(pre) : tanh(pre) };
  }
}

/**
 * LSTM (Hochreiter & Schmidhuber 1997) as torch.nn.LSTM, gates in PyTorch's order i, f, g, o:
 * i = σ(·), f = σ(·), g = tanh(·), o = σ(·); c_t = f ⊙ c_{t−1} + i ⊙ g; h_t = o ⊙ tanh(c_t).
 * @example new Sequential(new LSTM(1, 32), new LastStep(), new Linear(32, 1))
 */
export class LSTM extends Recurrent {
  protected readonly gates = 4;
  protected readonly kind = 'LSTM' as const;
  constructor(inputSize: number, hiddenSize: number, opts: RecurrentOptions = {}) {
    super(inputSize, hiddenSize, opts);
    if (opts.nonlinearity !== undefined) throw new ArgumentError('LSTM', `nonlinearity is an RNN option; LSTM has fixed gate activations (got ${JSON.stringify(opts.nonlinearity)})`);
    this.init();
  }
  // The fused step (ops/lstm-cell.ts): one primitive each way, the biases summed once per layer.
  protected override readonly cellTakesBias = true;
  protected cell(xg: Tensor, hg: Tensor, s: StepState, bias?: Tensor): StepState {
    return lstmStep(xg, hg, s.c!, bias);
  }
}

/**
 * GRU (Cho et al. 2014) as torch.nn.GRU, gates r, z, n: r = σ(W_ir x + b_ir + W_hr h + b_hr),
 * z likewise, n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn)), h_t = (1 − z) ⊙ n + z ⊙ h_{t−1}.
 * @example new GRU(8, 32, { numLayers: 2 }).forward(x)   // [N, T, 8] → [N, T, 32]
 */
export class GRU extends Recurrent {
  protected readonly gates = 3;
  protected readonly kind = 'GRU' as const;
  constructor(inputSize: number, hiddenSize: number, opts: RecurrentOptions = {}) {
    super(inputSize, hiddenSize, opts);
    if (opts.nonlinearity !== undefined) throw new ArgumentError('GRU', `nonlinearity is an RNN option; GRU has fixed gate activations (got ${JSON.stringify(opts.nonlinearity)})`);
    this.init();
  }
  protected cell(xg: Tensor, hg: Tensor, s: StepState): StepState {
    const h = this.hiddenSize;
    const r = sigmoid(add(gate(xg, 0, h), gate(hg, 0, h)));
    const z = sigmoid(add(gate(xg, 1, h), gate(hg, 1, h)));
    const n = tanh(add(gate(xg, 2, h), mul(r, gate(hg, 2, h))));
    return { h: add(n, mul(z, sub(s.h, n))) }; // (1 − z) n + z h
  }
}

/**
 * The last time step of a batch-first sequence, [N, T, H] → [N, H], so that
 * Sequential(LSTM, LastStep, Linear) is a sequence classifier/regressor.
 * @example new LastStep().forward(lstm.forward(x))   // [N, 20, 32] → [N, 32]
 */
export class LastStep extends Stateless {
  call(x: Tensor): Tensor {
    if (x.rank !== 3 || x.shape[1] === 0) throw new ShapeError('LastStep', `expected a non-empty sequence [N, T, H], got ${fmtShape(x.shape)}`);
    return reshape(narrow(x, 1, x.shape[1]! - 1, 1), [x.shape[0]!, x.shape[2]!]);
  }
  describe(): string { return 'LastStep'; }
  toJSON(): ModuleJSON { return { type: 'LastStep' }; }
}
