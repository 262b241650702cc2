// Chooses the default rule's constants (src/node/cli/default-rule.ts) on VALIDATION accuracy only:
// trains each built-in classification set at each candidate rule over a few seeds through the CLI's
// own runTrain and prints mean/min validation accuracy. Test accuracy is never printed here.
//   node --import tsx scripts/default-rule-sweep.ts [seeds=3] [datasets=iris,wine,breast_cancer,digits] [steps:lr:smallBatch[:largeBatch],...]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../src/node/cli/config.js';
import { loadRunData } from '../src/node/cli/data-source.js';
import { runTrain } from '../src/node/cli/run.js';
import { DEFAULT_RULE, type DefaultRuleConstants, chooseDefaults } from '../src/node/cli/default-rule.js';

const seeds = Number(process.argv[2] ?? 3);
const datasets = (process.argv[3] ?? 'iris,wine,breast_cancer,digits').split(',');
const candidates: DefaultRuleConstants[] = [];
if (process.argv[4]) {
  for (const c of process.argv[4].split(',')) {
    const [targetSteps, adaptiveLr, smallBatch, largeBatch] = c.split(':').map(Number) as [number, number, number, number?];
    candidates.push({ ...DEFAULT_RULE, targetSteps, adaptiveLr, smallBatch, largeBatch: largeBatch ?? DEFAULT_RULE.largeBatch });
  }
} else {
  for (const targetSteps of [1500, 3000]) for (const adaptiveLr of [0.001, 0.003, 0.01]) for (const smallBatch of [16, 32]) {
    candidates.push({ ...DEFAULT_RULE, targetSteps, adaptiveLr, smallBatch });
  }
}
const quiet = { out: () => {}, err: () => {}, isTTY: false };
const root = mkdtempSync(join(tmpdir(), 'neurite-sweep-'));
try {
  for (const rule of candidates) {
    const row: string[] = [];
    for (const dataset of datasets) {
      const accs: number[] = [];
      for (let seed = 0; seed < seeds; seed++) {
        const base = resolveConfig(null, { data: { dataset }, train: { seed } });
        const rows = (await loadRunData(base.data, seed)).train.x.shape[0]!;
        const chosen = chooseDefaults(rows, base.train.optimizer, { epochs: null, batchSize: null, lr: null }, rule).values;
        const out = join(root, `${dataset}-${seed}-${accs.length}-${Date.now()}`);
        const cfg = resolveConfig(null, { data: { dataset }, train: { seed, ...chosen }, out });
        const r = await runTrain(cfg, quiet);
        accs.push(r.metrics.validation!.accuracy!);
        rmSync(out, { recursive: true, force: true });
      }
      const mean = accs.reduce((a, b) => a + b, 0) / accs.length;
      row.push(`${dataset} val ${mean.toFixed(3)} (min ${Math.min(...accs).toFixed(3)})`);
    }
    console.log(`steps ${rule.targetSteps} lr ${rule.adaptiveLr} smallBatch ${rule.smallBatch} largeBatch ${rule.largeBatch}: ${row.join('  ')}`);
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
