// Benchmark harness: several contestants timed in ONE interleaved run (round-robin chunks, so load
// from other processes falls on all of them alike); medians, ratios and each one's settings printed.
import os from 'node:os';
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

/** One framework/configuration under test; `run` times `steps` steps and resolves to seconds. */
export interface Contestant {
  readonly name: string;
  /** Version, backend, BLAS, threads and environment: printed beside the numbers. */
  readonly settings: string;
  /** Set when the contestant must be read with care (e.g. a reference-BLAS peer): printed loudly. */
  readonly flag?: string;
  /** Runs steps for about `ms` (and at least 3); resolves to seconds per step. */
  warm(ms: number): Promise<number>;
  run(steps: number): Promise<number>;
  close?(): Promise<void>;
}

/** `file` with `-tag` before its .cpuprofile ending (one profile per table of a multi-table benchmark). */
export function tagged(file: string | undefined, tag: string): string | undefined {
  return file && file.replace(/(\.cpuprofile)?$/, `-${tag}.cpuprofile`);
}

/** A contestant's result: median seconds per step over the rounds. */
export interface Timing {
  name: string;
  settings: string;
  flag?: string;
  medianSec: number;
  chunksSec: number[];
  stepsPerChunk: number;
}

/** Options of {@link interleaved}. */
export interface InterleaveOptions {
  rounds: number;
  chunkMs: number;
  warmupMs: number;
  /** Write a V8 CPU profile of the timed rounds only (not set-up or warm-up) to this file. */
  profile?: string;
}

/**
 * Warms every contestant, sizes each one's chunk to ~`chunkMs`, then runs `rounds` rounds; in each
 * round every contestant times one chunk (the order rotates every round). Closes them all at the end.
 * NOTE: no forced GC between chunks: a full gc() before each chunk made neurite's LSTM 2× slower
 * (a compacted heap regrows); in-process contestants (neurite, TF.js) do share one heap, though.
 * @example const t = await interleaved([neurite, torch1], { rounds: 7, chunkMs: 400, warmupMs: 500 });
 */
export async function interleaved(cs: Contestant[], o: InterleaveOptions): Promise<Timing[]> {
  try {
    const steps: number[] = [];
    for (const c of cs) steps.push(Math.max(1, Math.round(o.chunkMs / 1000 / (await c.warm(o.warmupMs)))));
    const secs: number[][] = cs.map(() => []);
    const session = o.profile ? new Session() : null;
    if (session) { session.connect(); await session.post('Profiler.enable'); await session.post('Profiler.start'); }
    for (let r = 0; r < o.rounds; r++) {
      for (let j = 0; j < cs.length; j++) {
        const i = (j + r) % cs.length;
        secs[i]!.push((await cs[i]!.run(steps[i]!)) / steps[i]!);
      }
    }
    if (session) {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(o.profile!, JSON.stringify(profile));
      session.disconnect();
      console.log(`CPU profile of the timed rounds: ${o.profile} (summarise: node --import tsx bench/profile-summary.ts ${o.profile})`);
    }
    return cs.map((c, i) => {
      const sorted = [...secs[i]!].sort((a, b) => a - b);
      return { name: c.name, settings: c.settings, flag: c.flag, medianSec: median(sorted), chunksSec: sorted, stepsPerChunk: steps[i]! };
    });
  } finally {
    for (const c of cs) await c.close?.();
  }
}

function median(sorted: number[]): number {
  const m = sorted.length >> 1;
  return sorted.length % 2 ? sorted[m]! : (sorted[m - 1]! + sorted[m]!) / 2;
}

/** How a table shows a timing: a rate (per step × `scale`, e.g. samples/s) or a time per step. */
export type Display = { kind: 'rate'; unit: string; scale: number } | { kind: 'time'; unit: 'ms' | 'µs' };

/** The displayed value of `t` (higher-is-better rates, lower-is-better times). */
export function shown(t: Timing, d: Display): number {
  if (d.kind === 'rate') return d.scale / t.medianSec;
  return t.medianSec * (d.unit === 'ms' ? 1e3 : 1e6);
}

/** Load average and machine line, printed above every table (figures from a busy machine are suspect). */
export function machineLine(): string {
  const [l1, l5] = os.loadavg();
  return `load average ${l1!.toFixed(2)} / ${l5!.toFixed(2)} (1 / 5 min), ${os.availableParallelism()} cores, ${os.cpus()[0]?.model ?? '?'}, Node ${process.version}`;
}

/**
 * Prints one workload's table: value, spread, ratio to `baseline` (neurite / peer: above 1 means
 * neurite is faster) and settings; flagged contestants are marked `!!` with the reason underneath.
 */
export function printTable(title: string, ts: Timing[], d: Display, baseline: string): Record<string, unknown> {
  const base = ts.find((t) => t.name === baseline);
  console.log(`\n${title}  [${machineLine()}]`);
  console.log(`${'contestant'.padEnd(24)}${d.unit.padStart(12)}  ${'range'.padStart(19)}  ${(baseline + ' is').padStart(18)}  settings`);
  const rows: Record<string, unknown> = {};
  for (const t of ts) {
    const v = shown(t, d);
    const lo = shown({ ...t, medianSec: t.chunksSec[t.chunksSec.length - 1]! }, d), hi = shown({ ...t, medianSec: t.chunksSec[0]! }, d);
    const [a, b] = d.kind === 'rate' ? [lo, hi] : [hi, lo];
    const ratio = base ? base.medianSec > 0 && t !== base ? t.medianSec / base.medianSec : 1 : NaN;
    console.log(`${((t.flag ? '!! ' : '') + t.name).padEnd(24)}${fmt(v).padStart(12)}  ${`${fmt(a)}–${fmt(b)}`.padStart(19)}  ${(t === base || !base ? '—' : `${ratio.toFixed(2)}×`).padStart(18)}  ${t.settings}`);
    if (t.flag) console.log(`   !! ${t.flag}`);
    rows[t.name] = { value: Number(v.toPrecision(3)), ratio: base ? Number(ratio.toPrecision(3)) : null, settings: t.settings, ...(t.flag ? { flag: t.flag } : {}) };
  }
  return rows;
}

function fmt(v: number): string {
  return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
}
