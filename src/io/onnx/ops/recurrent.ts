// ONNX LSTM (gates i, o, f, c), GRU (z, r, h; linear_before_reset) and RNN over neurite ops, any direction, with initial states.
import { Tensor, zeros } from '../../../tensor/tensor.js';
import { fmtShape } from '../../../core/errors.js';
import { add, mul, relu, sigmoid, sub, tanh } from '../../../ops/elementwise.js';
import { matmul } from '../../../ops/matmul.js';
import { narrow, permute, reshape, stack } from '../../../ops/movement.js';
import { IntValue } from '../values.js';
import { type OpCall, type OpSpec, fail, floatIn, optFloatIn } from './call.js';

type Act = (x: Tensor) => Tensor;
const activationsByName: Record<string, Act> = { Sigmoid: sigmoid, Tanh: tanh, Relu: relu };

type Kind = 'LSTM' | 'GRU' | 'RNN';
const gateCount: Record<Kind, number> = { LSTM: 4, GRU: 3, RNN: 1 };
const defaultActs: Record<Kind, string[]> = { LSTM: ['Sigmoid', 'Tanh', 'Tanh'], GRU: ['Sigmoid', 'Tanh'], RNN: ['Tanh'] };

/** One direction's weights: W [G·H, I], R [G·H, H], biases [G·H] (absent ones are zero). */
interface DirWeights { w: Tensor; r: Tensor; wb?: Tensor; rb?: Tensor; p?: Tensor }

/** State carried between steps: h [N, H] (and c for LSTM). */
interface State { h: Tensor; c?: Tensor }

interface Setup { kind: Kind; hidden: number; acts: Act[]; lbr: boolean }

/** Gate k of a [N, G·H] block. */
const gate = (g: Tensor, k: number, h: number): Tensor => narrow(g, 1, k * h, h);

function step(s: Setup, d: DirWeights, xw: Tensor, st: State): State {
  const h = s.hidden, [f, g, hAct] = s.acts;
  let hr = matmul(st.h, d.r, { transB: true });
  if (d.rb) hr = add(hr, d.rb);
  if (s.kind === 'RNN') return { h: f!(add(xw, hr)) };
  if (s.kind === 'GRU') {
    const z = f!(add(gate(xw, 0, h), gate(hr, 0, h))), r = f!(add(gate(xw, 1, h), gate(hr, 1, h)));
    let rh: Tensor;
    if (s.lbr) rh = mul(r, gate(hr, 2, h));
    else {
      rh = matmul(mul(r, st.h), narrow(d.r, 0, 2 * h, h), { transB: true });
      if (d.rb) rh = add(rh, narrow(d.rb, 0, 2 * h, h));
    }
    const cand = g!(add(gate(xw, 2, h), rh));
    return { h: add(cand, mul(z, sub(st.h, cand))) }; // (1 − z) ⊙ h̃ + z ⊙ h
  }
  // Peepholes P = [p_i, p_o, p_f] add p ⊙ c to the i and f gates (previous c) and the o gate (new c).
  const sum = add(xw, hr), peep = (x: Tensor, k: number, c: Tensor): Tensor => (d.p ? add(x, mul(narrow(d.p, 0, k * h, h), c)) : x);
  const i = f!(peep(gate(sum, 0, h), 0, st.c!));
  const fg = f!(peep(gate(sum, 2, h), 2, st.c!));
  const c = add(mul(fg, st.c!), mul(i, g!(gate(sum, 3, h))));
  const o = f!(peep(gate(sum, 1, h), 1, c));
  return { h: mul(o, hAct!(c)), c };
}

/** Runs one direction over a time-major x [T, N, I]; returns every h [N, H] in time order and the last state. */
function runDirection(s: Setup, d: DirWeights, x: Tensor, st: State, reverse: boolean): { hs: Tensor[]; last: State } {
  const [t, n, i] = x.shape as [number, number, number], gh = d.w.shape[0]!;
  let xw = matmul(reshape(x, [t * n, i]), d.w, { transB: true });
  if (d.wb) xw = add(xw, d.wb);
  const hs: Tensor[] = new Array<Tensor>(t);
  for (let k = 0; k < t; k++) {
    const at = reverse ? t - 1 - k : k;
    st = step(s, d, reshape(narrow(xw, 0, at * n, n), [n, gh]), st);
    hs[at] = st.h;
  }
  return { hs, last: st };
}

