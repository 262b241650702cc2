// The experiments of issue 18 (docs/tune-experiments.md): on iris, wine (CSV), digits and a
// Fashion-MNIST subset, a TPE-tuned config vs the CLI defaults on validation and the untouched test
// split; TPE vs random search at equal trials over sampler seeds; ASHA vs random search's epochs.
//   npx tsx scripts/tune-experiments.ts [--quick] [--only iris,wine] [--seeds 5] [--eval-seeds 10] [--trials N] [--cv K] [--experiments tuned,samplers,asha]
// Prints the markdown tables on stdout and one JSON line last; progress on stderr. Seed-deterministic.
import { cpus, loadavg } from 'node:os';
import { selectBackend } from '../src/node/cli/backend-choice.js';
import { getBackend } from '../src/backend/registry.js';
import { parseArgs, runExperiments } from './tune-experiments/run.js';

let options;
try {
  options = parseArgs(process.argv.slice(2));
} catch (e) {
  process.stderr.write(`tune-experiments: ${(e as Error).message}\n`);
  process.exit(2);
}
await selectBackend(null);
const t0 = Date.now(), cpu0 = process.cpuUsage();
const load = (): string => loadavg().map((v) => v.toFixed(1)).join(' ');
const minutes = (): string => ((Date.now() - t0) / 60_000).toFixed(1);
const started = new Date().toISOString();
const loadAtStart = load();
const report = await runExperiments(options, (line) => process.stderr.write(`[${minutes()} min, load ${load()}] ${line}\n`));
const cpu = process.cpuUsage(cpu0);
const machine = { started, finished: new Date().toISOString(), cores: cpus().length, loadAtStart, loadAtEnd: load(), backend: getBackend().name, node: process.version, wallSeconds: Math.round((Date.now() - t0) / 1000), cpuSeconds: Math.round((cpu.user + cpu.system) / 1e6) };
process.stdout.write([
  `Command: npx tsx scripts/tune-experiments.ts ${process.argv.slice(2).join(' ')}`.trimEnd(),
  `Run: ${machine.started} → ${machine.finished}, ${machine.cores} cores, load average ${machine.loadAtStart} at the start and ${machine.loadAtEnd} at the end, backend ${machine.backend}, Node ${machine.node}, ${machine.wallSeconds} s wall, ${machine.cpuSeconds} s CPU`,
  '', ...report.markdown.flatMap((m) => [m, '']),
].join('\n'));
process.stdout.write(JSON.stringify({ options, machine, results: report.results }) + '\n');
