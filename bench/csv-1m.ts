// Measures `neurite train` on a generated 1,000,000 × 50 CSV (49 numeric features + a numeric target):
// time and peak memory of reading/typing the file, and of one training epoch. The file goes to the
// OS temp folder and is deleted afterwards (never committed).
// Run: node --expose-gc --import tsx bench/csv-1m.ts [rows] [epochs]
import { closeSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../src/core/rng.js';
import { readCsvFile } from '../src/node/data/csv-file.js';
import { fitSchema } from '../src/data/schema-fit.js';
import { main } from '../src/node/cli/main.js';

const rows = Number(process.argv[2] ?? 1_000_000), epochs = process.argv[3] ?? '1', cols = 50;
const path = join(tmpdir(), `neurite-csv-${rows}x${cols}.csv`);
const mib = (b: number): string => `${(b / 2 ** 20).toFixed(0)} MiB`;

function generate(): void {
  const rng = new Rng(1), fd = openSync(path, 'w');
  writeSync(fd, [...Array.from({ length: cols - 1 }, (_, j) => `f${j}`), 'y'].join(',') + '\n');
  let chunk: string[] = [];
  for (let r = 0; r < rows; r++) {
    const f = Array.from({ length: cols - 1 }, () => rng.normal());
    const y = f.slice(0, 10).reduce((a, v, j) => a + v * (j + 1), 0) * 1000 + 5e4;
    chunk.push(f.map((v) => v.toFixed(4)).join(',') + ',' + y.toFixed(2));
    if (chunk.length === 10000) { writeSync(fd, chunk.join('\n') + '\n'); chunk = []; }
  }
  if (chunk.length) writeSync(fd, chunk.join('\n') + '\n');
  closeSync(fd);
}

generate();
console.log(`file ${path}: ${rows} rows × ${cols} columns, ${mib(statSync(path).size)}`);
function readAndType(): void {
  const t0 = performance.now();
  const { table } = readCsvFile(path);
  const schema = fitSchema(table, { file: path, target: 'y' });
  const mem = process.memoryUsage();
  console.log(`read + type: ${((performance.now() - t0) / 1000).toFixed(1)} s; rss ${mib(mem.rss)}, JS heap ${mib(mem.heapUsed)}, typed arrays ${mib(mem.arrayBuffers)}; task ${schema.target.task}`);
}
readAndType();
(globalThis as { gc?: () => void }).gc?.();   // run with --expose-gc so the train figure starts clean
const out = join(tmpdir(), `neurite-csv-run-${process.pid}`);
const t2 = performance.now();
const code = await main(['train', '--csv', path, '--target', 'y', '--epochs', epochs, '--batch-size', '256', '--out', out], { out: () => {}, err: (s) => { if (!s.startsWith('\r')) process.stdout.write(s); }, isTTY: false });
console.log(`train (read, type, split, ${epochs} epoch(s), save): exit ${code}, ${((performance.now() - t2) / 1000).toFixed(1)} s; peak rss ${mib(process.resourceUsage().maxRSS * 1024)}`);
rmSync(path);
rmSync(out, { recursive: true, force: true });
