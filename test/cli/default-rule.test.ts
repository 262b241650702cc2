// The default rule: epochs/batchSize/lr chosen from the data when unset, recorded in config.json, kept on resume.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../src/node/cli/main.js';
import { DEFAULT_RULE, chooseDefaults } from '../../src/node/cli/default-rule.js';
import { savedConfig } from '../../src/node/cli/run-folder.js';

const unset = { epochs: null, batchSize: null, lr: null };

test('chooseDefaults: batch by data size, epochs from the step target (clamped), lr by optimizer family; set keys are left alone', () => {
  const small = chooseDefaults(105, 'adam', unset);
  assert.equal(small.values.batchSize, DEFAULT_RULE.smallBatch);
  assert.equal(small.values.epochs, Math.min(DEFAULT_RULE.maxEpochs, Math.ceil(DEFAULT_RULE.targetSteps / Math.ceil(105 / DEFAULT_RULE.smallBatch))));
  assert.equal(small.values.lr, DEFAULT_RULE.adaptiveLr);
  assert.equal(chooseDefaults(54000, 'sgd', unset).values.epochs, DEFAULT_RULE.minEpochs);
  assert.equal(chooseDefaults(54000, 'sgd', unset).values.batchSize, DEFAULT_RULE.largeBatch);
  assert.equal(chooseDefaults(54000, 'momentum', unset).values.lr, DEFAULT_RULE.sgdLr);
  const partly = chooseDefaults(105, 'adam', { epochs: 7, batchSize: 10, lr: null });
  assert.deepEqual(Object.keys(partly.values), ['lr']);
  assert.deepEqual(Object.keys(partly.reasons), ['train.lr']);
  assert.match(chooseDefaults(105, 'adam', { epochs: null, batchSize: 10, lr: 1 }).reasons['train.epochs']!, /^chosen by default rule: about \d+ steps at 11 steps per epoch/);
});

test('iris at the defaults: the rule fills epochs/batchSize/lr, config.json says so, validation accuracy ≥ 0.9', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'neurite-defaults-'));
  try {
    const out = join(dir, 'run');
    let stdout = '', stderr = '';
    const code = await main(['train', '--dataset', 'iris', '--out', out, '--json'], { out: (s) => (stdout += s), err: (s) => (stderr += s), isTTY: false });
    assert.equal(code, 0);
    assert.match(stderr, /on iris \(105 train \/ 15 validation \/ 30 test\)/);
    const cfg = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    const train = chooseDefaults(105, 'adam', unset).values;
    assert.deepEqual([cfg.train.epochs, cfg.train.batchSize, cfg.train.lr], [train.epochs, train.batchSize, train.lr]);
    assert.deepEqual(Object.keys(cfg.chosenByDefaultRule).sort(), ['train.batchSize', 'train.epochs', 'train.lr']);
    assert.match(cfg.chosenByDefaultRule['train.epochs'], /^chosen by default rule: /);
    assert.equal(savedConfig(out).train.epochs, train.epochs);
    assert.equal('chosenByDefaultRule' in savedConfig(out), false);
    const validation = JSON.parse(stdout).metrics.validation.accuracy;
    assert.ok(validation >= 0.9, `iris validation accuracy at the defaults: ${validation}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a key set by flag is not chosen by the rule and not noted', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'neurite-defaults-'));
  try {
    const out = join(dir, 'run');
    assert.equal(await main(['train', '--dataset', 'iris', '--epochs', '2', '--lr', '0.01', '--out', out], { out: () => {}, err: () => {}, isTTY: false }), 0);
    const cfg = JSON.parse(readFileSync(join(out, 'config.json'), 'utf8'));
    assert.deepEqual([cfg.train.epochs, cfg.train.lr], [2, 0.01]);
    assert.deepEqual(Object.keys(cfg.chosenByDefaultRule), ['train.batchSize']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
