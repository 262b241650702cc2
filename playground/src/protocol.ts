// The messages between the page and the training Worker (worker.ts).
import type { ShellSplit, PlaygroundState, TrainingSnapshot } from './host.js';

/** Page → worker. `init` (re)builds the network (optionally with given weights); `step` trains n epochs and stops. */
export type ToWorker =
  | { type: 'init'; state: PlaygroundState; train: ShellSplit; test: ShellSplit; weights?: Record<string, Float32Array> }
  | { type: 'play' }
  | { type: 'pause' }
  | { type: 'step'; epochs: number }
  | { type: 'bench'; epochs: number };

/** A snapshot with the weights (stateDict by name) and the training speed since the last one (0 when not playing). */
export interface WeightSnapshot extends TrainingSnapshot {
  type: 'snapshot';
  weights: Record<string, Float32Array>;
  epochsPerSec: number;
}

/** Worker → page. */
export type FromWorker =
  | { type: 'ready'; backend: string; reason: string }
  | WeightSnapshot
  | { type: 'error'; message: string }
  | { type: 'bench'; epochs: number; ms: number; backend: string };
