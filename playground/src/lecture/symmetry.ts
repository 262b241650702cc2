// Weight-space symmetry for the playground: apply one neuron swap or sign flip to an MLP's parameters,
// count the equivalent networks, and measure how far two parameter trees' outputs differ.
import { analysis, nn, noGrad, Tensor } from 'neurite';

/** One symmetry move on hidden layer `layer` (0 = the first hidden layer). */
export type SymmetryMove =
  | { kind: 'swap'; layer: number; a: number; b: number }
  | { kind: 'flip'; layer: number; neuron: number };

/** Hidden-layer widths of a Linear/activation Sequential (every Linear's output width but the last). */
export function hiddenWidths(model: nn.Sequential): number[] {
  const widths = model.layers.filter((m): m is nn.Linear => m instanceof nn.Linear).map((l) => l.outFeatures);
  return widths.slice(0, -1);
}

/**
 * How a neuron of hidden layer `layer` can be sign-flipped: 'odd' (h(−u) = −h(u): negate incoming
 * weights, bias and outgoing weights), 'sigmoid' (σ(−u) = 1 − σ(u): the same, plus the outgoing
 * weights added to the next bias), or null (ReLU and friends: no sign symmetry).
 * @example flipKind(net, 0)   // 'odd' for a tanh layer
 */
export function flipKind(model: nn.Sequential, layer: number): 'odd' | 'sigmoid' | null {
  const act = analysis.hiddenActivations(model)[layer];
  if (act === undefined) throw new RangeError(`flipKind: hidden layer ${layer} does not exist; the model has ${analysis.hiddenActivations(model).length} hidden layers`);
  if (act === 'Sigmoid') return 'sigmoid';
  return ['Tanh', 'IdentityActivation', 'Softsign', 'Hardtanh'].includes(act) ? 'odd' : null;
}

/**
 * The parameters after one move; the network function is unchanged (exactly for swaps, to rounding
 * for flips). Swapping a neuron with itself returns an equal tree. Throws for a flip in a layer
 * without a sign symmetry (ReLU), naming the layer and its activation.
 * @example const p2 = applyMove(net, net.params, { kind: 'swap', layer: 0, a: 0, b: 3 });
 */
export function applyMove(model: nn.Sequential, params: nn.Params, move: SymmetryMove): nn.Params {
  if (move.kind === 'swap') {
    const width = hiddenWidths(model)[move.layer];
    if (width === undefined) throw new RangeError(`applyMove: hidden layer ${move.layer} does not exist; the model has ${hiddenWidths(model).length} hidden layers`);
    const perm = Array.from({ length: width }, (_, i) => i);
    perm[move.a] = move.b;
    perm[move.b] = move.a;
    return analysis.permuteNeurons(model, params, move.layer, perm);
  }
  const kind = flipKind(model, move.layer);
  if (kind === 'sigmoid') return analysis.flipSigmoidNeuron(model, params, move.layer, move.neuron);
  return analysis.flipNeuronSign(model, params, move.layer, move.neuron); // throws a clear error for ReLU
}

/** The equivalent-network count of an MLP, with what it counts. */
export interface EquivalenceCount {
  count: bigint;
  /** One factor per hidden layer: `8!` or `8!·2^8`. */
  factors: string[];
  /** The count in words: digits if short, else `≈ 1.2e45 (46 digits)`. */
  text: string;
}

/**
 * ∏_l n_l! · (2^{n_l} if layer l's activation is odd): the parameter vectors reached from this one by
 * permuting each hidden layer's neurons and, in odd-activation layers (tanh, identity, softsign,
 * hard tanh), flipping neuron signs. They all compute the same function and are distinct when every
 * neuron's weights are distinct and nonzero. Not counted: the sigmoid flip (it also shifts the next
 * bias), ReLU's positive rescaling (a continuum), and coincidences in special weights.
 * @example equivalentNetworks(mlp({ sizes: [2, 3, 2, 1], activation: 'tanh' })).count   // 384n
 */
export function equivalentNetworks(model: nn.Sequential): EquivalenceCount {
  const widths = hiddenWidths(model), acts = analysis.hiddenActivations(model);
  const count = analysis.countEquivalentNetworks(widths, acts);
  const factors = widths.map((n, l) => (flipKind(model, l) === 'odd' ? `${n}!·2^${n}` : `${n}!`));
  return { count, factors, text: formatBigInt(count) };
}

/** A BigInt as digits (≤ 15 of them) or `≈ m.mmeE (D digits)`. @example formatBigInt(10n ** 20n) // '≈ 1.00e20 (21 digits)' */
export function formatBigInt(n: bigint): string {
  const s = n.toString();
  if (s.length <= 15) return s;
  return `≈ ${s[0]}.${s.slice(1, 3)}e${s.length - 1} (${s.length} digits)`;
}

/**
 * max_i |f(x_i; a) − f(x_i; b)| over the rows of x (no gradients).
 * @example maxOutputDifference(net, net.params, p2, x)   // 0 for a swap
 */
export function maxOutputDifference(model: nn.Module, a: nn.Params, b: nn.Params, x: Tensor): number {
  return noGrad(() => {
    const ya = model.apply(a, x).data, yb = model.apply(b, x).data;
    let m = 0;
    for (let i = 0; i < ya.length; i++) m = Math.max(m, Math.abs(ya[i]! - yb[i]!));
    return m;
  });
}
