// Type-level test (checked by `npx tsc -p tsconfig.check.json`, never run): the documented tree and
// hypernetwork idioms compile under strict tsc without casts, and the `@ts-expect-error` lines prove that
// wrong uses are compile errors (an unused @ts-expect-error is itself an error, so each line must fail).
import { nn, tree, hyper, randn, Key, Tensor, type ParamTree } from '../../src/index.js';

const x = randn([4, 3]);

// Parameter access: a module that declares its tree gives tensors, no cast.
const layer = new nn.Linear(3, 2);
export const weight: Tensor = layer.params.weight;
export const bias: Tensor | undefined = layer.params.bias;
export const conv: Tensor = new nn.Conv2d(1, 2, 3).params.weight;
export const gamma: Tensor | undefined = new nn.BatchNorm1d(3).params.weight;
export const byName: Tensor | nn.Params | undefined = layer.params['weight'];
// @ts-expect-error: a weight is a Tensor, not a tree
export const notATree = layer.params.weight.weight;
// @ts-expect-error: Linear's tree has no `kernel`
export const noKernel: Tensor = layer.params.kernel;

// The hypernetwork idiom (docs/architecture.md, docs/hypernetworks.md): a flat vector → the target's tree → apply.
const target = nn.mlp({ sizes: [3, 4, 1] });
const v = randn([tree.count(target.paramSpec())]);
export const generated: Tensor = target.apply(tree.unflatten(target.paramSpec(), v), x);
export const viaLayer: Tensor = layer.apply(tree.unflatten(layer.paramSpec(), randn([8])), x);
export const fromEntries: nn.Params = tree.fromEntries([['0.weight', weight]]);
// @ts-expect-error: unflatten needs the spec list, not a tree
tree.unflatten(target.params, v);

// Trees compose: a module's params is a Params and a ParamTree; childParams gives a tree, never a tensor.
export const asTree: ParamTree = target.params;
export const child: nn.Params = nn.childParams(target.params, '0');
// @ts-expect-error: a child's sub-tree is not a Tensor
export const childTensor: Tensor = nn.childParams(target.params, '0');
// @ts-expect-error: without narrowing, an entry of a general tree may be a record
export const entry: Tensor = target.params['0'];

// Explicit state: the pure form returns { y, state }; the stateful two-argument form returns the output.
const bn = nn.mlp({ sizes: [3, 4, 1], batchNorm: true, dropout: 0.5 });
const step = bn.apply(bn.params, x, { mode: 'train', state: bn.state });
export const y: Tensor = step.y;
export const next: nn.State = step.state;
export const keyed: Tensor = bn.apply(bn.params, x, { mode: 'train', key: Key.of(1), state: bn.state }).y;
export const plain: Tensor = bn.apply(bn.params, x);
// @ts-expect-error: the two-argument form returns a Tensor, not { y, state }
export const noState = bn.apply(bn.params, x).state;
// @ts-expect-error: mode is 'train', 'eval' or 'own'
bn.apply(bn.params, x, { mode: 'test' });
// @ts-expect-error: the pure form's result is not a Tensor
export const notTensor: Tensor = bn.apply(bn.params, x, { mode: 'eval' });

// A hypernetwork's generated tree runs any target the same way.
const h = new hyper.HyperNetwork({ target, condition: { kind: 'task', numTasks: 2, dim: 2 } });
export const fromHyper: Tensor = h.target.apply(h.targetParams(h.params, { task: 1 }), x);
