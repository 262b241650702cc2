// The captured step's plan: two recorded runs compared into a list of kernel calls over fixed buffers, or the reason it cannot be.
import { forwardKernels } from '../../ops/forward.js';
import type { Backend } from '../../backend/backend.js';
import type { OpArgs, OpName } from '../../ops/spec.js';
import type { Buffer, CaptureEvent, Recorder } from './record.js';
import { generatePlan } from './codegen.js';

/** A replayable step: its kernel calls in order over the buffers of the run it was recorded from. */
export interface Plan {
  readonly steps: readonly (() => void)[];
  /** Every buffer the plan writes. */
  readonly written: ReadonlySet<Buffer>;
  /** The steps as one generated function with the JS kernels inlined (capture/codegen.ts), where any could be. */
  readonly run: (() => void) | null;
  /** How many of the steps `run` inlines. */
  readonly inlined: number;
}

/** Buffers whose contents change between steps by design: the step's inputs and the parameters. */
export interface Known {
  readonly inputs: ReadonlySet<Buffer>;
  readonly params: ReadonlySet<Buffer>;
}

const isBuffer = (x: unknown): x is Buffer => x instanceof Float32Array || x instanceof Float64Array || x instanceof Int32Array;

/** Bit-for-bit equality of two typed arrays (NaN payloads and signed zeros included). */
export function sameBits(a: Buffer, b: Buffer): boolean {
  if (a.byteLength !== b.byteLength || a.constructor !== b.constructor) return false;
  const x = new Uint8Array(a.buffer, a.byteOffset, a.byteLength), y = new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/** Numbers the buffers of a run in order of first use. */
function numbering(events: readonly CaptureEvent[]): { ids: Map<Buffer, number>; byId: Buffer[] } {
  const ids = new Map<Buffer, number>(), byId: Buffer[] = [];
  const see = (b: Buffer): void => { if (!ids.has(b)) { ids.set(b, byId.length); byId.push(b); } };
  for (const e of events) { e.reads.forEach(see); e.writes.forEach(see); }
  return { ids, byId };
}

/** Argument equality across two runs: buffers by their number in each run, other typed arrays by bits, the rest structurally. */
function sameArg(a: unknown, b: unknown, ia: Map<Buffer, number>, ib: Map<Buffer, number>): boolean {
  if (isBuffer(a) && isBuffer(b)) return ia.has(a) && ib.has(b) ? ia.get(a) === ib.get(b) : sameBits(a, b);
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameArg(x, b[i], ia, ib));
  if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
    if (a.constructor !== b.constructor) return false;
    const ka = Object.keys(a), kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => sameArg((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], ia, ib));
  }
  return Object.is(a, b);
}

function describe(e: CaptureEvent, i: number): string {
  return `step ${i + 1} (${e.kind === 'kernel' ? `kernel ${e.method}` : `op ${e.op}`})`;
}

/** Why the two runs differ in what they computed, or null when they ran the same calls over corresponding buffers. */
function structuralDifference(r1: Recorder, r2: Recorder, n1: Map<Buffer, number>, n2: Map<Buffer, number>): string | null {
  const [e1, e2] = [r1.events, r2.events];
  if (e1.length !== e2.length) return `the two traced steps ran ${e1.length} and ${e2.length} kernels (control flow that depends on the data)`;
  for (let i = 0; i < e1.length; i++) {
    const a = e1[i]!, b = e2[i]!;
    const same = a.kind === 'kernel' && b.kind === 'kernel' ? a.method === b.method && sameArg(a.args, b.args, n1, n2)
      : a.kind === 'op' && b.kind === 'op' ? a.op === b.op && sameArg(a.args, b.args, n1, n2) && sameArg(a.reads, b.reads, n1, n2) && sameArg(a.writes, b.writes, n1, n2)
        : false;
    if (!same) return `${describe(b, i)} differs between the two traced steps (its arguments depend on the data, e.g. class indices gathered in JS)`;
  }
  return null;
}

