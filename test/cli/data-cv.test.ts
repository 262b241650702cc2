// data.cv {folds, fold}: fold k of K over the non-test rows validates, the test rows are exactly those of
// the same config without cv (built-in and CSV data, with and without validationSplit), the folds cover
// the non-test rows once, neurite eval rebuilds a cv run's split, and bad settings are config errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../../src/node/cli/config.js';
import { type Split, loadRunData } from '../../src/node/cli/data-source.js';
import { writeWineCsv } from '../../scripts/tune-experiments/tasks.js';
import { runCli } from '../helpers/cli.js';

const root = mkdtempSync(join(tmpdir(), 'neurite-data-cv-'));
test.after(() => rmSync(root, { recursive: true, force: true }));

/** Each row of a split as text (features and label), so splits compare as sets of rows. */
const rowsOf = (s: Split): string[] => {
  const w = s.x.shape[1]!;
  return Array.from({ length: s.x.shape[0]! }, (_, i) => `${Array.from(s.x.data.slice(i * w, (i + 1) * w)).join(',')}|${s.y.data[i]}`);
};
const counts = (rows: string[]): Map<string, number> => rows.reduce((m, r) => m.set(r, (m.get(r) ?? 0) + 1), new Map<string, number>());

async function checkFolds(data: Record<string, unknown>, k: number): Promise<void> {
  const plain = await loadRunData(resolveConfig({ data }, {}).data, 3);
  const nonTest = [...rowsOf(plain.train), ...(plain.val ? rowsOf(plain.val) : [])];
  const validated: string[] = [];
  for (let fold = 0; fold < k; fold++) {
    const d = await loadRunData(resolveConfig({ data: { ...data, cv: { folds: k, fold } } }, {}).data, 3);
    assert.deepEqual(d.test.x.data, plain.test.x.data, `fold ${fold}: the test features are the same rows in the same order`);
    assert.deepEqual(d.test.y.data, plain.test.y.data, `fold ${fold}: the test targets too`);
    assert.deepEqual(counts([...rowsOf(d.train), ...rowsOf(d.val!)]), counts(nonTest), `fold ${fold} trains and validates on exactly the non-test rows`);
    validated.push(...rowsOf(d.val!));
  }
  assert.deepEqual(counts(validated), counts(nonTest), 'every non-test row validates in exactly one fold');
}

test('data.cv: the test rows never change and the K validation folds partition the other rows (iris, wine CSV, validationSplit 0)', async () => {
  await checkFolds({ dataset: 'iris' }, 5);
  await checkFolds({ dataset: 'iris', validationSplit: 0 }, 3);
  await checkFolds({ csv: await writeWineCsv(root), target: 'cultivar' }, 5);
  const fold = await loadRunData(resolveConfig({ data: { dataset: 'iris', cv: { folds: 5, fold: 2 } } }, {}).data, 3);
  assert.deepEqual([fold.train.x.shape[0], fold.val!.x.shape[0], fold.test.x.shape[0]], [96, 24, 30], '120 non-test rows in 5 folds of 24');
  const perClass = [0, 1, 2].map((c) => Array.from(fold.val!.y.data).filter((v) => v === c).length);
  assert.deepEqual(perClass, [8, 8, 8], 'stratified: each fold holds a third of each class, as the whole does');
});

test('data.cv: neurite eval of a cv run scores its recorded fold and test split (metrics.json reproduced)', async () => {
  const dir = join(root, 'run');
  const r = await runCli(['train', '--dataset', 'iris', '--set', 'data.cv.folds=4', '--set', 'data.cv.fold=3', '--epochs', '3', '--out', dir, '--backend', 'js']);
  assert.equal(r.code, 0, r.err);
  const e = await runCli(['eval', '--model', dir, '--json']);
  assert.equal(e.code, 0, e.err);
  assert.deepEqual(JSON.parse(e.out), JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8')));
});

test('data.cv: bad settings are config errors naming the key and what to do', () => {
  const bad = (cv: unknown, data: Record<string, unknown> = { dataset: 'iris' }) => () => resolveConfig({ data: { ...data, cv } }, {});
  assert.throws(bad({ folds: 1, fold: 0 }), /data\.cv\.folds: expected an integer >= 2, got 1/);
  assert.throws(bad({ folds: 5, fold: 5 }), /data\.cv\.fold: 5 is not a fold of 5; use 0\.\.4/);
  assert.throws(bad({ folds: 5, fold: -1 }), /data\.cv\.fold: expected a non-negative integer, got -1/);
  assert.throws(bad({ folds: 5 }), /data\.cv\.fold: missing; data\.cv needs both folds and fold \(e\.g\. \{"folds": 5, "fold": 0\}\), or null for the validationSplit rows/);
  assert.throws(bad({ folds: 5, fold: 0, k: 3 }), /data\.cv\.k: unknown key; allowed keys here: folds, fold/);
  assert.equal(resolveConfig({ data: { dataset: 'iris', cv: null } }, {}).data.cv, null);
});

test('data.cv: more folds than a class has rows is an error naming data.cv.folds and the limit', async () => {
  const cfg = resolveConfig({ data: { dataset: 'iris', cv: { folds: 41, fold: 0 } } }, {}).data;
  await assert.rejects(loadRunData(cfg, 0), /data\.cv\.folds: class 0 has 40 rows, fewer than the 41 folds, so some validation folds would lack it; use at most 40 folds or stratify: false \(over the 120 non-test rows\)/);
  const many = resolveConfig({ data: { dataset: 'iris', stratify: false, cv: { folds: 121, fold: 0 } } }, {}).data;
  await assert.rejects(loadRunData(many, 0), /data\.cv\.folds: folds 121 is more than the 120 rows; use at most 120 folds \(over the 120 non-test rows\)/);
});
