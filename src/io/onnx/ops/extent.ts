// ONNX ops that change a tensor's extent: Slice (any steps), Pad (constant, edge, reflect; negative pads crop), Expand.
import type { Tensor } from '../../../tensor/tensor.js';
import { fmtShape } from '../../../core/errors.js';
import { broadcastShapes } from '../../../core/shape.js';
import { broadcastTo, indexSelect, pad, slice } from '../../../ops/movement.js';
import { type OpCall, type OpSpec, axisOf, fail, input, intIn, movement, scalarIn } from './call.js';

/** Indices start, start+step, … before end along a dim of size n, clamped as ONNX's Slice does. */
function sliceIndices(n: number, start: number, end: number, step: number): number[] {
  const norm = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v < 0 ? v + n : v));
  const [s, e] = step > 0 ? [norm(start, 0, n), norm(end, 0, n)] : [norm(start, 0, n - 1), norm(end, -1, n - 1)];
  const out: number[] = [];
  for (let i = s; step > 0 ? i < e : i > e; i += step) out.push(i);
  return out;
}

function sliceOp(c: OpCall): ReturnType<OpSpec['run']> {
  const x = input(c, 0), r = x.shape.length, legacy = c.opset < 10;
  const starts = legacy ? c.attrs.ints('starts') ?? [] : [...intIn(c, 1).data];
  const ends = legacy ? c.attrs.ints('ends') ?? [] : [...intIn(c, 2).data];
  const axes = (legacy ? c.attrs.ints('axes') : c.inputs[3] && [...intIn(c, 3).data]) ?? starts.map((_, i) => i);
  const steps = (!legacy && c.inputs[4] ? [...intIn(c, 4).data] : undefined) ?? starts.map(() => 1);
  if (ends.length !== starts.length || axes.length !== starts.length || steps.length !== starts.length) throw fail(c, `starts, ends, axes and steps must have equal lengths, got ${starts.length}, ${ends.length}, ${axes.length}, ${steps.length}`);
  if (steps.some((s) => s === 0)) throw fail(c, 'steps must not be 0');
  return [movement(x, (t) => {
    let y = t;
    axes.forEach((a, k) => {
      const axis = axisOf(c, a, r, 'axes entry'), idx = sliceIndices(t.shape[axis]!, starts[k]!, ends[k]!, steps[k]!);
      const contiguous = steps[k] === 1;
      y = contiguous ? slice(y, y.shape.map((_, i) => (i === axis ? idx[0] ?? 0 : 0)), y.shape.map((d, i) => (i === axis ? (idx[0] ?? 0) + idx.length : d))) : indexSelect(y, axis, idx);
    });
    return y;
  })];
}

/** Pad along every dim: negative pads crop first, then constant/edge/reflect filling. */
function padOp(c: OpCall): ReturnType<OpSpec['run']> {
  const x = input(c, 0), r = x.shape.length;
  const mode = c.attrs.choice('mode', ['constant', 'edge', 'reflect'], 'constant');
  let pads = c.opset < 11 ? c.attrs.ints(c.opset < 2 ? 'paddings' : 'pads') ?? [] : [...intIn(c, 1).data];
  const value = c.opset < 11 ? c.attrs.float('value', 0) : scalarIn(c, 2) ?? 0;
  if (c.opset >= 18 && c.inputs[3] !== undefined) {
    const axes = [...intIn(c, 3).data].map((a) => axisOf(c, a, r, 'axes entry')), full = new Array<number>(2 * r).fill(0);
    axes.forEach((a, k) => { full[a] = pads[k]!; full[a + r] = pads[k + axes.length]!; });
    pads = full;
  }
  if (pads.length !== 2 * r) throw fail(c, `pads [${pads.join(',')}] must hold ${2 * r} values for input ${fmtShape(x.shape)}`);
  return [movement(x, (t) => {
    const cropped = slice(t, t.shape.map((_, i) => Math.max(0, -pads[i]!)), t.shape.map((d, i) => d - Math.max(0, -pads[i + r]!)));
    const before = pads.slice(0, r).map((p) => Math.max(0, p)), after = pads.slice(r).map((p) => Math.max(0, p));
    if (mode === 'constant') return pad(cropped, before.map((b, i) => [b, after[i]!] as [number, number]), value);
    let y = cropped;
    for (let a = 0; a < r; a++) {
      const n = y.shape[a]!, idx: number[] = [];
      if (mode === 'reflect' && (before[a]! >= n || after[a]! >= n)) throw fail(c, `reflect pads [${pads.join(',')}] must be smaller than dim ${a} (${n}) of ${fmtShape(t.shape)}`);
      for (let i = -before[a]!; i < n + after[a]!; i++) idx.push(mode === 'edge' ? Math.min(n - 1, Math.max(0, i)) : i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i);
      if (before[a]! + after[a]! > 0) y = indexSelect(y, a, idx);
    }
    return y;
  })];
}

function expandOp(c: OpCall): ReturnType<OpSpec['run']> {
  const x = input(c, 0), to = broadcastShapes('Expand', x.shape, [...intIn(c, 1).data]);
  return [movement(x, (t: Tensor) => broadcastTo(t, to))];
}

/** Extent-changing ops by ONNX name. */
export const extentOps: Record<string, OpSpec> = {
  Slice: { attrs: ['starts', 'ends', 'axes'], run: sliceOp },
  Pad: { attrs: ['mode', 'pads', 'paddings', 'value'], run: padOp },
  Expand: { attrs: [], run: expandOp },
};
