// neurite board over tuning studies: /api/studies lists the study folders (or the board folder
// itself), their counts and best trial; /studies/FOLDER/report.html serves the study report and its
// trials' run reports, and nothing else.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../helpers/cli.js';
import { startBoard } from '../../src/node/board/server.js';
import type { StudyView } from '../../src/node/board/study-reader.js';

test("neurite board lists tuning studies and serves their reports (and the trials' run reports) only", async () => {
  const root = mkdtempSync(join(tmpdir(), 'neurite-board-studies-'));
  try {
    const cfg = join(root, 'cfg.json');
    writeFileSync(cfg, JSON.stringify({ data: { dataset: 'iris', validationSplit: 0.2 }, train: { epochs: 2 }, tune: { space: { 'train.lr': { type: 'float', low: 0.001, high: 0.1, log: true } } } }));
    const study = join(root, 'studies', 'iris');
    assert.equal((await runCli(['tune', '--config', cfg, '--study', study, '--trials', '2', '--sampler', 'random'])).code, 0);
    appendFileSync(join(study, 'journal.jsonl'), '{"op":"heartbeat","stu'); // a torn line, as a kill mid-write leaves it
    for (const [dir, folder] of [[join(root, 'studies'), 'iris'], [study, '-']] as const) {
      const board = await startBoard({ dir, port: 0 });
      try {
        const { studies } = await (await fetch(`${board.url}api/studies`)).json() as { studies: StudyView[] };
        assert.equal(studies.length, 1);
        assert.deepEqual([studies[0]!.folder, studies[0]!.name, studies[0]!.metric, studies[0]!.counts!.complete, studies[0]!.report], [folder, 'iris', 'accuracy', 2, true]);
        assert.equal(studies[0]!.best!.runDir, `trial-000${studies[0]!.best!.number}`);
        const report = await fetch(`${board.url}studies/${folder}/report.html`);
        assert.equal(report.status, 200);
        assert.match(await report.text(), /Optimisation history/);
        assert.equal((await fetch(`${board.url}studies/${folder}/trial-0001/report.html`)).status, 200);
        for (const bad of [`studies/${folder}/journal.jsonl`, `studies/${folder}/trial-0001/config.json`, 'studies/nope/report.html', `studies/${folder}/..%2F..%2Fcfg.json/report.html`]) {
          assert.equal((await fetch(`${board.url}${bad}`)).status, 404, bad);
        }
      } finally { await board.close(); }
    }
  } finally { rmSync(root, { recursive: true, force: true }); }
});
