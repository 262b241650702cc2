// Tests of the Graph (DAG) model: execution, merges, naming, errors, JSON round trip, summary rows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { tensor, randn, Rng } from '../../src/index.js';
import { Linear } from '../../src/nn/linear.js';
import { ReLU, Tanh } from '../../src/nn/activations.js';
import { Residual, Sequential } from '../../src/nn/containers.js';
import { BatchNorm1d } from '../../src/nn/layers.js';
import { Graph, formatGraphSummary } from '../../src/nn/graph.js';
import { moduleFromJSON } from '../../src/nn/registry.js';
import '../../src/nn/mlp.js';
import type { ModuleJSON } from '../../src/nn/module.js';
import { assertClose } from '../helpers/fixtures.js';

const rng = () => new Rng(7);

function skipGraph(): Graph {
  const r = rng();
  return new Graph({
    inputs: ['x'], output: 'out',
    nodes: [
      { name: 'h1', module: new Linear(4, 4, { rng: r }), inputs: ['x'] },
      { name: 'a1', module: new ReLU(), inputs: ['h1'] },
      { name: 'skip', merge: 'add', inputs: ['a1', 'x'] },
      { name: 'out', module: new Linear(4, 2, { rng: r }), inputs: ['skip'] },
    ],
  });
}

test('Graph with a skip connection equals the same Residual Sequential', () => {
  const g = skipGraph();
  const seq = new Sequential(new Residual(new Sequential(new Linear(4, 4), new ReLU())), new Linear(4, 2));
  seq.params = { 0: { body: { 0: g.params.h1! } }, 1: g.params.out! } as never;
  const x = randn([5, 4], { rng: rng() });
  assertClose(g.forward(x), seq.forward(x), 'graph vs residual sequential');
  assert.deepEqual(g.paramSpec().map((s) => s.path), ['h1.weight', 'h1.bias', 'out.weight', 'out.bias']);
});

test('Graph sorts nodes listed out of order and gradients reach every parameter', () => {
  const r = rng();
  const g = new Graph({
    inputs: ['x'], output: 'y',
    nodes: [
      { name: 'y', module: new Linear(6, 1, { rng: r }), inputs: ['cat'] },
      { name: 'cat', merge: 'concat', inputs: ['b1', 'b2'] },
      { name: 'b2', module: new Linear(3, 2, { rng: r }), inputs: ['x'] },
      { name: 'b1', module: new Linear(3, 4, { rng: r }), inputs: ['x'] },
    ],
  });
  assert.deepEqual(g.order.map((n) => n.name).slice(-2), ['cat', 'y']);
  const x = randn([3, 3], { rng: r });
  const y = g.forward(x);
  assert.deepEqual([...y.shape], [3, 1]);
  y.sum().backward();
  for (const [name, t] of Object.entries(g.stateDict())) assert.ok(t.grad && t.grad.abs().sum().item() > 0, `${name} has a gradient`);
});

test('multiply merge is elementwise and applyWithIntermediates returns every node', () => {
  const g = new Graph({
    inputs: ['x'], output: 'p',
    nodes: [{ name: 't', module: new Tanh(), inputs: ['x'] }, { name: 'p', merge: 'multiply', inputs: ['t', 'x'] }],
  });
  const x = tensor([[0.5, -1, 2]]);
  const { output, activations } = g.applyWithIntermediates(g.params, x);
  assertClose(output, [0.5 * Math.tanh(0.5), Math.tanh(1), 2 * Math.tanh(2)], 'x * tanh(x)');
  assert.deepEqual(activations.map(([n]) => n), ['t', 'p']);
});

test('cycles are rejected naming the nodes of the cycle', () => {
  const mk = () => new Graph({
    inputs: ['x'], output: 'c',
    nodes: [
      { name: 'a', merge: 'add', inputs: ['x', 'c'] },
      { name: 'b', module: new ReLU(), inputs: ['a'] },
      { name: 'c', module: new Tanh(), inputs: ['b'] },
    ],
  });
  assert.throws(mk, (e: Error) => /cycle/.test(e.message) && /a → b → c → a|b → c → a → b|c → a → b → c/.test(e.message));
});

