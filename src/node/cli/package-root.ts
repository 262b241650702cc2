// Finds the neurite package root (works from src/ under tsx and from dist/).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The directory of neurite's package.json. */
export function findPackageRoot(): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'neurite') return dir;
    if (dirname(dir) === dir) throw new Error('neurite: cannot find the package root (package.json named neurite)');
  }
}
