// Counts how seeded mutations of valid model.json files end: loaded, a clear ModelFileError, or a raw
// error (TypeError, RangeError, stack overflow, a non-ModelFileError escaping deserializeModel).
// Usage: node --import tsx scripts/fuzz-model-json.ts [count=8000] [seed=20261201]   (prints the raw ones by message)
import fc from 'fast-check';
import { deserializeModel, ModelFileError } from '../src/index.js';
import { baseModels } from '../test/fuzz/model-bases.js';
import { mutateJson, mutationsArb } from '../test/fuzz/json-mutations.js';
import { rawErrorIn } from '../test/fuzz/fuzz-common.js';

const count = Number(process.argv[2] ?? 8000), seed = Number(process.argv[3] ?? 20261201);
const bases = baseModels();
const cases = fc.sample(fc.record({ base: fc.nat({ max: bases.length - 1 }), mutations: mutationsArb }), { numRuns: count, seed });
const tally = { loaded: 0, clear: 0, raw: 0 };
const rawKinds = new Map<string, { n: number; example: string }>();
const byClass = new Map<string, number>();
const t0 = performance.now();
let done = 0;
for (const { base, mutations } of cases) {
  if (++done % 1000 === 0) console.log(`  after ${done}: ${JSON.stringify(tally)} by class ${JSON.stringify(Object.fromEntries(byClass))}`);
  const b = bases[base]!;
  const text = mutateJson(b.json, mutations);
  try {
    deserializeModel(JSON.parse(text), b.weights, b.name);
    tally.loaded++;
  } catch (e) {
    const raw = e instanceof ModelFileError ? rawErrorIn(e) : (e as Error);
    if (raw === null) { tally.clear++; continue; }
    tally.raw++;
    byClass.set(raw.name, (byClass.get(raw.name) ?? 0) + 1);
    const key = `${raw.name}: ${String(raw.message).slice(0, 100)}`;
    const seen = rawKinds.get(key) ?? { n: 0, example: `${b.name}: ${text.slice(0, 200)}` };
    seen.n++;
    rawKinds.set(key, seen);
  }
}
console.log(`${count} mutated model.json files (seed ${seed}): ${tally.loaded} loaded, ${tally.clear} clear ModelFileError, ${tally.raw} raw errors ${JSON.stringify(Object.fromEntries(byClass))}; ${((performance.now() - t0) / 1000).toFixed(1)} s`);
for (const [k, { n, example }] of [...rawKinds].sort((a, b) => b[1].n - a[1].n)) console.log(`  ${n}× ${k}\n      e.g. ${example}`);
