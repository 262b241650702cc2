// Fuzzes the config loader: mutated training configs (deletions, type swaps, huge numbers, prototype
// keys such as __proto__/constructor/toString, deep nesting) resolve or fail with a clear ConfigError,
// through resolveConfig and through readConfigFile; valid configs round-trip.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { defaultConfig, readConfigFile, resolveConfig } from '../../src/node/cli/config.js';
import { ConfigError } from '../../src/node/cli/schema.js';
import { mutateJson, mutationsArb } from './json-mutations.js';
import { assertClearError, fuzzParams, timed } from './fuzz-common.js';

const bases: Record<string, unknown>[] = [
  { data: { dataset: 'iris', testSplit: 0.25 }, model: { hidden: [16, 8], activation: 'tanh', dropout: 0.1 }, train: { epochs: 3, lr: 0.01, optimizer: 'sgd', clipNorm: 1 } },
  { data: { csv: 'x.csv', target: 'y', task: 'regression' }, model: { layers: [{ type: 'Linear', in: 3, out: 4 }, { type: 'ReLU' }], range: [0, 1], output: 'tanh' } },
  { model: { hypernet: { chunkSize: 16, hidden: [8], condition: 'noise' } }, train: { schedule: 'cosine', patience: 2 }, out: 'runs/x' },
];

test('fuzz: valid configs round-trip through readConfigFile and resolveConfig', () => {
  const dir = mkdtempSync(join(tmpdir(), 'neurite-config-'));
  for (const [i, base] of bases.entries()) {
    const file = join(dir, `c${i}.json`);
    writeFileSync(file, JSON.stringify(base));
    assert.deepEqual(readConfigFile(file), base);
    const cfg = resolveConfig(readConfigFile(file), {});
    assert.equal(cfg.train.epochs, (base.train as { epochs?: number } | undefined)?.epochs ?? defaultConfig().train.epochs);
  }
});

test('fuzz: mutated configs resolve or fail with a clear ConfigError', () => {
  fc.assert(fc.property(fc.nat({ max: bases.length - 1 }), mutationsArb, (b, mutations) => {
    const text = mutateJson(bases[b], mutations);
    timed(2000, () => text, () => {
      try { resolveConfig(JSON.parse(text), {}); } catch (e) { assertClearError(e, ConfigError, () => text); }
    });
  }), fuzzParams(300));
});

test('fuzz: mutated config files read or fail with a clear ConfigError naming the file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'neurite-config-'));
  let i = 0;
  fc.assert(fc.property(fc.nat({ max: bases.length - 1 }), mutationsArb, (b, mutations) => {
    const text = mutateJson(bases[b], mutations);
    const file = join(dir, `m${i++}.json`);
    writeFileSync(file, text);
    try { readConfigFile(file); } catch (e) {
      assertClearError(e, ConfigError, () => text);
      assert.ok((e as Error).message.startsWith(`${file}: `), (e as Error).message);
    }
  }), fuzzParams(60));
});
