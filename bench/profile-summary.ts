// Summarises a V8 .cpuprofile (from `node --cpu-prof`): self time per function, largest first.
//
// Run: node --import tsx bench/profile-summary.ts <file.cpuprofile | dir> [--top 25]
// A directory means its largest profile (the main thread; tsx's loader thread writes a small one too).
// Prints "self % | self ms | function (file:line)" rows; (garbage collector), (program) and (idle)
// are V8's own buckets. Used for the "where time goes" tables in docs/performance.md.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

interface CallFrame { functionName: string; url: string; lineNumber: number }
interface ProfileNode { id: number; callFrame: CallFrame; hitCount?: number }
interface CpuProfile { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[]; startTime: number; endTime: number }

/**
 * Self time (µs) per function key `name (file)` from a V8 CPU profile, summed over samples.
 * @example selfTimes(JSON.parse(readFileSync('x.cpuprofile', 'utf8'))).get('(garbage collector)')
 */
export function selfTimes(p: CpuProfile): Map<string, number> {
  const keyOf = new Map<number, string>();
  for (const n of p.nodes) {
    const f = n.callFrame;
    const file = f.url ? path.basename(f.url.replace(/^file:\/\//, '')) : '';
    keyOf.set(n.id, file ? `${f.functionName || '(anonymous)'} (${file})` : f.functionName || '(anonymous)');
  }
  const totals = new Map<string, number>();
  for (let i = 0; i < p.samples.length; i++) {
    const k = keyOf.get(p.samples[i]!) ?? '?';
    totals.set(k, (totals.get(k) ?? 0) + (p.timeDeltas[i] ?? 0));
  }
  return totals;
}

/** `p` itself, or the largest .cpuprofile in directory `p`. */
function largestProfile(p: string): string {
  if (!statSync(p).isDirectory()) return p;
  const files = readdirSync(p).filter((f) => f.endsWith('.cpuprofile')).map((f) => path.join(p, f));
  if (files.length === 0) throw new Error(`profile-summary: no .cpuprofile in ${p}`);
  return files.sort((a, b) => statSync(b).size - statSync(a).size)[0]!;
}

const isMain = process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]));
if (isMain) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string', default: '25' } } });
  if (positionals.length !== 1) throw new Error('usage: node --import tsx bench/profile-summary.ts <file.cpuprofile | dir> [--top 25]');
  const totals = selfTimes(JSON.parse(readFileSync(largestProfile(positionals[0]!), 'utf8')) as CpuProfile);
  const all = [...totals.values()].reduce((a, b) => a + b, 0);
  const busy = all - (totals.get('(idle)') ?? 0);
  console.log(`total ${(all / 1000).toFixed(0)} ms sampled, ${(busy / 1000).toFixed(0)} ms busy; self time of the top functions (% of busy):`);
  for (const [k, v] of [...totals].filter(([k]) => k !== '(idle)').sort((a, b) => b[1] - a[1]).slice(0, Number(values.top))) {
    console.log(`${((100 * v) / busy).toFixed(1).padStart(5)} %  ${(v / 1000).toFixed(0).padStart(6)} ms  ${k}`);
  }
}