test('unknown inputs, duplicate names, unused nodes and bad merges are rejected clearly', () => {
  const relu = new ReLU();
  assert.throws(() => new Graph({ inputs: ['x'], output: 'a', nodes: [{ name: 'a', module: relu, inputs: ['z'] }] }), /node "a" reads "z"/);
  assert.throws(() => new Graph({ inputs: ['x'], output: 'x', nodes: [{ name: 'x', module: relu, inputs: ['x'] }] }), /"x" is used twice/);
  assert.throws(() => new Graph({ inputs: ['x'], output: 'a', nodes: [{ name: 'a', module: relu, inputs: ['x'] }, { name: 'b', module: relu, inputs: ['x'] }] }), /"b" do not feed the output "a"/);
  assert.throws(() => new Graph({ inputs: ['x'], output: 'm', nodes: [{ name: 'm', merge: 'add', inputs: ['x'] }] }), /merge node "m" needs at least two inputs/);
  const lin = new Linear(2, 2);
  assert.throws(() => new Graph({ inputs: ['x'], output: 'b', nodes: [{ name: 'a', module: lin, inputs: ['x'] }, { name: 'b', module: lin, inputs: ['a'] }] }), /"a" and "b" use the same module instance/);
  assert.throws(() => new Graph({ inputs: ['x'], output: 'q', nodes: [{ name: 'q', module: relu, inputs: ['x'] }] }).applyInputs({}, {}), /input "x" was not given/);
});

test('shape mismatches at merges and modules name the nodes and shapes', () => {
  const g = new Graph({
    inputs: ['x'], output: 's',
    nodes: [{ name: 'h', module: new Linear(4, 3), inputs: ['x'] }, { name: 's', merge: 'add', inputs: ['h', 'x'] }],
  });
  assert.throws(() => g.forward(randn([2, 4])), (e: Error) => e.name === 'ShapeError' && /add node "s"/.test(e.message) && /"h" \[2,3\], "x" \[2,4\]/.test(e.message));
  const g2 = new Graph({ inputs: ['x'], output: 'h', nodes: [{ name: 'h', module: new Linear(5, 3), inputs: ['x'] }] });
  assert.throws(() => g2.forward(randn([2, 4])), /node "h" \(Linear\(5→3\)\) on "x" \[2,4\]/);
  const g3 = new Graph({ inputs: ['x'], output: 'c', nodes: [{ name: 'r', module: new ReLU(), inputs: ['x'] }, { name: 'c', merge: 'concat', axis: 0, inputs: ['r', 'x'] }] });
  assert.deepEqual([...g3.forward(randn([2, 4])).shape], [4, 4]);
});

test('toJSON / moduleFromJSON round trip keeps outputs, names and buffers', () => {
  const r = rng();
  const g = new Graph({
    inputs: ['x'], output: 'out',
    nodes: [
      { name: 'h1', module: new Linear(4, 4, { rng: r }), inputs: ['x'] },
      { name: 'bn', module: new BatchNorm1d(4), inputs: ['h1'] },
      { name: 'cat', merge: 'concat', axis: -1, inputs: ['bn', 'x'] },
      { name: 'out', module: new Linear(8, 2, { rng: r }), inputs: ['cat'] },
    ],
  });
  g.forward(randn([6, 4], { rng: r }));
  const copy = moduleFromJSON(JSON.parse(JSON.stringify(g.toJSON())) as ModuleJSON) as Graph;
  copy.loadStateDict(g.stateDict());
  assert.deepEqual(Object.keys(copy.stateDict()).sort(), Object.keys(g.stateDict()).sort());
  assert.ok('bn.running_mean' in g.stateDict());
  const x = randn([3, 4], { rng: r });
  assertClose(copy.eval().forward(x), g.eval().forward(x), 'round trip');
});

test('the graph-skip example config builds and runs', () => {
  const cfg = JSON.parse(readFileSync(new URL('../../examples/configs/graph-skip.json', import.meta.url), 'utf8')) as { model: { module: ModuleJSON } };
  const g = moduleFromJSON(cfg.model.module) as Graph;
  assert.ok(g instanceof Graph);
  const rows = g.summaryRows([64]);
  assert.deepEqual(rows.at(-1)!.shape, [2, 10]);
  assert.equal(rows.reduce((s, r) => s + r.params, 0), g.numParams());
  const text = formatGraphSummary(rows);
  for (const r of rows) assert.ok(text.includes(r.node));
});
