// Experiment: the lecture's claim that hard tanh suits low-bit formats — one MLP per hidden activation, scored in
// float32, float16 weights, int8 (post-training: min/max and 99.99th-percentile calibration; quantization-aware training).
// Run: node --import tsx examples/low-precision.ts [--quick]     (Fashion-MNIST rows only where it is installed)
// Hyperparameters are fixed for every activation (none tuned on the test split); the last line is one JSON object.
import {
  nn, data, fit, adam, Optimizer, multiclassHead, narrow, quantize, prepareQat, serializeModel, deserializeModel, initWasmBackend, noGrad, type Tensor,
} from 'neurite';
import { loadBuiltinDataset, loadFashionMnist } from 'neurite/node';

const quick = process.argv.includes('--quick');
const ACTIVATIONS = ['tanh', 'hardtanh', 'sigmoid', 'relu'] as const;
await initWasmBackend();

interface Task { name: string; xTrain: Tensor; yTrain: Tensor; xTest: Tensor; yTest: Tensor; hidden: number[]; epochs: number }

async function tasks(): Promise<Task[]> {
  const d = await loadBuiltinDataset('digits');
  const { train, test } = data.trainTestSplit({ x: d.x.div(16), y: d.y }, { testSize: 0.2, seed: 0, stratify: true });
  const out: Task[] = [{ name: 'digits', xTrain: train.x, yTrain: train.y, xTest: test.x, yTest: test.y, hidden: [64], epochs: quick ? 10 : 30 }];
  try {
    const train = await loadFashionMnist({ subset: 'train', limit: quick ? 5000 : 20000 });
    const test = await loadFashionMnist({ subset: 'test', limit: quick ? 2000 : 10000 });
    out.push({ name: 'fashion', xTrain: train.x, yTrain: train.y, xTest: test.x, yTest: test.y, hidden: [256, 128], epochs: quick ? 2 : 5 });
  } catch (e) {
    console.error(`fashion: skipped — ${(e as Error).message}`);
  }
  return out;
}

const accuracy = (model: nn.Module, x: Tensor, y: Tensor): number => {
  const pred = noGrad(() => model.eval().forward(x)).argmax(1).data;
  let ok = 0;
  pred.forEach((p, i) => (ok += p === y.data[i] ? 1 : 0));
  return ok / y.size;
};

/** Samples/s of one forward over the test rows (a rough figure; bench/quant.ts is the careful one). */
function speed(model: nn.Module, x: Tensor): number {
  const rows = narrow(x, 0, 0, Math.min(1024, x.shape[0]!));
  noGrad(() => model.forward(rows));
  const t0 = performance.now();
  let n = 0;
  while (performance.now() - t0 < (quick ? 150 : 600)) { noGrad(() => model.forward(rows)); n++; }
  return (n * rows.shape[0]!) / ((performance.now() - t0) / 1000);
}

const rows: Record<string, unknown>[] = [];
for (const task of await tasks()) {
  const head = multiclassHead({ numClasses: 10 });
  const calibration = narrow(task.xTrain, 0, 0, 256); // training rows only
  for (const activation of ACTIVATIONS) {
    const model = nn.mlp({ sizes: [task.xTrain.shape[1]!, ...task.hidden, 10], activation, seed: 1 });
    fit({ model, head, optimizer: new Optimizer(adam({ lr: 0.003 }), model), x: task.xTrain, y: task.yTrain, epochs: task.epochs, batchSize: 64, seed: 2 });
    const f32 = serializeModel({ module: model, head });
    const f16 = serializeModel({ module: model, head }, { weightsDType: 'float16' });
    const half = deserializeModel(JSON.parse(JSON.stringify(f16.json)), f16.weights).module;
    const ptq = quantize(model, calibration);
    const ptqPercentile = quantize(model, calibration, { calibration: { percentile: 99.99 } });
    const i8 = serializeModel({ module: ptq, head });
    // QAT continues from the float model for a few epochs; the same extra epochs of plain float training
    // are the fair reference for it (more training alone also helps).
    const extraEpochs = quick ? 1 : 2;
    const copy = (): nn.Module => {
      const m = nn.mlp({ sizes: [task.xTrain.shape[1]!, ...task.hidden, 10], activation, seed: 1 });
      m.loadStateDict(model.stateDict());
      return m;
    };
    const qatModel = copy(), longer = copy();
    const qat = prepareQat(qatModel, calibration);
    fit({ model: qat, head, optimizer: new Optimizer(adam({ lr: 0.0005 }), qat), x: task.xTrain, y: task.yTrain, epochs: extraEpochs, batchSize: 64, seed: 3 });
    fit({ model: longer, head, optimizer: new Optimizer(adam({ lr: 0.0005 }), longer), x: task.xTrain, y: task.yTrain, epochs: extraEpochs, batchSize: 64, seed: 3 });
    const row = {
      task: task.name, activation,
      float32: accuracy(model, task.xTest, task.yTest),
      float16: accuracy(half, task.xTest, task.yTest),
      int8: accuracy(ptq, task.xTest, task.yTest),
      int8Percentile: accuracy(ptqPercentile, task.xTest, task.yTest),
      float32Extra: accuracy(longer, task.xTest, task.yTest),
      int8Extra: accuracy(quantize(longer, calibration), task.xTest, task.yTest),
      int8Qat: accuracy(quantize(qatModel, calibration), task.xTest, task.yTest),
      bytesFloat32: f32.weights.byteLength, bytesFloat16: f16.weights.byteLength, bytesInt8: i8.weights.byteLength,
      samplesPerSecFloat32: Math.round(speed(model, task.xTest)), samplesPerSecInt8: Math.round(speed(ptq, task.xTest)),
    };
    rows.push(row);
    console.error(`${task.name} ${activation.padEnd(8)} f32 ${row.float32.toFixed(4)}  f16 ${row.float16.toFixed(4)}  int8 ${row.int8.toFixed(4)}  int8 p99.99 ${row.int8Percentile.toFixed(4)}  | +${extraEpochs} epochs: f32 ${row.float32Extra.toFixed(4)}  int8 ${row.int8Extra.toFixed(4)}  int8 QAT ${row.int8Qat.toFixed(4)}  size ${row.bytesFloat32}/${row.bytesFloat16}/${row.bytesInt8} B`);
  }
}
console.log(JSON.stringify({ experiment: 'low-precision', quick, rows }));
