// Benchmark peer: the same MLP training steps in TensorFlow.js (cpu and wasm backends), for bench/*.ts.
import * as tf from '@tensorflow/tfjs';
import { medianRate, type RateResult } from '../timing.js';

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

/**
 * Median training steps/s of an MLP (`sizes`, hidden activation `act`) in tfjs on the current backend:
 * variables + optimizer.minimize (the lowest-overhead public training path), cycling over `data`.
 * loss = softmax cross-entropy when `loss` = 'ce', else mean squared error.
 *
 * @example
 * const r = await tfjsMlpRate(batches, [784, 256, 128, 10], { act: 'relu', optimizer: 'adam', lr: 1e-3, loss: 'ce' });
 */
export async function tfjsMlpRate(
  data: Batches, sizes: number[],
  o: { act: 'relu' | 'tanh'; optimizer: 'adam' | 'sgd'; lr: number; loss: 'ce' | 'mse'; chunks?: number; chunkMs?: number },
): Promise<RateResult> {
  const ws: tf.Variable[] = [], bs: tf.Variable[] = [];
  for (let i = 0; i + 1 < sizes.length; i++) {
    const std = Math.sqrt(2 / sizes[i]!);
    ws.push(tf.variable(tf.randomNormal([sizes[i]!, sizes[i + 1]!], 0, std, 'float32', 1)));
    bs.push(tf.variable(tf.zeros([sizes[i + 1]!])));
  }
  const opt = o.optimizer === 'adam' ? tf.train.adam(o.lr) : tf.train.sgd(o.lr);
  const xs = data.x.map((a) => tf.tensor2d(a, [data.batch, data.inDim]));
  const ys = data.y.map((a) => tf.tensor2d(a, [data.batch, data.outDim]));
  const f = (x: tf.Tensor2D): tf.Tensor2D => {
    let h = x;
    for (let i = 0; i < ws.length; i++) {
      h = tf.add(tf.matMul(h, ws[i]! as tf.Tensor2D), bs[i]!);
      if (i + 1 < ws.length) h = o.act === 'relu' ? tf.relu(h) : tf.tanh(h);
    }
    return h;
  };
  let k = 0;
  const step = (): void => {
    const x = xs[k % xs.length]!, y = ys[k % ys.length]!;
    k++;
    opt.minimize(() => (o.loss === 'ce' ? tf.losses.softmaxCrossEntropy(y, f(x)) : tf.losses.meanSquaredError(y, f(x))) as tf.Scalar, false);
  };
  const r = await medianRate(step, { chunks: o.chunks, chunkMs: o.chunkMs });
  ws[0]!.dataSync();
  tf.dispose([...ws, ...bs, ...xs, ...ys]);
  opt.dispose();
  return r;
}