/**
 * Compares two recorded runs of one step into a Plan, or says why replaying would not reproduce
 * the eager step: different calls, a buffer read before the step writes it, or a buffer computed
 * outside the kernels whose contents changed between the runs, or state carried from one run into
 * the next (a buffer the second run reads that the first run wrote: kept eager, as the plan could not
 * tell which run fed it).
 * @example
 * const rec1 = new Recorder(getBackend(), new Set());
 * const rec2 = new Recorder(getBackend(), new Set());
 * withBackend(rec1.backend, step); withBackend(rec2.backend, step);   // two eager runs of the step
 * const r = planFrom(rec1, rec2, { inputs: new Set([x.data]), params: new Set([w.data]) });
 * if ('reason' in r) console.warn(r.reason); else replay(r.plan);
 */
export function planFrom(r1: Recorder, r2: Recorder, known: Known): { plan: Plan } | { reason: string } {
  const unrecorded = r1.unrecorded ?? r2.unrecorded;
  if (unrecorded !== null) return { reason: unrecorded };
  const { ids: n1, byId: b1 } = numbering(r1.events), { ids: n2 } = numbering(r2.events);
  const diff = structuralDifference(r1, r2, n1, n2);
  if (diff) return { reason: diff };
  const seen = new Set<Buffer>(), external = new Set<Buffer>();
  for (const [i, e] of r2.events.entries()) {
    for (const b of e.reads) {
      if (seen.has(b)) continue;
      seen.add(b);
      if (!r2.written.has(b)) { external.add(b); continue; }
      return { reason: `${describe(e, i)} reads a buffer before the step writes it (state updated in place)` };
    }
    for (const w of e.writes) seen.add(w);
  }
  const fresh = new Set<Buffer>();
  for (const b of external) {
    if (known.inputs.has(b) || known.params.has(b)) continue;
    if (r1.written.has(b)) return { reason: 'the step reads a buffer the previous step computed (state carried across steps, e.g. running statistics)' };
    const first = b1[n2.get(b)!]!, s1 = r1.snapshots.get(first), s2 = r2.snapshots.get(b);
    if (!s1 || !s2 || !sameBits(s1, s2)) return { reason: 'the step reads a buffer computed outside the kernels that changes between steps (JS-side compute, or random numbers)' };
    if (first !== b) fresh.add(b);
  }
  const live = r2.events.filter((e) => !folds(e, fresh, r2.events));
  const steps = live.map((e) => replayStep(e, r2.real));
  const generated = generatePlan(live, steps);
  return { plan: { steps, written: r2.written, run: generated?.run ?? null, inlined: generated?.inlined ?? 0 } };
}

/**
 * Constant folding: an event that reads only constants made afresh by each step (the same values
 * both times, e.g. backward's seed of ones) and whose outputs no other event writes computes the
 * same values on every replay, so the plan keeps the second run's outputs and skips it. Its outputs
 * become such constants too. (Buffers that are the same object in both runs may be live state
 * changed in place between steps, e.g. running statistics in eval mode: events reading them stay.)
 */
function folds(e: CaptureEvent, fresh: Set<Buffer>, events: readonly CaptureEvent[]): boolean {
  if (!e.reads.every((b) => fresh.has(b))) return false;
  if (e.writes.some((w) => events.some((o) => o !== e && o.writes.includes(w)))) return false;
  e.writes.forEach((w) => fresh.add(w));
  return true;
}

function replayStep(e: CaptureEvent, backend: Backend): () => void {
  if (e.kind === 'kernel') {
    const f = (backend as unknown as Record<string, (...a: unknown[]) => unknown>)[e.method]!, args = e.args;
    return () => { f.apply(backend, args as unknown[]); };
  }
  const forward = forwardKernels[e.op] as unknown as (inputs: readonly unknown[], args: OpArgs[OpName]) => { data: Buffer };
  const { inputs, args, out } = e;
  return () => { out.data.set(forward(inputs, args as OpArgs[OpName]).data as never); };
}

/**
 * Runs a plan once: its kernel calls in order.
 * @example replay(plan);
 */
export function replay(plan: Plan): void {
  if (plan.run !== null) return plan.run();
  const steps = plan.steps;
  for (let i = 0; i < steps.length; i++) steps[i]!();
}
