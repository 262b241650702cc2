// Node-only: read an IDX file from disk, gunzipping it first when it is gzip-compressed.
import { readFile } from 'node:fs/promises';
import { gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { isGzip, parseIdx, type IdxArray } from '../../data/idx.js';

const gunzipAsync = promisify(gunzip);

/**
 * Reads an IDX file (plain or .gz, detected by its magic bytes) into an IdxArray; errors name the file.
 *
 * @example
 * const labels = await readIdxFile('/usr/share/datasets/fashion-mnist/t10k-labels-idx1-ubyte.gz');
 */
export async function readIdxFile(path: string): Promise<IdxArray> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(path));
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    throw new Error(`readIdxFile: ${path}: ${e.code === 'ENOENT' ? 'no such file' : e.message}; check the path`, { cause: err });
  }
  if (isGzip(bytes)) {
    try {
      bytes = new Uint8Array(await gunzipAsync(bytes));
    } catch (err) {
      throw new Error(`readIdxFile: ${path}: gzip data is corrupt (${(err as Error).message}); download the file again`, { cause: err });
    }
  }
  return parseIdx(bytes, path);
}
