// Which consecutive layers of a Sequential run as one fused primitive: BatchNorm2d → ReLU (batchNormRelu) and BatchNorm2d → ReLU → MaxPool2d (batchNormReluPool).
import type { Module } from './module.js';
import { BatchNorm2d, RELU_TAIL, type BatchNormTail } from './norm2d.js';
import { ReLU } from './activations.js';
import { MaxPool2d } from './pool.js';
import { relu } from '../ops/elementwise.js';
import { batchNormReluPoolTrain } from '../ops/batchnorm.js';

/** A BatchNorm2d and the `length − 1` layers after it that run as its fused `tail`. */
export interface FusedSpan {
  readonly bn: BatchNorm2d;
  readonly tail: BatchNormTail;
  readonly length: number;
}

const poolTails = new WeakMap<MaxPool2d, BatchNormTail>();

/** The tail ReLU → `pool` (a MaxPool2d's options are fixed at construction, so one tail per pool). */
function poolTail(pool: MaxPool2d): BatchNormTail {
  let tail = poolTails.get(pool);
  if (tail === undefined) {
    const opts = { stride: pool.stride, padding: pool.padding, dilation: pool.dilation, ceilMode: pool.ceilMode };
    tail = { fused: (x, w, b, eps, stats) => batchNormReluPoolTrain(x, w, b, eps, pool.kernelSize, opts, stats), composed: (y) => pool.call(relu(y)) };
    poolTails.set(pool, tail);
  }
  return tail;
}

/**
 * The fused span starting at layers[i], or null: a BatchNorm2d directly followed by an nn.ReLU, and
 * an nn.MaxPool2d after that when there is one (exact classes, not subclasses that may change them).
 * Nothing else changes: every layer keeps its index, parameters and state names, and the values and
 * gradients are bit-identical to running the layers one by one.
 * @example fusedSpanAt(new Sequential(new BatchNorm2d(8), new ReLU()).layers, 0)?.length   // 2
 */
export function fusedSpanAt(layers: readonly Module[], i: number): FusedSpan | null {
  const m = layers[i]!;
  if (m.constructor !== BatchNorm2d || layers[i + 1]?.constructor !== ReLU) return null;
  const bn = m as BatchNorm2d, pool = layers[i + 2];
  if (pool !== undefined && pool.constructor === MaxPool2d) return { bn, tail: poolTail(pool as MaxPool2d), length: 3 };
  return { bn, tail: RELU_TAIL, length: 2 };
}
