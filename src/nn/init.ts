// Weight initialisers (PyTorch's formulas): constant, uniform, normal, Glorot/Xavier, He/Kaiming,
// LeCun, orthogonal. Each is `(shape, rng, dtype) => Tensor`; fans follow PyTorch's convention.
import { Tensor } from '../tensor/tensor.js';
import { allocate, type DType } from '../core/dtype.js';
import { sizeOf } from '../core/shape.js';
import { ArgumentError } from '../core/errors.js';
import type { Rng } from '../core/rng.js';

/** Creates a parameter tensor of `shape`. */
export type Initializer = (shape: readonly number[], rng: Rng, dtype?: DType) => Tensor;

/** Nonlinearities known to `gain` (PyTorch's calculate_gain). */
export type Nonlinearity = 'linear' | 'identity' | 'sigmoid' | 'tanh' | 'relu' | 'leaky_relu' | 'selu' | 'softsign' | 'hardtanh' | 'softplus';

/**
 * Recommended gain for a nonlinearity: 1 (linear, sigmoid), 5/3 (tanh), √2 (relu),
 * √(2/(1+a²)) (leaky_relu with slope a), 3/4 (selu).
 * @example gain('relu') // 1.4142...
 */
export function gain(nonlinearity: Nonlinearity, slope = 0.01): number {
  switch (nonlinearity) {
    case 'tanh': return 5 / 3;
    case 'relu': return Math.SQRT2;
    case 'leaky_relu': return Math.sqrt(2 / (1 + slope * slope));
    case 'selu': return 3 / 4;
    default: return 1;
  }
}

/**
 * (fan_in, fan_out) of a weight: `[out, in]` → (in, out); `[out, in, k...]` → (in·∏k, out·∏k).
 * @example fans([10, 784]) // [784, 10]
 */
export function fans(shape: readonly number[]): [number, number] {
  if (shape.length < 2) throw new ArgumentError('init', `fan in/out need a weight of rank >= 2, got shape [${shape.join(',')}]`);
  const receptive = sizeOf(shape.slice(2));
  return [shape[1]! * receptive, shape[0]! * receptive];
}

