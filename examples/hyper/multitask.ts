// Multi-task: Fashion-MNIST split into 5 binary tasks (class pairs); one hypernet with learned task
// embeddings generating each task's MLP, against 5 separate MLPs; then swaps the task embeddings.
import { hyper, losses, nn, Rng, Tensor, noGrad, add, indexSelect, Optimizer, adam } from 'neurite';
import { loadFashionMnist } from 'neurite/node';
import { quick, r, report, setup } from './common.js';

const N_TRAIN = quick ? 4000 : 20000, N_TEST = quick ? 2000 : 10000, EPOCHS = quick ? 2 : 10, BATCH = 64;
const argVal = (k: string, dflt: number): number => { const i = process.argv.indexOf(k); return i >= 0 ? Number(process.argv[i + 1]) : dflt; };
const LR = argVal('--lr', 3e-3), HYPER_LR = argVal('--hyper-lr', 3e-3);
const PAIRS: [number, number][] = [[0, 1], [2, 3], [4, 5], [6, 7], [8, 9]];
type Split = { x: Tensor; y: Tensor };

/** Rows of classes a or b, labelled 0 (a) / 1 (b). */
function pairTask(d: Split, [a, b]: [number, number]): Split {
  const idx: number[] = [], lab: number[] = [];
  d.y.data.forEach((c, i) => { if (c === a || c === b) { idx.push(i); lab.push(c === a ? 0 : 1); } });
  return { x: indexSelect(d.x, 0, idx), y: new Tensor(Float32Array.from(lab), [lab.length]) };
}

function accuracy(logits: Tensor, y: Tensor): number {
  let ok = 0;
  for (let i = 0; i < y.size; i++) ok += (logits.data[2 * i + 1]! > logits.data[2 * i]! ? 1 : 0) === y.data[i] ? 1 : 0;
  return ok / y.size;
}

/** Trains with one Adam over `model`; each step sums the 5 tasks' batch losses (`run(t, x)` gives task t's logits). */
function trainJoint(model: nn.Module, run: (t: number, x: Tensor) => Tensor, tasks: Split[], lr: number): void {
  const opt = new Optimizer(adam({ lr }), model);
  const rng = new Rng(1);
  for (let e = 0; e < EPOCHS; e++) {
    const orders = tasks.map((t) => rng.permutation(t.x.shape[0]!));
    const steps = Math.max(...tasks.map((t) => Math.ceil(t.x.shape[0]! / BATCH)));
    for (let s = 0; s < steps; s++) {
      opt.zeroGrad();
      let loss: Tensor | null = null;
      tasks.forEach((t, k) => {
        const n = t.x.shape[0]!, start = (s * BATCH) % n, idx = orders[k]!.subarray(start, Math.min(n, start + BATCH));
        const l = losses.crossEntropy(run(k, indexSelect(t.x, 0, idx)), indexSelect(t.y, 0, idx));
        loss = loss ? add(loss, l) : l;
      });
      loss!.backward();
      opt.step();
    }
  }
}

/** The five separate MLPs as one parameter tree, so they train side by side with the same loop. */
class FiveNets extends nn.Sequential {}

const backend = await setup();
const t0 = Date.now();
const train = await loadFashionMnist({ subset: 'train', limit: N_TRAIN }), test = await loadFashionMnist({ subset: 'test', limit: N_TEST });
const trainTasks = PAIRS.map((p) => pairTask(train, p)), testTasks = PAIRS.map((p) => pairTask(test, p));

const separate = PAIRS.map((_, k) => nn.mlp({ sizes: [784, 100, 2], activation: 'relu', seed: 10 + k }));
const five = new FiveNets(...separate);
trainJoint(five, (t, x) => separate[t]!.forward(x), trainTasks, LR);
const sepAcc = testTasks.map((t, k) => noGrad(() => accuracy(separate[k]!.forward(t.x), t.y)));

const hypernet = new hyper.HyperNetwork({
  target: nn.mlp({ sizes: [784, 100, 2], activation: 'relu', seed: 1 }),
  condition: { kind: 'task', numTasks: 5, dim: 8 }, hidden: [20], chunkSize: 784, chunkDim: 16, gain: Math.SQRT2, seed: 1,
});
const runHyper = (params: nn.Params, t: number, x: Tensor): Tensor => hypernet.target.apply(hypernet.targetParams(params, { task: t }), x);
trainJoint(hypernet, (t, x) => runHyper(hypernet.params, t, x), trainTasks, HYPER_LR);
const hypAcc = testTasks.map((t, k) => noGrad(() => accuracy(runHyper(hypernet.params, k, t.x), t.y)));
const swapAcc = testTasks.map((t, k) => noGrad(() => accuracy(runHyper(hypernet.params, (k + 1) % 5, t.x), t.y)));
const avg = (a: number[]): number => a.reduce((s, v) => s + v, 0) / a.length;
report({
  example: 'hyper/multitask', quick, backend, data: `Fashion-MNIST first ${N_TRAIN} train / ${N_TEST} test, pairs ${JSON.stringify(PAIRS)}`, epochs: EPOCHS, lr: { separate: LR, hyper: HYPER_LR },
  paramsSeparate: five.numParams(), paramsHyper: hypernet.numParams(), paramRatio: r(hypernet.numParams() / five.numParams(), 4),
  accSeparate: sepAcc.map((v) => r(v)), accHyper: hypAcc.map((v) => r(v)), meanSeparate: r(avg(sepAcc)), meanHyper: r(avg(hypAcc)),
  gapPoints: r(100 * (avg(sepAcc) - avg(hypAcc)), 2), accSwappedEmbeddings: swapAcc.map((v) => r(v)), meanSwapped: r(avg(swapAcc)),
  seconds: r((Date.now() - t0) / 1000, 1),
});
