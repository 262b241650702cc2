// The memory storage passes the StudyStorage contract (handles made by one factory share one store).
import { opLogStorage, applyOp, type StudiesState, type Transact } from '../../src/tune/index.js';
import { storageContract } from './storage-contract.js';

/** Memory storages sharing one state, as two processes share one journal. */
function sharedMemory(): (clock: () => number) => Promise<import('../../src/tune/index.js').StudyStorage> {
  const state: StudiesState = new Map();
  const transact: Transact = async (decide) => { const { ops, result } = decide(state); ops.forEach((op) => applyOp(state, op)); return result; };
  return async (clock) => opLogStorage(transact, async () => {}, clock);
}

storageContract('memory', sharedMemory());
