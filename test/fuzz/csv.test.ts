// Fuzzes the CSV tokenizer through its public API (parseCsv/toCsv): any text parses or fails with a
// clear typed error (never a raw TypeError/RangeError or a hang), and written rows read back unchanged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseCsv, toCsv } from '../../src/data/csv-parse.js';
import { assertClearError, fuzzParams, timed } from './fuzz-common.js';

const pieces = [',', ';', '"', '""', '\n', '\r', '\r\n', ' ', 'a', 'b,c', '1', '-2.5e3', 'NA', '\ufeff', '\t', 'é', '\u0000'];
const textArb = fc.array(fc.oneof(fc.constantFrom(...pieces), fc.string({ maxLength: 3 })), { maxLength: 60 }).map((p) => p.join(''));
const fieldArb = fc.array(fc.constantFrom('a', 'x y', ',', '"', '\n', '\r\n', '1.5', ' ', 'é'), { maxLength: 4 }).map((p) => p.join(''));

test('fuzz: arbitrary text parses or fails with a clear error naming parseCsv and the line', () => {
  fc.assert(fc.property(textArb, fc.constantFrom(',', ';', '\t'), (text, delimiter) => {
    timed(2000, () => JSON.stringify(text), () => {
      try {
        const { rows, lines } = parseCsv(text, { delimiter });
        assert.equal(rows.length, lines.length);
      } catch (e) {
        assertClearError(e, Error, () => JSON.stringify(text));
        assert.match((e as Error).message, /^parseCsv: line \d+: /);
      }
    });
  }), fuzzParams(500));
});

test('fuzz: rows written by toCsv read back unchanged', () => {
  const rowsArb = fc.integer({ min: 2, max: 4 }).chain((w) => fc.array(fc.array(fieldArb, { minLength: w, maxLength: w }), { minLength: 1, maxLength: 5 }));
  fc.assert(fc.property(rowsArb, fc.constantFrom(',', ';'), (rows, delimiter) => {
    assert.deepEqual(parseCsv(toCsv(rows, undefined, { delimiter }), { delimiter }).rows, rows);
  }), fuzzParams(300));
});
