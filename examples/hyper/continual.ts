// Continual learning with a hypernetwork (von Oswald et al. 2020, 1-D toy): three regression tasks
// learned one after another; the output regulariser keeps earlier tasks' generated weights in place.
import { hyper, losses, nn, Rng, noGrad, add, mul, Optimizer, adam, type Tensor } from 'neurite';
import { mseOf, quick, r, report, setup, toy1d } from './common.js';

const TASKS: [number, number, (x: number) => number][] = [
  [-4, -2, (x) => x + 3],
  [-1, 1, (x) => 2 * x * x - 1],
  [2, 4, (x) => (x - 3) ** 3],
];
const STEPS = quick ? 1000 : 5000;
const argVal = (k: string, d: number): number => { const i = process.argv.indexOf(k); return i >= 0 ? Number(process.argv[i + 1]) : d; };
const LR = argVal('--lr', 0.001);

function makeData(seed: number) {
  const rng = new Rng(seed);
  return TASKS.map(([lo, hi, f]) => ({ train: toy1d(100, lo, hi, f, 0.05, rng), test: toy1d(50, lo, hi, f, 0.05, rng) }));
}

/** Zeroes the gradient rows of task embeddings other than `task` (earlier embeddings stay fixed). */
function freezeOtherEmbeddings(hypernet: hyper.HyperNetwork, task: number): void {
  const e = hypernet.params.taskEmbeddings as Tensor;
  if (!e.grad) return;
  const d = e.shape[1]!;
  for (let t = 0; t < e.shape[0]!; t++) if (t !== task) e.grad.data.fill(0, t * d, (t + 1) * d);
}

function testMse(hypernet: hyper.HyperNetwork, data: ReturnType<typeof makeData>): number[] {
  return noGrad(() => data.map((d, t) => mseOf(hypernet.target.apply(hypernet.targetParams(hypernet.params, { task: t }), d.test.x), d.test.y)));
}

/** Trains tasks 0, 1, 2 in turn with output-regulariser strength beta; returns test MSEs after each task. */
function run(beta: number, data: ReturnType<typeof makeData>): { after: number[][]; ms: number } {
  const t0 = Date.now();
  const target = nn.mlp({ sizes: [1, 10, 10, 1], activation: 'sigmoid', seed: 1 });
  const hypernet = new hyper.HyperNetwork({ target, condition: { kind: 'task', numTasks: 3, dim: 2 }, hidden: [10, 10], seed: 1 });
  const after: number[][] = [];
  for (let task = 0; task < 3; task++) {
    const snap = task > 0 && beta > 0 ? hyper.snapshotTaskOutputs(hypernet, [...Array(task).keys()]) : null;
    const opt = new Optimizer(adam({ lr: LR }), hypernet);
    const { x, y } = data[task]!.train;
    for (let s = 0; s < STEPS; s++) {
      opt.zeroGrad();
      const fitLoss = losses.mse(target.apply(hypernet.targetParams(hypernet.params, { task }), x), y);
      const loss = snap ? add(fitLoss, mul(hyper.outputRegularizer(hypernet, hypernet.params, snap), beta)) : fitLoss;
      loss.backward();
      freezeOtherEmbeddings(hypernet, task);
      opt.step();
    }
    after.push(testMse(hypernet, data));
  }
  return { after, ms: Date.now() - t0 };
}

const backend = await setup();
const data = makeData(42);
const reg = run(0.005, data);
const plain = run(0, data);
const fin = (a: number[][]): number[] => a[2]!.map((v) => r(v, 5));
report({
  example: 'hyper/continual', quick, backend, stepsPerTask: STEPS, lr: LR, targetParams: 141,
  mseWithRegularizer: fin(reg.after), mseWithoutRegularizer: fin(plain.after),
  task1RightAfterTraining: { withRegularizer: r(reg.after[0]![0]!, 5), withoutRegularizer: r(plain.after[0]![0]!, 5) },
  task1GrowthWithoutRegularizer: r(plain.after[2]![0]! / plain.after[0]![0]!, 1),
  allTasksBelow002WithRegularizer: reg.after[2]!.every((v) => v <= 0.02),
  seconds: r((reg.ms + plain.ms) / 1000, 1),
});
