// The guided tour links only to sections that exist in docs/guide.md, and to every lecture panel.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { TOUR, headingAnchor, sectionUrl } from '../../playground/src/lecture/tour.js';

const headings = readFileSync(new URL('../../docs/guide.md', import.meta.url), 'utf8').split('\n').filter((l) => l.startsWith('## ')).map((l) => l.slice(3));

test('every tour step names a heading of docs/guide.md exactly', () => {
  for (const step of TOUR) assert.ok(headings.includes(step.section), `"${step.section}" is not a heading of docs/guide.md`);
});

test('the tour visits every lecture panel', () => {
  for (const id of ['gradient-flow', 'symmetry', 'universal', 'representations', 'hypernetwork']) assert.ok(TOUR.some((s) => s.panel === id), id);
});

test('headingAnchor follows GitHub: "8b. The captured step" → 8b-the-captured-step', () => {
  assert.equal(headingAnchor('8b. The captured step'), '8b-the-captured-step');
  assert.equal(headingAnchor('Training runs: checkpoints, resume, divergence'), 'training-runs-checkpoints-resume-divergence');
  assert.match(sectionUrl(TOUR[0]!), /docs\/guide\.md#2-the-multilayer-perceptron$/);
});

test('every registered panel\'s lectureSection is the anchor of a heading of docs/guide.md, and ids are unique', async () => {
  const { panels } = await import('../../playground/src/panels/index.js');
  const anchors = readFileSync(new URL('../../docs/guide.md', import.meta.url), 'utf8').split('\n').filter((l) => /^#{1,3} /.test(l)).map((l) => headingAnchor(l.replace(/^#+ /, '')));
  for (const p of panels) assert.ok(anchors.includes(p.lectureSection), `${p.id}: "${p.lectureSection}" is not an anchor of docs/guide.md`);
  assert.equal(panels.find((p) => p.id === 'gradient-flow')!.lectureSection, '10-vanishing-and-exploding-gradients');
  assert.equal(new Set(panels.map((p) => p.id)).size, panels.length);
});
