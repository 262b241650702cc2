// export → import round trip: every module type exportOnnx writes comes back through importOnnx with the same outputs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/core/rng.js';
import { randn } from '../../src/tensor/random.js';
import { noGrad } from '../../src/autograd/graph.js';
import { exportOnnx, importOnnx } from '../../src/index.js';
import { allCases } from './onnx-export-cases.js';
import { maxAbsDiff } from './onnx-export-helpers.js';

test('exportOnnx → importOnnx gives the outputs neurite computes, for every exported module type (batch 1 and 3)', () => {
  const worst: [string, number][] = [];
  for (const c of allCases) {
    const model = c.model().eval();
    const imported = importOnnx(exportOnnx(model, { inputShape: c.inputShape }));
    for (const batch of [1, 3]) {
      const x = randn([batch, ...c.inputShape], { rng: new Rng(batch + 7) });
      const want = noGrad(() => model.forward(x)), got = noGrad(() => imported.forward(x));
      assert.deepEqual(got.shape, want.shape, `${c.name}: output shape`);
      const d = maxAbsDiff(got.data, want.data);
      worst.push([c.name, d]);
      assert.ok(d <= 1e-5, `${c.name} (batch ${batch}): max abs difference ${d}`);
    }
  }
  const max = worst.reduce((m, [, d]) => Math.max(m, d), 0);
  console.log(`# export → import: ${allCases.length} module types, max abs difference ${max.toExponential(2)}`);
});

test('an exported-then-imported model keeps the state-dict names of the original', () => {
  const c = allCases.find((k) => k.name === 'Linear')!;
  const model = c.model();
  const imported = importOnnx(exportOnnx(model, { inputShape: c.inputShape }));
  assert.deepEqual(Object.keys(imported.stateDict()).sort(), Object.keys(model.stateDict()).sort());
});
