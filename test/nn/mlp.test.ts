// MLP golden values from PyTorch (logits, cross-entropy, every gradient), state dicts, JSON round trip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nn, logSoftmax, takeAlongAxis, tensor, randn, Rng, noGrad, type Tensor } from '../../src/index.js';
import { fixture, toTensor, assertClose, type FixtureTensor } from '../helpers/fixtures.js';

interface MlpCase {
  name: string; activation: string; x: FixtureTensor; labels: FixtureTensor;
  params: Record<string, FixtureTensor>; logits: FixtureTensor; loss_cross_entropy_mean: number; grads: Record<string, FixtureTensor>;
}

for (const dtype of ['float64', 'float32'] as const) {
  for (const c of fixture<{ cases: MlpCase[] }>('mlp.json').cases) {
    test(`mlp golden ${c.name} (${dtype})`, () => {
      const net = nn.mlp({ sizes: [4, 5, 3, 2], activation: c.activation, dtype });
      net.loadStateDict(Object.fromEntries(Object.entries(c.params).map(([k, v]) => [k, toTensor(v, dtype)])));
      const logits = net.forward(toTensor(c.x, dtype));
      const tol = dtype === 'float64' ? [1e-10, 1e-9] : [1e-5, 1e-4];
      assertClose(logits, c.logits, 'logits', tol[0], tol[1]);
      const loss = takeAlongAxis(logSoftmax(logits, 1), 1, c.labels.data).mean().neg();
      assertClose([loss.item()], [c.loss_cross_entropy_mean], 'loss', tol[0], tol[1]);
      loss.backward();
      const params = net.stateDict();
      for (const [k, g] of Object.entries(c.grads)) assertClose(params[k]!.grad!, g, `grad ${k}`, tol[0], tol[1]);
    });
  }
}

test('mlp parameter names, counts and JSON round trip', () => {
  const net = nn.mlp({ sizes: [784, 100, 10], seed: 1 });
  assert.equal(net.numParams(), 79510);
  assert.deepEqual(net.paramSpec().map((s) => `${s.path}:${s.shape.join('x')}`), ['0.weight:100x784', '0.bias:100', '2.weight:10x100', '2.bias:10']);
  const copy = nn.moduleFromJSON(JSON.parse(JSON.stringify(net.toJSON())));
  copy.loadStateDict(net.stateDict());
  const x = randn([3, 784], { rng: new Rng(2) });
  assert.deepEqual(copy.forward(x).toFlat(), net.forward(x).toFlat());
  assert.throws(() => nn.moduleFromJSON({ type: 'Nope' }), /unknown module type "Nope"/);
  assert.throws(() => copy.loadStateDict({ ...net.stateDict(), extra: tensor([1]) }), /unexpected keys extra/);
  const bad = { ...net.stateDict(), '0.bias': tensor([1, 2]) };
  assert.throws(() => copy.loadStateDict(bad), /"0.bias" has shape \[2\] in the state dict but \[100\] in the model/);
});

test('Linear rejects a wrong input width, naming both', () => {
  assert.throws(() => new nn.Linear(4, 2).forward(tensor([[1, 2, 3]])), /Linear: input \[1,3\] has 3 features, layer expects 4/);
});

test('per-sample Linear weights equal the per-example loop', () => {
  const rng = new Rng(5);
  const layer = new nn.Linear(3, 2);
  const w = randn([4, 2, 3], { rng, requiresGrad: true });
  const b = randn([4, 2], { rng, requiresGrad: true });
  const x = randn([4, 3], { rng });
  const batched = layer.apply({ weight: w, bias: b }, x);
  noGrad(() => {
    for (let i = 0; i < 4; i++) {
      const wi = w.slice([i], [i + 1]).reshape([2, 3]);
      const bi = b.slice([i], [i + 1]).reshape([2]);
      const yi = layer.apply({ weight: wi, bias: bi }, x.slice([i], [i + 1]));
      assertClose(batched.slice([i], [i + 1]).reshape([2]), yi.reshape([2]), `example ${i}`);
    }
  });
  batched.sum().backward();
  assert.deepEqual(w.grad!.shape, [4, 2, 3]);
});

test('Sequential params setter distributes to children; Residual adds x', () => {
  const net = new nn.Sequential(new nn.Linear(2, 2), new nn.ReLU(), new nn.Linear(2, 1));
  const p = net.params;
  const zeroed = Object.fromEntries(Object.entries(p).map(([k, v]) => [k, Object.fromEntries(Object.entries(v as nn.Params).map(([n, t]) => [n, (t as Tensor).mul(0)]))]));
  net.params = zeroed as nn.Params;
  assert.equal(Math.abs((net.layers[0]!.params.weight as Tensor).data[0]!), 0);
  const res = new nn.Residual(new nn.Linear(2, 2, { init: nn.init.zerosInit() }));
  assert.deepEqual(res.forward(tensor([[1, 2]])).toArray(), [[1, 2]]);
});
