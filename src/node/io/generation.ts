// Run-folder generations: the names of the CURRENT pointer and generation folders, and reading which
// generation is current (confined to RUN/checkpoints/: the pointer can never name another path).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHECKPOINTS_DIR, CURRENT_FILE, parseGeneration } from '../../io/run-layout.js';

export { CHECKPOINTS_DIR, CURRENT_FILE, generationName, parseGeneration } from '../../io/run-layout.js';

/**
 * The current generation of a run folder, or null when it has no CURRENT file (a plain model folder,
 * or a run killed before its first checkpoint). A CURRENT that names anything but a generation is an error.
 * @example readCurrent('runs/a') // 'g000012'
 */
export function readCurrent(runDir: string): string | null {
  let text: string;
  try {
    text = readFileSync(join(runDir, CURRENT_FILE), 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new Error(`${join(runDir, CURRENT_FILE)}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const name = text.trim();
  if (parseGeneration(name) === null) {
    throw new Error(`${join(runDir, CURRENT_FILE)}: names ${JSON.stringify(name.slice(0, 40))}, not a generation like g000001; the run folder was edited by hand — restore CURRENT or train again with --overwrite`);
  }
  return name;
}

/** The folder holding the model files of `runDir`: its current generation, or `runDir` itself without a CURRENT file. */
export function modelFolder(runDir: string): string {
  const gen = readCurrent(runDir);
  return gen === null ? runDir : join(runDir, CHECKPOINTS_DIR, gen);
}
