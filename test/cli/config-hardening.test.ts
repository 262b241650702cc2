// Hostile config files: Object.prototype key names, deep nesting and oversize files are clear ConfigErrors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readConfigFile, resolveConfig } from '../../src/node/cli/config.js';
import { ConfigError } from '../../src/node/cli/schema.js';
import { setLimits } from '../../src/index.js';

const write = (text: string): string => {
  const file = join(mkdtempSync(join(tmpdir(), 'neurite-cfg-')), 'train.json');
  writeFileSync(file, text);
  return file;
};
const configError = (pattern: RegExp) => (e: Error): boolean => e instanceof ConfigError && pattern.test(e.message);

test('config keys __proto__, constructor and toString fail the unknown-key check', () => {
  for (const key of ['__proto__', 'constructor', 'toString']) {
    const file = write(`{"train": {"${key}": {"epochs": 1}}}`);
    assert.throws(() => readConfigFile(file), configError(new RegExp(`^${file.replace(/[.\\/]/g, '\\$&')}: train\\.${key}: unknown key; allowed keys here: epochs, batchSize, `)));
    assert.throws(() => resolveConfig(JSON.parse(`{"${key}": 1}`), {}), configError(new RegExp(`^config: ${key}: unknown key; allowed keys here: data, model, train, out$`)));
  }
});

test('a deeply nested config is a clear error, not a stack overflow', () => {
  const file = write(`{"model": {"layers": [${'['.repeat(100000)}${']'.repeat(100000)}]}}`);
  assert.throws(() => readConfigFile(file), configError(/train\.json: JSON nested deeper than 64 levels \(limit 64\); the file is corrupt or hostile$/));
});

test('an oversize config file is refused before it is read', () => {
  const file = write(JSON.stringify({ train: { epochs: 1 } }));
  const before = setLimits({ maxConfigBytes: 10 });
  try {
    assert.throws(() => readConfigFile(file), configError(/train\.json: refusing to read 22 bytes \(limit 10 bytes for this file\); is it the right file\?$/));
  } finally {
    setLimits(before);
  }
});
