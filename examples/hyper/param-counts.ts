// Ha, Dai & Le (2016) static hyper-conv MNIST net: conv2's 7x7x16x16 kernel is generated from a
// learned z in R^4 through a 4x64 and a 4x784 linear map; prints the parameter counts, then trains
// briefly on a Fashion-MNIST subset to show the loss falls.
import { nn, tree, Rng, randn, add, matmul, relu, permute, reshape, Optimizer, adam, fit, multiclassHead, type Tensor } from 'neurite';
import { loadFashionMnist } from 'neurite/node';
import { quick, r, report, setup } from './common.js';

const N_TRAIN = quick ? 400 : 5000, EPOCHS = quick ? 2 : 3, BATCH = 64;

/**
 * conv1 7x7x1x16 → ReLU → maxpool 2 → conv2 7x7x16x16 (generated) → ReLU → maxpool 2 → FC 784→10.
 * Generator (Ha et al. eq. 1–2): a_i = W_in,i z + B_in,i (all i: one 4x64 map), K_i = W_out a_i + B_out
 * (a shared 4x784 map) gives input channel i's 7x7x16 slice of conv2's kernel.
 */
class HyperConvNet extends nn.Module {
  readonly conv1: nn.Conv2d;
  readonly conv2: nn.Conv2d;
  readonly fc: nn.Linear;
  readonly pool = new nn.MaxPool2d(2);

  constructor(rng: Rng) {
    super();
    this.conv1 = new nn.Conv2d(1, 16, 7, { padding: 3, rng });
    this.conv2 = new nn.Conv2d(16, 16, 7, { padding: 3, rng });
    this.fc = new nn.Linear(784, 10, { rng });
    const hyper: nn.Params = {
      z: randn([4], { rng }).requireGrad(),
      win: randn([64, 4], { rng, std: 0.5 }).requireGrad(),
      bin: randn([64], { rng, std: 0 }).requireGrad(),
      wout: randn([784, 4], { rng, std: 1 / Math.sqrt(4 * 784) }).requireGrad(),
      bout: randn([784], { rng, std: 0 }).requireGrad(),
    };
    this.ownParams = { conv1: this.conv1.params, hyper, conv2: { bias: this.conv2.params.bias as Tensor }, fc: this.fc.params };
  }

  /** conv2's kernel [16 out, 16 in, 7, 7] generated from z. */
  kernel(p: nn.Params): Tensor {
    const h = nn.childParams(p, 'hyper');
    const a = reshape(add(matmul(h.win as Tensor, reshape(h.z as Tensor, [4, 1])), reshape(h.bin as Tensor, [64, 1])), [16, 4]);
    const k = add(matmul(a, h.wout as Tensor, { transB: true }), h.bout as Tensor);   // [16 in, 784 = 16 out·7·7]
    return permute(reshape(k, [16, 16, 7, 7]), [1, 0, 2, 3]);
  }

  run(p: nn.Params, x: Tensor): Tensor {
    let h = this.pool.forward(relu(this.conv1.apply(nn.childParams(p, 'conv1'), reshape(x, [x.shape[0]!, 1, 28, 28]))));
    h = this.pool.forward(relu(this.conv2.apply({ weight: this.kernel(p), bias: nn.childParams(p, 'conv2').bias as Tensor }, h)));
    return this.fc.apply(nn.childParams(p, 'fc'), reshape(h, [x.shape[0]!, 784]));
  }

  describe(): string {
    return 'HyperConvNet(Ha et al. 2016 static MNIST)';
  }
  toJSON(): nn.ModuleJSON {
    return { type: 'HyperConvNet' };
  }
}

const backend = await setup();
const net = new HyperConvNet(new Rng(1));
const hp = net.params.hyper as nn.Params;
const hyperOnly = tree.count(hp) - 4;
const plain = tree.count(net.conv1.params) + tree.count(net.conv2.params) + tree.count(net.fc.params);
const train = await loadFashionMnist({ subset: 'train', limit: N_TRAIN });
const t0 = Date.now();
const { history } = fit({ model: net, head: multiclassHead({ numClasses: 10 }), optimizer: new Optimizer(adam({ lr: 1e-3 }), net), x: train.x, y: train.y, epochs: EPOCHS, batchSize: BATCH, seed: 1 });
report({
  example: 'hyper/param-counts', quick, backend,
  counts: { hypernet: hyperOnly, z: 4, wholeModel: net.numParams(), withoutHypernet: plain, generatedKernel: 7 * 7 * 16 * 16 },
  expected: { hypernet: 4240, wholeModel: 12910, withoutHypernet: 21210 },
  matches: hyperOnly === 4240 && net.numParams() === 12910 && plain === 21210,
  training: { data: `Fashion-MNIST first ${N_TRAIN} train`, epochs: EPOCHS, loss: history.map((h) => r(h.loss, 4)), falls: history.length > 1 ? history.at(-1)!.loss < history[0]!.loss : null },
  seconds: r((Date.now() - t0) / 1000, 1),
});
