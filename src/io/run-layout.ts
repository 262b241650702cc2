// The names inside a run folder that readers outside Node need too (the browser's fetch loader):
// the CURRENT pointer, the checkpoints/ folder of generations, and generation names.

/** The pointer file: one line naming the current generation. */
export const CURRENT_FILE = 'CURRENT';
/** The folder holding the generations. */
export const CHECKPOINTS_DIR = 'checkpoints';

/** g000001, g000002, …: the name of generation `seq`. @example generationName(7) // 'g000007' */
export function generationName(seq: number): string {
  return `g${String(seq).padStart(6, '0')}`;
}

/** The sequence number of a generation name, or null for any other name. @example parseGeneration('g000007') // 7 */
export function parseGeneration(name: string): number | null {
  return /^g\d{6,12}$/.test(name) ? Number(name.slice(1)) : null;
}
