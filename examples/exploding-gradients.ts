// Experiment: a vanilla RNN on long sequences trained by SGD, without and with global-norm gradient clipping.
// Run: node --import tsx examples/exploding-gradients.ts [--quick] [--lr=0.2] [--gain=1]
import { analysis, losses, nn, optim, Rng, randn, tensor, add, mul, tanh, sum, narrow, reshape, noGrad, Optimizer, sgd, type Tensor } from 'neurite';

const quick = process.argv.includes('--quick');
const T = quick ? 50 : 100;             // sequence length
const H = 32;                           // hidden units
const steps = quick ? 150 : 400;
const batch = 32;
/** A numeric `--name=value` flag. */
const flag = (name: string, dflt: number): number => {
  const a = process.argv.find((s) => s.startsWith(`--${name}=`));
  return a ? Number(a.slice(name.length + 3)) : dflt;
};
const lr = flag('lr', 0.2);
const recurrentGain = flag('gain', 1);     // U starts orthogonal × gain (all singular values = gain)
const clipNorm = 1;

/**
 * h_t = tanh(W x_t + U h_{t-1} + b), ŷ = V h_T + c (Elman RNN written with Linear layers;
 * parameters `input.*` (W, b), `recurrent.weight` (U), `readout.*` (V, c)).
 */
class VanillaRNN extends nn.Module {
  readonly input: nn.Linear; readonly recurrent: nn.Linear; readonly readout: nn.Linear;
  constructor(rng: Rng) {
    super();
    this.input = new nn.Linear(1, H, { rng });
    this.recurrent = new nn.Linear(H, H, { rng, bias: false, init: nn.init.orthogonal(recurrentGain) });
    this.readout = new nn.Linear(H, 1, { rng });
  }
  override children(): [string, nn.Module][] { return [['input', this.input], ['recurrent', this.recurrent], ['readout', this.readout]]; }
  override get params(): nn.Params { return { input: this.input.params, recurrent: this.recurrent.params, readout: this.readout.params }; }
  override set params(p: nn.Params) { for (const [k, m] of this.children()) m.params = nn.childParams(p, k); }
  run(params: nn.Params, x: Tensor): Tensor {
    const [n, len] = [x.shape[0]!, x.shape[1]!];
    let h: Tensor | null = null;
    for (let t = 0; t < len; t++) {
      const drive = this.input.apply(nn.childParams(params, 'input'), reshape(narrow(x, 1, t, 1), [n, 1]));
      h = tanh(h ? add(drive, this.recurrent.apply(nn.childParams(params, 'recurrent'), h)) : drive);
    }
    return this.readout.apply(nn.childParams(params, 'readout'), h!);
  }
  describe(): string { return `VanillaRNN(1→${H}→1)`; }
  toJSON(): nn.ModuleJSON { return { type: 'VanillaRNN', hidden: H }; }
}

/**
 * Sequences x ~ N(0, 1) of length T; the target is the leaky sum y = Σ_t 0.9^{T-t} x_t, scaled to
 * unit variance (a memory of ~10 steps, while gradients still flow back through all T steps).
 */
const decay = Array.from({ length: T }, (_, t) => 0.9 ** (T - 1 - t));
const norm = Math.sqrt(decay.reduce((a, d) => a + d * d, 0));
const weights = tensor(decay.map((d) => d / norm), { shape: [1, T, 1] });
function makeBatch(rng: Rng): { x: Tensor; y: Tensor } {
  const x = randn([batch, T, 1], { rng });
  return { x, y: reshape(sum(mul(x, weights), [1, 2]), [batch, 1]) };
}

/** SGD for `steps` batches; returns the loss curve (NaN/Inf kept: that is divergence) and the largest gradient norm seen. */
function train(clip: boolean): { losses: number[]; maxGradNorm: number; test: number; firstWarning: string | null } {
  const model = new VanillaRNN(new Rng(1));
  const opt = new Optimizer(clip ? optim.chain(optim.clipByGlobalNorm(clipNorm), sgd({ lr })) : sgd({ lr }), model);
  const data = new Rng(2);
  const lossCurve: number[] = [];
  let maxGradNorm = 0, firstWarning: string | null = null;
  for (let s = 0; s < steps; s++) {
    const { x, y } = makeBatch(data);
    opt.zeroGrad();
    const loss = losses.mse(model.forward(x), y);
    loss.backward();
    const norms = analysis.gradientNorms(model);
    maxGradNorm = Math.max(maxGradNorm, norms.total);
    const w = analysis.checkGradientFlow(norms)[0];
    if (w && firstWarning === null) firstWarning = `step ${s}: ${w.kind} (${w.value.toExponential(2)})`;
    lossCurve.push(loss.item());
    if (!Number.isFinite(lossCurve.at(-1)!)) break;
    opt.step();
  }
  const held = makeBatch(new Rng(3));
  const test = noGrad(() => losses.mse(model.forward(held.x), held.y).item());
  return { losses: lossCurve, maxGradNorm, test, firstWarning };
}

const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
const summary = (r: ReturnType<typeof train>) => ({
  firstLoss: Number(r.losses[0]!.toPrecision(4)),
  finalLoss: Number(mean(r.losses.slice(-10)).toPrecision(4)),
  heldOutLoss: Number(r.test.toPrecision(4)),
  stepsRun: r.losses.length,
  nonFiniteAtStep: Number.isFinite(r.losses.at(-1)!) ? null : r.losses.length - 1,
  lastLoss: String(Number(r.losses.at(-1)!.toPrecision(4))),
  maxGradNorm: Number(r.maxGradNorm.toPrecision(4)),
  firstWarning: r.firstWarning,
});
const plain = summary(train(false));
const clipped = summary(train(true));
console.log(`without clipping: loss ${plain.firstLoss} → ${plain.finalLoss} (held out ${plain.heldOutLoss}), max ‖g‖ ${plain.maxGradNorm}`);
console.log(`with clipping (‖g‖ ≤ ${clipNorm}): loss ${clipped.firstLoss} → ${clipped.finalLoss} (held out ${clipped.heldOutLoss}), max ‖g‖ ${clipped.maxGradNorm}`);
const diverged = (r: typeof plain): boolean => !Number.isFinite(r.finalLoss) || r.finalLoss > r.firstLoss;
console.log(JSON.stringify({
  experiment: 'exploding-gradients', quick, T, hidden: H, steps, batch, lr, recurrentGain, clipNorm,
  withoutClipping: plain, withClipping: clipped,
  divergedWithoutClipping: diverged(plain), convergedWithClipping: !diverged(clipped) && clipped.finalLoss < 0.5 * clipped.firstLoss,
}));
