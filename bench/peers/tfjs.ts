// Benchmark peer: the same MLP training steps in TensorFlow.js (cpu and wasm backends), for bench/*.ts.
import * as tf from '@tensorflow/tfjs';

/** Minibatches shared by every framework: row-major inputs and one-hot (or regression) targets. */
export interface Batches {
  x: Float32Array[];
  y: Float32Array[];
  batch: number;
  inDim: number;
  outDim: number;
}

let wasmReady: Promise<string | null> | null = null;

/**
 * Selects a tfjs backend ('cpu' or 'wasm'); returns null on success or the reason it failed.
 * The wasm backend is @tensorflow/tfjs-backend-wasm (SIMD build; threads only where Node offers them).
 *
 * @example
 * const err = await useTfjsBackend('wasm'); if (err) console.log('skip', err);
 */
export async function useTfjsBackend(name: 'cpu' | 'wasm'): Promise<string | null> {
  if (name === 'wasm') {
    wasmReady ??= import('@tensorflow/tfjs-backend-wasm').then(() => null, (e: Error) => `@tensorflow/tfjs-backend-wasm not installed: ${e.message}`);
    const err = await wasmReady;
    if (err) return err;
  }
  try {
    const ok = await tf.setBackend(name);
    await tf.ready();
    return ok ? null : `tf.setBackend('${name}') returned false`;
  } catch (e) {
    return `tf.setBackend('${name}') failed: ${(e as Error).message}`;
  }
}

/** The hyperparameters of an MLP training step shared by every framework. */
export interface MlpTrainOptions { act: 'relu' | 'tanh'; optimizer: 'adam' | 'sgd'; lr: number; loss: 'ce' | 'mse' }

/** Dense layers of `sizes` as tfjs variables (He-normal weights, zero biases). */
function mlpVariables(sizes: number[]): { ws: tf.Variable[]; bs: tf.Variable[] } {
  const ws: tf.Variable[] = [], bs: tf.Variable[] = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    ws.push(tf.variable(tf.randomNormal([sizes[i]!, sizes[i + 1]!], 0, Math.sqrt(2 / sizes[i]!), 'float32', 1)));
    bs.push(tf.variable(tf.zeros([sizes[i + 1]!])));
  }
  return { ws, bs };
}

function mlpForward(ws: tf.Variable[], bs: tf.Variable[], act: 'relu' | 'tanh', x: tf.Tensor2D): tf.Tensor2D {
  let h = x;
  for (let i = 0; i < ws.length; i++) {
    h = tf.add(tf.matMul(h, ws[i]! as tf.Tensor2D), bs[i]!);
    if (i + 1 < ws.length) h = act === 'relu' ? tf.relu(h) : tf.tanh(h);
  }
  return h;
}

/**
 * One MLP training step in tfjs on the current backend, cycling over `data`: variables +
 * optimizer.minimize (the lowest-overhead public training path); softmax cross-entropy or MSE.
 * @example const step = tfjsMlpStep(batches, [784, 256, 128, 10], { act: 'relu', optimizer: 'adam', lr: 1e-3, loss: 'ce' });
 */
export function tfjsMlpStep(data: Batches, sizes: number[], o: MlpTrainOptions): () => void {
  const { ws, bs } = mlpVariables(sizes);
  const opt = o.optimizer === 'adam' ? tf.train.adam(o.lr) : tf.train.sgd(o.lr);
  const xs = data.x.map((a) => tf.tensor2d(a, [data.batch, data.inDim]));
  const ys = data.y.map((a) => tf.tensor2d(a, [data.batch, data.outDim]));
  let k = 0;
  return () => {
    const x = xs[k % xs.length]!, y = ys[k % ys.length]!;
    k++;
    opt.minimize(() => (o.loss === 'ce' ? tf.losses.softmaxCrossEntropy(y, mlpForward(ws, bs, o.act, x)) : tf.losses.meanSquaredError(y, mlpForward(ws, bs, o.act, x))) as tf.Scalar, false);
  };
}

/**
 * Batch inference of an MLP in tfjs (forward + reading the result back), cycling over `xs`.
 * @example const step = tfjsMlpInferStep([x1024], 1024, [784, 256, 128, 10]);
 */
export function tfjsMlpInferStep(xs: Float32Array[], batch: number, sizes: number[]): () => void {
  const { ws, bs } = mlpVariables(sizes);
  const ts = xs.map((a) => tf.tensor2d(a, [batch, sizes[0]!]));
  let k = 0;
  return () => { tf.tidy(() => mlpForward(ws, bs, 'relu', ts[k++ % ts.length]!)).dataSync(); };
}

/**
 * A tf.layers model trained one batch per step with optimizer.minimize (training-mode apply, so
 * dropout and batch-norm statistics behave as in training); labels one-hot, softmax cross-entropy.
 * @example const step = tfjsLayersStep(model, xs, ys);
 */
export function tfjsLayersStep(model: tf.LayersModel, xs: tf.Tensor[], ys: tf.Tensor[], lr = 1e-3): () => void {
  const opt = tf.train.adam(lr);
  let k = 0;
  return () => {
    const i = k++ % xs.length;
    opt.minimize(() => tf.losses.softmaxCrossEntropy(ys[i]!, model.apply(xs[i]!, { training: true }) as tf.Tensor) as tf.Scalar, false);
  };
}
