// Parameter importance (η², the correlation ratio) and the study report page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tune, importance, correlationRatio, parseSpace } from '../../src/tune/index.js';
import { studyReportHtml } from '../../src/node/tune/study-report.js';

test('correlationRatio: 1 when groups explain all variance, 0 when none; importance ranks the parameter that matters first', async () => {
  assert.equal(correlationRatio([[1, 1], [3, 3]]), 1);
  assert.equal(correlationRatio([[1, 3], [3, 1]]), 0);
  // Groups [1,2] and [4,5]: grand mean 3, between = 2·1.5² + 2·1.5² = 9, total = 4 + 1 + 1 + 4 = 10.
  assert.ok(Math.abs(correlationRatio([[1, 2], [4, 5]]) - 0.9) < 1e-12);
  const space = { big: { type: 'float', low: 0, high: 1 }, noise: { type: 'float', low: 0, high: 1 }, kind: { type: 'categorical', choices: ['a', 'b'] } };
  const s = await tune({ space, trials: 60, sampler: { name: 'random', seed: 4 }, objective: (t) => 10 * (t.params.big as number) + (t.params.kind === 'a' ? 4 : 0) });
  const imp = importance(parseSpace(space), s.trials);
  assert.deepEqual(imp.map((r) => r.param), ['big', 'kind', 'noise']);
  assert.ok(imp[0]!.eta2 > 0.6 && imp[2]!.eta2 < 0.2, JSON.stringify(imp));
});

test('the study report shows the history, parallel coordinates, importance and links each trial to its run report', async () => {
  const space = { lr: { type: 'float', low: 1e-3, high: 1, log: true }, opt: { type: 'categorical', choices: ['adam', 'sgd'] } };
  const s = await tune({ space, trials: 8, direction: 'maximize', sampler: { name: 'random', seed: 1 }, metric: 'accuracy', objective: (t) => { t.runDir = `trial-000${t.number}`; return -Math.abs(Math.log10(t.params.lr as number) + 2); } });
  const html = studyReportHtml(s, parseSpace(space));
  assert.match(html, /<h2>Optimisation history<\/h2><svg/);
  assert.match(html, /Parallel coordinates \(complete trials; yellow = best\)/);
  assert.match(html, /η² \(correlation ratio\)/);
  assert.ok(html.includes(`Best: trial ${s.best!.number}, accuracy ${s.best!.value!.toFixed(4)} — <a href="trial-000${s.best!.number}/report.html">its run report</a>`));
  assert.equal((html.match(/<polyline fill="none" stroke="rgb/g) ?? []).length, 8, 'one line per complete trial');
});
