// Runs ONNX's backend test cases (libonnx-testdata's model.onnx + test_data_set_*/{input,output}_N.pb) through importOnnx.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Tensor } from '../../src/tensor/tensor.js';
import { decodeOnnxModel, decodeOnnxTensor } from '../../src/io/onnx/proto.js';
import { importOnnx, supportedOnnxOps, IntValue, type OnnxValue } from '../../src/io/index.js';
import { tensorFromProto } from '../../src/io/onnx/values.js';

export const testDataRoot = '/usr/share/libonnx-testdata/data';

/** ONNX's backend runner tolerance (onnx/backend/test/loader: rtol 1e-3, atol 1e-7; np.testing.assert_allclose). */
export const tolerance = { rtol: 1e-3, atol: 1e-7 };

export interface BackendCase { kind: string; name: string; dir: string; ops: string[] }

/** Every test directory of `kinds` with a model.onnx, with the op types its graph uses. */
export function listCases(kinds: readonly string[]): BackendCase[] {
  const out: BackendCase[] = [];
  for (const kind of kinds) {
    const base = join(testDataRoot, kind);
    if (!existsSync(base)) continue;
    for (const name of readdirSync(base).sort()) {
      const dir = join(base, name);
      if (!existsSync(join(dir, 'model.onnx'))) continue;
      const graph = decodeOnnxModel(readFileSync(join(dir, 'model.onnx'))).graph as { node: { op_type: string; domain?: string }[] };
      const ops = [...new Set(graph.node.map((n) => (n.domain ? `${n.domain}.${n.op_type}` : n.op_type)))].sort();
      out.push({ kind, name, dir, ops });
    }
  }
  return out;
}

/** True when every op of the case is in importOnnx's supported list. */
export function isSupported(c: BackendCase): boolean {
  const supported = new Set(supportedOnnxOps());
  return c.ops.every((op) => supported.has(op));
}

const readValue = (file: string): OnnxValue => tensorFromProto(decodeOnnxTensor(readFileSync(file)), file);

/** Why `got` differs from `want` (shape, type, or the worst element beyond rtol/atol), or null when they agree. */
export function mismatch(got: OnnxValue | undefined, want: OnnxValue): string | null {
  if (got === undefined) return 'output missing';
  if (got.shape.join() !== want.shape.join()) return `shape [${got.shape}] ≠ [${want.shape}]`;
  if ((got instanceof IntValue) !== (want instanceof IntValue) || (got instanceof Tensor && got.dtype !== (want as Tensor).dtype)) {
    return `type ${got instanceof IntValue ? got.dtype : got.dtype} ≠ ${want instanceof IntValue ? want.dtype : want.dtype}`;
  }
  for (let i = 0; i < want.data.length; i++) {
    const a = got.data[i]!, b = want.data[i]!;
    if (Number.isNaN(b) && Number.isNaN(a)) continue;
    if (!(Math.abs(a - b) <= tolerance.atol + tolerance.rtol * Math.abs(b)) && a !== b) return `element ${i}: ${a} ≠ ${b}`;
  }
  return null;
}

/** Imports the case's model and runs every data set; returns null on success or the first failure's reason. */
export function runCase(c: BackendCase): string | null {
  try {
    const model = importOnnx(readFileSync(join(c.dir, 'model.onnx')));
    for (const set of readdirSync(c.dir).filter((d) => d.startsWith('test_data_set_')).sort()) {
      const files = readdirSync(join(c.dir, set));
      const count = (prefix: string): number => files.filter((f) => f.startsWith(prefix)).length;
      const feeds: Record<string, OnnxValue> = {};
      for (let i = 0; i < count('input_'); i++) feeds[model.inputNames[i]!] = readValue(join(c.dir, set, `input_${i}.pb`));
      const outs = model.runGraph(feeds);
      for (let i = 0; i < count('output_'); i++) {
        const why = mismatch(outs[model.outputNames[i]!], readValue(join(c.dir, set, `output_${i}.pb`)));
        if (why) return `${set} output ${i} ("${model.outputNames[i]}"): ${why}`;
      }
    }
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}