function checkAttrs(c: OpCall, kind: Kind, dirs: number): Act[] {
  const a = c.attrs;
  if (a.has('clip')) throw a.error('clip', 'is not supported (cell clipping); remove it or clip outside the cell');
  if (a.has('activation_alpha') || a.has('activation_beta')) throw a.error(a.has('activation_alpha') ? 'activation_alpha' : 'activation_beta', 'is not supported; neurite runs Sigmoid, Tanh and Relu activations');
  if (a.int('input_forget', 0) !== 0) throw a.error('input_forget', 'must be 0 (coupled input-forget gates are not supported)');
  const names = a.strings('activations') ?? [...defaultActs[kind], ...(dirs === 2 ? defaultActs[kind] : [])];
  if (names.length !== defaultActs[kind].length * dirs) throw a.error('activations', `lists ${names.length} functions; ${kind} needs ${defaultActs[kind].length} per direction`);
  return names.map((n) => {
    const f = activationsByName[n];
    if (!f) throw a.error('activations', `names "${n}"; neurite supports ${Object.keys(activationsByName).join(', ')}`);
    return f;
  });
}

function weightsOf(c: OpCall, kind: Kind, dir: number, hidden: number): DirWeights {
  const gh = gateCount[kind] * hidden;
  const row = (t: Tensor, len: number): Tensor => reshape(narrow(t, 0, dir, 1), [len, ...t.shape.slice(2)]);
  const w = row(floatIn(c, 1), gh), r = row(floatIn(c, 2), gh), b = optFloatIn(c, 3), p = kind === 'LSTM' ? optFloatIn(c, 7) : undefined;
  if (r.shape[1] !== hidden || w.shape[0] !== gh) throw fail(c, `W ${fmtShape(floatIn(c, 1).shape)} and R ${fmtShape(floatIn(c, 2).shape)} do not fit hidden_size ${hidden} with ${gateCount[kind]} gates`);
  const bias = b ? reshape(narrow(b, 0, dir, 1), [2 * gh]) : undefined;
  return { w, r, ...(bias ? { wb: narrow(bias, 0, 0, gh), rb: narrow(bias, 0, gh, gh) } : {}), ...(p ? { p: reshape(narrow(p, 0, dir, 1), [3 * hidden]) } : {}) };
}

function initial(c: OpCall, index: number, dir: number, n: number, hidden: number, layout: number, dtype: Tensor['dtype']): Tensor {
  const t = optFloatIn(c, index);
  if (!t) return zeros([n, hidden], { dtype });
  const dirMajor = layout === 1 ? permute(t, [1, 0, 2]) : t;
  return reshape(narrow(dirMajor, 0, dir, 1), [n, hidden]);
}

function recurrent(kind: Kind, c: OpCall): (Tensor | undefined)[] {
  const direction = c.attrs.choice('direction', ['forward', 'reverse', 'bidirectional'], 'forward');
  const dirs = direction === 'bidirectional' ? 2 : 1, layout = c.attrs.int('layout', 0);
  const acts = checkAttrs(c, kind, dirs), hidden = c.attrs.int('hidden_size', floatIn(c, 2).shape[2] ?? 0);
  const x0 = floatIn(c, 0), x = layout === 1 ? permute(x0, [1, 0, 2]) : x0;
  if (x.rank !== 3) throw fail(c, `X ${fmtShape(x0.shape)} must be rank 3`);
  const [t, n] = x.shape as [number, number];
  const lens = c.inputs[4];
  if (lens instanceof IntValue && lens.data.some((v) => v !== t)) throw fail(c, `sequence_lens [${lens.data.join(',')}] differ from the sequence length ${t}; neurite runs full-length sequences only`);
  const outs: { hs: Tensor[]; last: State }[] = [];
  for (let d = 0; d < dirs; d++) {
    const setup: Setup = { kind, hidden, acts: acts.slice(d * defaultActs[kind].length), lbr: c.attrs.int('linear_before_reset', 0) === 1 };
    const st: State = { h: initial(c, 5, d, n, hidden, layout, x.dtype), ...(kind === 'LSTM' ? { c: initial(c, 6, d, n, hidden, layout, x.dtype) } : {}) };
    outs.push(runDirection(setup, weightsOf(c, kind, d, hidden), x, st, direction === 'reverse' || d === 1));
  }
  const y = stack(outs.map((o) => stack(o.hs)), 1); // [T, D, N, H]
  const yh = stack(outs.map((o) => o.last.h)), yc = kind === 'LSTM' ? stack(outs.map((o) => o.last.c!)) : undefined; // [D, N, H]
  if (layout === 1) return [permute(y, [2, 0, 1, 3]), permute(yh, [1, 0, 2]), yc && permute(yc, [1, 0, 2])];
  return [y, yh, yc];
}

const attrs = ['activation_alpha', 'activation_beta', 'activations', 'clip', 'direction', 'hidden_size', 'layout'];

/** Recurrent ops by ONNX name. */
export const recurrentOps: Record<string, OpSpec> = {
  LSTM: { attrs: [...attrs, 'input_forget'], run: (c) => recurrent('LSTM', c) },
  GRU: { attrs: [...attrs, 'linear_before_reset'], run: (c) => recurrent('GRU', c) },
  RNN: { attrs, run: (c) => recurrent('RNN', c) },
};