function sample(shape: readonly number[], dtype: DType, draw: () => number): Tensor {
  const data = allocate(dtype, sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = draw();
  return new Tensor(data, shape);
}

/** All zeros. @example nn.init.zerosInit()([2, 3], new Rng(0)) // [[0, 0, 0], [0, 0, 0]] */
export const zerosInit = (): Initializer => (shape, _rng, dtype = 'float32') => sample(shape, dtype, () => 0);
/** All equal to `value`. @example constantInit(0.1) */
export const constantInit = (value: number): Initializer => (shape, _rng, dtype = 'float32') => sample(shape, dtype, () => value);
/** U(lo, hi). @example uniformInit(-0.1, 0.1) */
export const uniformInit = (lo: number, hi: number): Initializer => (shape, rng, dtype = 'float32') => sample(shape, dtype, () => lo + (hi - lo) * rng.uniform());
/** N(mean, std²). @example normalInit(0, 0.01) */
export const normalInit = (mean = 0, std = 1): Initializer => (shape, rng, dtype = 'float32') => sample(shape, dtype, () => mean + std * rng.normal());

/**
 * Glorot/Xavier uniform: U(-b, b), b = gain·√(6/(fan_in+fan_out)) (Glorot & Bengio 2010).
 * @example new nn.Linear(784, 100, { init: nn.init.xavierUniform() })
 */
export const xavierUniform = (g = 1): Initializer => (shape, rng, dtype) => {
  const [fi, fo] = fans(shape);
  const b = g * Math.sqrt(6 / (fi + fo));
  return uniformInit(-b, b)(shape, rng, dtype);
};

/** Glorot/Xavier normal: N(0, σ²), σ = gain·√(2/(fan_in+fan_out)). @example nn.init.xavierNormal(nn.init.gain('tanh'))([64, 32], new Rng(0)) */
export const xavierNormal = (g = 1): Initializer => (shape, rng, dtype) => {
  const [fi, fo] = fans(shape);
  return normalInit(0, g * Math.sqrt(2 / (fi + fo)))(shape, rng, dtype);
};

export interface KaimingOptions {
  /** Scale by fan_in (preserves forward variance, default) or fan_out (backward). */
  mode?: 'fan_in' | 'fan_out';
  nonlinearity?: Nonlinearity;
  /** Negative slope for leaky_relu. */
  slope?: number;
}

function kaimingStd(shape: readonly number[], o: KaimingOptions): number {
  const [fi, fo] = fans(shape);
  return gain(o.nonlinearity ?? 'relu', o.slope ?? 0) / Math.sqrt(o.mode === 'fan_out' ? fo : fi);
}

/**
 * He/Kaiming uniform: U(-b, b), b = √3·gain/√fan (He et al. 2015).
 * @example nn.init.kaimingUniform()([100, 784], new Rng(0)) // entries in ±√(6/784) ≈ ±0.0875
 */
export const kaimingUniform = (o: KaimingOptions = {}): Initializer => (shape, rng, dtype) => {
  const b = Math.sqrt(3) * kaimingStd(shape, o);
  return uniformInit(-b, b)(shape, rng, dtype);
};

/** He/Kaiming normal: N(0, σ²), σ = gain/√fan. @example new nn.Conv2d(3, 16, 3, { init: nn.init.kaimingNormal({ mode: 'fan_out' }) }) */
export const kaimingNormal = (o: KaimingOptions = {}): Initializer => (shape, rng, dtype) => normalInit(0, kaimingStd(shape, o))(shape, rng, dtype);

/** LeCun uniform: U(-b, b), b = √(3/fan_in). @example new nn.Linear(10, 4, { init: nn.init.lecunUniform() }) */
export const lecunUniform = (): Initializer => kaimingUniform({ nonlinearity: 'linear' });
/** LeCun normal: N(0, 1/fan_in). @example nn.init.lecunNormal()([10, 4], new Rng(0)) */
export const lecunNormal = (): Initializer => kaimingNormal({ nonlinearity: 'linear' });

/**
 * (Semi-)orthogonal matrix times gain (Saxe et al. 2014): Gram–Schmidt on a Gaussian matrix of
 * shape [rows, ∏ rest]; rows are orthonormal when rows ≤ cols, columns otherwise.
 * @example
 * const q = nn.init.orthogonal()([3, 3], new Rng(0));
 * matmul(q, transpose(q)); // ≈ eye(3)
 */
export const orthogonal = (g = 1): Initializer => (shape, rng, dtype = 'float32') => {
  const rows = shape[0]!, cols = sizeOf(shape) / rows;
  const [r, c] = rows < cols ? [rows, cols] : [cols, rows];
  const q = Array.from({ length: r }, () => Float64Array.from({ length: c }, () => rng.normal()));
  for (let i = 0; i < r; i++) {
    for (let j = 0; j < i; j++) {
      let d = 0;
      for (let k = 0; k < c; k++) d += q[i]![k]! * q[j]![k]!;
      for (let k = 0; k < c; k++) q[i]![k]! -= d * q[j]![k]!;
    }
    const norm = Math.sqrt(q[i]!.reduce((s, v) => s + v * v, 0));
    for (let k = 0; k < c; k++) q[i]![k]! /= norm;
  }
  const data = allocate(dtype, rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) data[i * cols + j] = g * (rows < cols ? q[i]![j]! : q[j]![i]!);
  return new Tensor(data, shape);
};

/**
 * PyTorch's nn.Linear/Conv default: U(-1/√fan_in, 1/√fan_in) for weight and bias (kaiming_uniform with a=√5).
 * @example nn.init.torchDefault(784)([100], new Rng(0)) // entries in ±1/28
 */
export const torchDefault = (fanIn: number): Initializer => {
  const b = fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0;
  return uniformInit(-b, b);
};

/** Initialisers by the names configs use. @example nn.init.initializers.glorot()([4, 2], new Rng(0)) */
export const initializers = {
  he: () => kaimingNormal(), he_uniform: () => kaimingUniform(), kaiming_normal: () => kaimingNormal(), kaiming_uniform: () => kaimingUniform(),
  glorot: () => xavierUniform(), glorot_uniform: () => xavierUniform(), xavier_uniform: () => xavierUniform(),
  glorot_normal: () => xavierNormal(), xavier_normal: () => xavierNormal(),
  lecun: () => lecunNormal(), lecun_normal: () => lecunNormal(), lecun_uniform: () => lecunUniform(),
  orthogonal: () => orthogonal(), zeros: () => zerosInit(),
} as const satisfies Record<string, () => Initializer>;

export type InitName = keyof typeof initializers | 'default';

/** An initialiser by name ('he', 'glorot', 'lecun', 'orthogonal', ...). @example initByName('he') */
export function initByName(name: string): Initializer {
  const make = Object.hasOwn(initializers, name) ? (initializers as Record<string, () => Initializer>)[name] : undefined;
  if (!make) throw new ArgumentError('init', `unknown initializer "${name}"; choose one of default, ${Object.keys(initializers).join(', ')}`);
  return make();
}
