// The playground's symmetry moves: swaps and sign flips leave the network function unchanged; the count is exact.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nn, randn, Rng, tree, type Tensor } from 'neurite';
import { applyMove, equivalentNetworks, flipKind, formatBigInt, maxOutputDifference } from '../../playground/src/lecture/symmetry.js';

const x = randn([64, 2], { rng: new Rng(5) });
const leaf = (p: nn.Params, path: string): Tensor => new Map(tree.entries(p)).get(path)!;

for (const activation of ['tanh', 'sigmoid', 'relu']) {
  test(`swapping two ${activation} neurons leaves f(x) identical to 1e-6 on random inputs`, () => {
    const net = nn.mlp({ sizes: [2, 5, 4, 1], activation, seed: 3 });
    for (const layer of [0, 1]) {
      const p2 = applyMove(net, net.params, { kind: 'swap', layer, a: 0, b: 3 });
      assert.notDeepEqual([...leaf(p2, `${layer * 2}.weight`).data], [...leaf(net.params, `${layer * 2}.weight`).data]);
      assert.ok(maxOutputDifference(net, net.params, p2, x) <= 1e-6);
    }
  });
}

for (const activation of ['tanh', 'sigmoid']) {
  test(`flipping a ${activation} neuron's sign leaves f(x) identical to 1e-6, and the weights change`, () => {
    const net = nn.mlp({ sizes: [2, 5, 4, 1], activation, seed: 4 });
    const p2 = applyMove(net, net.params, { kind: 'flip', layer: 1, neuron: 2 });
    const before = leaf(net.params, '2.bias').data[2]!, after = leaf(p2, '2.bias').data[2]!;
    assert.equal(after, -before);
    assert.ok(maxOutputDifference(net, net.params, p2, x) <= 1e-6);
  });
}

test('a ReLU neuron has no sign symmetry: the flip is refused, naming the activation', () => {
  const net = nn.mlp({ sizes: [2, 4, 1], activation: 'relu', seed: 1 });
  assert.equal(flipKind(net, 0), null);
  assert.throws(() => applyMove(net, net.params, { kind: 'flip', layer: 0, neuron: 0 }), /^ArgumentError: flipNeuronSign: hidden layer 0 uses ReLU, which is not odd \(h\(-u\) ≠ -h\(u\)\); sign flips are only a symmetry for odd activations/);
});

test('a sign flip forced by hand on a ReLU neuron does change f (the check can fail)', () => {
  const net = nn.mlp({ sizes: [2, 4, 1], activation: 'tanh', seed: 1 });
  const relu = nn.mlp({ sizes: [2, 4, 1], activation: 'relu', seed: 1 });
  const flipped = applyMove(net, net.params, { kind: 'flip', layer: 0, neuron: 1 }); // valid for tanh, wrong for ReLU
  assert.ok(maxOutputDifference(relu, relu.params, flipped, x) > 1e-3);
});

test('equivalentNetworks: ∏ n! · 2^n for tanh layers, n! for ReLU layers', () => {
  const tanh = equivalentNetworks(nn.mlp({ sizes: [2, 3, 2, 1], activation: 'tanh' }));
  assert.equal(tanh.count, 6n * 8n * 2n * 4n);
  assert.deepEqual(tanh.factors, ['3!·2^3', '2!·2^2']);
  const relu = equivalentNetworks(nn.mlp({ sizes: [2, 3, 2, 1], activation: 'relu' }));
  assert.equal(relu.count, 12n);
  assert.equal(relu.text, '12');
  assert.equal(formatBigInt(10n ** 20n), '≈ 1.00e20 (21 digits)');
  const six = equivalentNetworks(nn.mlp({ sizes: [2, 8, 8, 8, 8, 8, 8, 1], activation: 'tanh' }));
  assert.equal(six.count, (40320n * 256n) ** 6n); // (8!·2^8)^6 = 10321920^6
  assert.equal(six.text, '≈ 1.20e42 (43 digits)');
});
