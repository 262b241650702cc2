// Child process of journal.test.ts: claims and completes trials of one journal study until none are left, printing each number.
import { openJournalStorage } from '../../src/node/tune/journal.js';
import { contractDefinition } from './storage-contract-clocked.js';

const [dir, trials] = process.argv.slice(2);
const storage = await openJournalStorage(dir!);
await storage.openStudy(contractDefinition('race', { maxTrials: Number(trials) }));
for (;;) {
  const t = await storage.claimTrial('race', `child:${process.pid}`, (ts) => ({ x: ts.length / 100 }));
  if (t === null) break;
  await storage.reportIntermediate('race', t.number, 1, t.number);
  await storage.finishTrial('race', t.number, { state: 'complete', value: t.number });
  process.stdout.write(`${t.number}\n`);
}
await storage.close();
