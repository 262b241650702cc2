// docs/reliability.md promises that every bad input in its tables is backed by a test: each row's
// last cell names `test/<file>.test.ts › <test name>`, and this checks that the file holds that test.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';

const doc = readFileSync(new URL('../../docs/reliability.md', import.meta.url), 'utf8');

/** Table rows whose last cell points at a test (`file › name`). */
function rows(): { line: number; file: string; name: string }[] {
  const out: { line: number; file: string; name: string }[] = [];
  doc.split('\n').forEach((text, i) => {
    if (!text.startsWith('|') || /^\|\s*-/.test(text)) return;
    const cells = text.split('|').slice(1, -1).map((c) => c.trim());
    const m = /^`?(test\/[^`›]+?\.test\.ts)`?\s*›\s*(.+)$/.exec(cells.at(-1) ?? '');
    if (m) out.push({ line: i + 1, file: m[1]!, name: m[2]!.replace(/^`|`$/g, '').trim() });
  });
  return out;
}

/** Whether `source` holds a test titled `name`, literally or through a template title such as `corrupt file: ${label}`. */
function namesTest(source: string, name: string): boolean {
  if (source.includes(name)) return true;
  const templates = [...source.matchAll(/\btest\(\s*`([^`]*\$\{[^`]*)`/g)].map((m) => m[1]!);
  return templates.some((t) => new RegExp(`^${t.split(/\$\{[^}]*\}/).map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.+')}`).test(name));
}

test('docs/reliability.md has test-backed rows', () => {
  assert.ok(rows().length >= 30, `only ${rows().length} rows name a test`);
});

test('every row of docs/reliability.md names a test that exists', () => {
  const missing: string[] = [];
  for (const r of rows()) {
    const path = new URL(`../../${r.file}`, import.meta.url);
    if (!existsSync(path)) { missing.push(`line ${r.line}: ${r.file} does not exist`); continue; }
    if (!namesTest(readFileSync(path, 'utf8'), r.name)) missing.push(`line ${r.line}: ${r.file} has no test "${r.name}"`);
  }
  assert.deepEqual(missing, []);
});
