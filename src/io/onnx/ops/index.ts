// The table of ONNX ops importOnnx runs, by op_type (default domain).
import type { OpSpec } from './call.js';
import { castOps } from './cast.js';
import { denseOps } from './dense.js';
import { elementwiseOps } from './elementwise.js';
import { extentOps } from './extent.js';
import { logicOps } from './logic.js';
import { recurrentOps } from './recurrent.js';
import { reduceOps } from './reduce.js';
import { shapeOps } from './shape.js';
import { windowOps } from './window.js';

/** Every supported op by ONNX op_type. */
export const onnxOps: Readonly<Record<string, OpSpec>> = { ...elementwiseOps, ...logicOps, ...castOps, ...shapeOps, ...extentOps, ...reduceOps, ...denseOps, ...windowOps, ...recurrentOps };

/**
 * The op types importOnnx supports, sorted.
 * @example supportedOnnxOps().includes('Conv')   // true
 */
export function supportedOnnxOps(): string[] {
  return Object.keys(onnxOps).sort();
}

export type { OpCall, OpSpec } from './call.js';
