// Reads a CSV file in 1 MiB chunks into a column-wise table while hashing its bytes (SHA-256), so a
// file of any size is typed and converted without ever being one string.
import { closeSync, openSync, readSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { readCsvTable, type CsvTable, type CsvTableOptions } from '../../data/csv-table.js';

const CHUNK = 1 << 20;

/** A CSV file read into a table, with the SHA-256 of its bytes. */
export interface CsvFile {
  table: CsvTable;
  sha256: string;
  bytes: number;
}

function* chunks(fd: number, hash: ReturnType<typeof createHash>, counter: { bytes: number }): Generator<string> {
  const buf = Buffer.allocUnsafe(CHUNK);
  const decoder = new TextDecoder('utf-8');
  for (;;) {
    const n = readSync(fd, buf, 0, CHUNK, null);
    if (n === 0) break;
    hash.update(buf.subarray(0, n));
    counter.bytes += n;
    yield decoder.decode(buf.subarray(0, n), { stream: true });
  }
  const tail = decoder.decode();
  if (tail !== '') yield tail;
}

/**
 * Reads `path` as CSV (errors start with the path and name the line/row/column), hashing it on the way.
 *
 * @example
 * const { table, sha256 } = readCsvFile('houses.csv', { header: true });
 */
export function readCsvFile(path: string, opts: Omit<CsvTableOptions, 'file'> = {}): CsvFile {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (e) {
    throw new Error(`${path}: cannot read the CSV file (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  try {
    const hash = createHash('sha256'), counter = { bytes: 0 };
    const table = readCsvTable(chunks(fd, hash, counter), { ...opts, file: path });
    return { table, sha256: hash.digest('hex'), bytes: counter.bytes };
  } catch (e) {
    const msg = (e as Error).message;
    if (msg.startsWith(path) || !(e instanceof Error)) throw e;
    throw new Error(`${path}: ${msg}`, { cause: e });
  } finally {
    closeSync(fd);
  }
}
