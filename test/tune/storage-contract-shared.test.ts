// The PostgreSQL storage's contract suite (storage-contract.ts) run against the journal and the op-log
// memory storage too, so all three storages are held to the same twelve checks.
import { test } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openJournalStorage } from '../../src/node/tune/journal.js';
import { applyOp, opLogStorage, type StudiesState, type Transact } from '../../src/tune/index.js';
import { describeStorageContract } from './storage-contract.js';

const dir = mkdtempSync(join(tmpdir(), 'neurite-journal-contract-'));
test.after(() => rmSync(dir, { recursive: true, force: true }));
describeStorageContract('journal', async () => openJournalStorage(dir));

const state: StudiesState = new Map();
const transact: Transact = async (decide) => { const { ops, result } = decide(state); ops.forEach((op) => applyOp(state, op)); return result; };
describeStorageContract('op-log memory', async () => opLogStorage(transact, async () => {}, () => Date.now()));
