// Test accuracy of `neurite train --dataset NAME --seed S` at the defaults (the default rule), over
// seeds: the table in docs/cli.md. Run only after the rule was chosen on validation data.
//   node --import tsx scripts/defaults-accuracy.ts [seeds=5] [datasets=iris,wine,breast_cancer,digits]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../src/node/cli/config.js';
import { runTrain } from '../src/node/cli/run.js';
import { getBackend } from '../src/backend/registry.js';
import { selectBackend } from '../src/node/cli/backend-choice.js';

const seeds = Number(process.argv[2] ?? 5);
const datasets = (process.argv[3] ?? 'iris,wine,breast_cancer,digits').split(',');
const root = mkdtempSync(join(tmpdir(), 'neurite-defaults-'));
await selectBackend(null);
console.log(`| data set | test accuracy, seed 0 | mean over seeds 0–${seeds - 1} | min – max | epochs, batch, lr | (backend ${getBackend().name})`);
try {
  for (const dataset of datasets) {
    const accs: number[] = [];
    let chosen = '';
    for (let seed = 0; seed < seeds; seed++) {
      const out = join(root, `${dataset}-${seed}`);
      const r = await runTrain(resolveConfig(null, { data: { dataset }, train: { seed }, out }), { out: () => {}, err: () => {}, isTTY: false });
      accs.push(r.metrics.test!.accuracy!);
      const cfg = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8')) as { train: { epochs: number; batchSize: number; lr: number } };
      chosen = `${cfg.train.epochs}, ${cfg.train.batchSize}, ${cfg.train.lr}`;
      rmSync(out, { recursive: true, force: true });
    }
    const mean = accs.reduce((a, b) => a + b, 0) / accs.length;
    console.log(`| ${dataset} | ${accs[0]!.toFixed(3)} | ${mean.toFixed(3)} | ${Math.min(...accs).toFixed(3)} – ${Math.max(...accs).toFixed(3)} | ${chosen} |`);
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
