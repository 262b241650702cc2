// `--storage journal|memory|postgres://...`: the study storage a tune command uses. PostgreSQL is
// loaded lazily from ./storage-postgres.js (openPostgresStorage), so journal studies never load `pg`.
import { openJournalStorage } from './journal.js';
import { memoryStorage } from '../../tune/storage/op-storage.js';
import type { StudyStorage } from '../../tune/storage/types.js';

/** The kinds of storage, as study.json records them (never the database URL: it may hold a password). */
export type StorageKind = 'journal' | 'memory' | 'postgres';

/**
 * Which kind a --storage value names; anything else is an error saying what is accepted.
 * @example storageKind('postgres://tune@db/studies') // 'postgres'
 */
export function storageKind(value: string): StorageKind {
  if (value === 'journal' || value === 'memory') return value;
  if (/^postgres(ql)?:\/\//.test(value)) return 'postgres';
  throw new Error(`tune: --storage ${value}: expected journal (a file in the study folder, the default), memory, or a PostgreSQL URL postgres://user[:password]@host[:port]/database`);
}

/** The PostgreSQL storage, loaded only when a study uses it (so journal studies never load `pg`). */
async function postgres(url: string): Promise<StudyStorage> {
  const { openPostgresStorage } = await import('./storage-postgres.js');
  return openPostgresStorage(url);
}

/**
 * Opens the storage a --storage value names, for the study folder `dir`.
 * @example const storage = await openStorage('journal', 'studies/iris', console.error);
 */
export async function openStorage(value: string, dir: string, onWarning: (m: string) => void): Promise<StudyStorage> {
  switch (storageKind(value)) {
    case 'journal': return openJournalStorage(dir, { onWarning });
    case 'memory': return memoryStorage();
    case 'postgres': return postgres(value);
  }
}
