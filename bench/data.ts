// Benchmark data: Fashion-MNIST minibatches shared by every framework, and seeded random sequences.
import { Tensor } from '../src/tensor/tensor.js';
import { Rng } from '../src/core/rng.js';
import { loadFashionMnist } from '../src/node/data/fashion-mnist.js';
import type { Batches } from './peers/tfjs.js';

/** Minibatches as raw arrays (peers) and as neurite tensors; `labels` are class indices as floats. */
export interface BenchBatches extends Batches {
  labels: Float32Array[];
  inputs: Tensor[];
  labelTensors: Tensor[];
}

/**
 * The first `limit` Fashion-MNIST training images as full batches of `batch` (x [batch, 784] in
 * [0, 1], y one-hot [batch, 10], labels [batch]).
 * @example const b = await fashionBatches(8192, 128);
 */
export async function fashionBatches(limit: number, batch: number): Promise<BenchBatches> {
  const { xd, yd, n } = await fashionOrSynthetic(limit);
  const nb = Math.floor(n / batch);
  if (nb < 1) throw new Error(`bench: ${limit} images give no full batch of ${batch}; raise --limit`);
  const out: BenchBatches = { x: [], y: [], labels: [], inputs: [], labelTensors: [], batch, inDim: 784, outDim: 10 };
  for (let b = 0; b < nb; b++) {
    const x = xd.slice(b * batch * 784, (b + 1) * batch * 784), lab = yd.slice(b * batch, (b + 1) * batch), oh = new Float32Array(batch * 10);
    for (let i = 0; i < batch; i++) oh[i * 10 + lab[i]!] = 1;
    out.x.push(x); out.y.push(oh); out.labels.push(lab);
    out.inputs.push(new Tensor(x, [batch, 784])); out.labelTensors.push(new Tensor(lab, [batch]));
  }
  return out;
}

/** Where the benchmark's images came from; printed with the tables. */
export let imageSource = 'Fashion-MNIST';

/**
 * Fashion-MNIST's first `limit` training images, or (loudly, where the data set is not installed)
 * seeded uniform [0, 1) images of the same shape: the timings hardly depend on the pixel values.
 */
async function fashionOrSynthetic(limit: number): Promise<{ xd: Float32Array; yd: Float32Array; n: number }> {
  try {
    const ds = await loadFashionMnist({ subset: 'train', limit, dtype: 'float32' });
    return { xd: ds.x.data as Float32Array, yd: ds.y.data as Float32Array, n: ds.x.shape[0]! };
  } catch (e) {
    imageSource = 'SYNTHETIC uniform images (Fashion-MNIST not installed: apt-get install -y dataset-fashion-mnist)';
    console.log(`!! ${(e as Error).message.split('.')[0]}; timing on ${imageSource}`);
    const rng = new Rng(11);
    return { xd: Float32Array.from({ length: limit * 784 }, () => rng.uniform()), yd: Float32Array.from({ length: limit }, () => rng.int(10)), n: limit };
  }
}

/**
 * `n` seeded batches of standard-normal sequences [batch, t, features] with labels in [0, classes).
 * @example const s = randomSequences(4, 32, 20, 32, 10);
 */
export function randomSequences(n: number, batch: number, t: number, features: number, classes: number): { x: Float32Array[]; labels: Float32Array[] } {
  const rng = new Rng(7);
  const x: Float32Array[] = [], labels: Float32Array[] = [];
  for (let b = 0; b < n; b++) {
    x.push(Float32Array.from({ length: batch * t * features }, () => rng.normal()));
    labels.push(Float32Array.from({ length: batch }, () => Math.floor(rng.uniform() * classes)));
  }
  return { x, labels };
}
