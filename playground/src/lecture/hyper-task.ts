// The hypernetwork task mode: one task-conditioned hypernet generating a 2-D classifier for each of T
// rotated and shifted copies of a dataset, a slider between tasks (interpolated embeddings), and counts.
import { add, adam, hyper, mul, nn, noGrad, Optimizer, regressionHead, reshape, Tensor, tensor, tree, type Head } from 'neurite';
import type { Split } from './data.js';

/** Task t of T: rotate by t·(90°/(T−1)) about the origin, then shift by (1.5·(t − (T−1)/2), 0). */
export function taskTransform(t: number, tasks: number): { angle: number; shift: [number, number] } {
  const frac = tasks > 1 ? t / (tasks - 1) : 0;
  return { angle: (frac * Math.PI) / 2, shift: [1.5 * (t - (tasks - 1) / 2), 0] };
}

/**
 * Task t's inputs: the split's first two columns transformed by {@link taskTransform} (the split must be
 * 2-D), scaled by 1/4 so the generated tanh nets see inputs of order 1. Returns [n, 2].
 * @example taskInputs(circleData(100, 1), 2, 3).shape   // [100, 2]
 */
export function taskInputs(split: Split, t: number, tasks: number): Tensor {
  if (split.inputDim !== 2) throw new RangeError(`taskInputs: the task mode needs 2-D inputs, the data has ${split.inputDim} columns`);
  const { angle, shift } = taskTransform(t, tasks), c = Math.cos(angle), s = Math.sin(angle);
  const out = new Float32Array(split.n * 2);
  for (let i = 0; i < split.n; i++) {
    const a = split.x[2 * i]!, b = split.x[2 * i + 1]!;
    out[2 * i] = (c * a - s * b + shift[0]) / 4;
    out[2 * i + 1] = (s * a + c * b + shift[1]) / 4;
  }
  return new Tensor(out, [split.n, 2]);
}

/** A task-conditioned hypernet over T tasks and a function training it one step (all tasks) at a time. */
export interface TaskHyperTrainer {
  hypernet: hyper.HyperNetwork;
  tasks: number;
  /** One Adam step on Σ_t MSE_t; returns the mean loss over tasks. */
  step(): number;
}

/**
 * The hypernet generates a 2-16-16-1 tanh target (337 weights) from a learned 4-D task embedding
 * (chunked: 5 chunks of 72 from one shared generator), trained with MSE on ±1 labels of each task
 * (the split's labels must be ±1: see planeSplit).
 * @example const t = taskHyperTrainer(circleData(200, 1), 3); for (let i = 0; i < 200; i++) t.step();
 */
export function taskHyperTrainer(split: Split, tasks: number, seed = 1): TaskHyperTrainer {
  const target = nn.mlp({ sizes: [2, 16, 16, 1], activation: 'tanh', seed });
  const hypernet = new hyper.HyperNetwork({ target, condition: { kind: 'task', numTasks: tasks, dim: 4 }, hidden: [24], chunkSize: 72, gain: 5 / 3, seed });
  const xs = Array.from({ length: tasks }, (_, t) => taskInputs(split, t, tasks));
  if (!split.y.every((v) => v === 1 || v === -1)) throw new RangeError(`taskHyperTrainer: labels must be ±1 (two classes; planeSplit maps 0/1), got ${split.y.find((v) => v !== 1 && v !== -1)}`);
  const y = new Tensor(Float32Array.from(split.y), [split.n, 1]);
  const head: Head = regressionHead();
  const opt = new Optimizer(adam({ lr: 0.01 }), hypernet);
  return {
    hypernet, tasks,
    step(): number {
      opt.zeroGrad();
      let total: Tensor | null = null;
      for (let t = 0; t < tasks; t++) {
        const l = head.loss(target.apply(hypernet.targetParams(hypernet.params, { task: t }), xs[t]!), y);
        total = total === null ? l : add(total, l);
      }
      const loss = mul(total!, 1 / tasks);
      loss.backward();
      opt.step();
      return loss.item();
    },
  };
}

/**
 * The target's parameters at slider position s ∈ [0, T−1]: the condition is the linear interpolation
 * of the two nearest task embeddings, e = (1−a)·e_⌊s⌋ + a·e_⌈s⌉, so moving the slider morphs the net.
 * @example const p = paramsAt(t.hypernet, 0.5); t.hypernet.target.apply(p, x)
 */
export function paramsAt(h: hyper.HyperNetwork, s: number): nn.Params {
  const emb = h.params.taskEmbeddings as Tensor, [tasks, dim] = emb.shape as [number, number];
  if (!(s >= 0 && s <= tasks - 1)) throw new RangeError(`paramsAt: slider position ${s} is outside [0, ${tasks - 1}]`);
  const lo = Math.floor(s), hi = Math.min(lo + 1, tasks - 1), a = s - lo;
  const e = Array.from({ length: dim }, (_, j) => (1 - a) * emb.data[lo * dim + j]! + a * emb.data[hi * dim + j]!);
  return noGrad(() => {
    const w = h.generate(h.params, tensor(e, { shape: [1, dim] }));
    return tree.unflatten(h.targetSpec, reshape(w, [w.shape[1]!]).detach()) as nn.Params;
  });
}

/**
 * The generated target at slider position s, as the host's surface callback wants it: raw 2-D points
 * in (the same 1/4 scaling as training; the task transform is the slider's job, not the input's).
 * @example host.renderSurface(canvas, surfaceAt(t.hypernet, 1.5))
 */
export function surfaceAt(h: hyper.HyperNetwork, s: number): (x: Float32Array, n: number) => Float32Array {
  const p = paramsAt(h, s);
  return (x, n) => {
    const scaled = new Float32Array(n * 2);
    for (let i = 0; i < n * 2; i++) scaled[i] = x[i]! / 4;
    return Float32Array.from(noGrad(() => h.target.apply(p, new Tensor(scaled, [n, 2]))).data);
  };
}

/** Own trainable parameters, generated target parameters, and their ratio (below 1: compression). */
export function parameterCounts(h: hyper.HyperNetwork): { own: number; target: number; ratio: number } {
  return { own: h.numParams(), target: h.targetCount(), ratio: h.compressionRatio() };
}
