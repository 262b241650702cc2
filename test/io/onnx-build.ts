// Builds small ONNX models in tests (plain ModelProto objects through encodeOnnxModel).
import { encodeOnnxModel, type OnnxMessage } from '../../src/io/onnx/proto.js';

/** A graph input/output: name, dims (numbers or symbolic names), element type (1 FLOAT, 11 DOUBLE, 7 INT64). */
export type ValueSpec = [name: string, dims: (number | string)[], elemType?: number];

export interface ModelSpec {
  nodes: OnnxMessage[];
  inputs: ValueSpec[];
  outputs: ValueSpec[];
  initializers?: OnnxMessage[];
  opset?: number;
}

const valueInfo = ([name, dims, elemType = 1]: ValueSpec): OnnxMessage => ({
  name, type: { tensor_type: { elem_type: elemType, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d })) } } },
});

/** A float (or, with type 11, double) initializer. */
export const floatInit = (name: string, dims: number[], data: number[], type = 1): OnnxMessage =>
  ({ name, dims, data_type: type, ...(type === 11 ? { double_data: data } : { float_data: data }) });

/** An int64 initializer (shapes, axes). */
export const intInit = (name: string, dims: number[], data: number[]): OnnxMessage => ({ name, dims, data_type: 7, int64_data: data });

/** A node; attributes as { name: value } with numbers as ints unless listed in `floats`. */
export function node(op_type: string, input: string[], output: string[], attrs: Record<string, number | number[] | string> = {}, name?: string, floats: string[] = []): OnnxMessage {
  const attribute = Object.entries(attrs).map(([k, v]) => {
    if (typeof v === 'string') return { name: k, type: 3, s: new TextEncoder().encode(v) };
    if (Array.isArray(v)) return floats.includes(k) ? { name: k, type: 6, floats: v } : { name: k, type: 7, ints: v };
    return floats.includes(k) ? { name: k, type: 1, f: v } : { name: k, type: 2, i: v };
  });
  return { op_type, input, output, attribute, ...(name ? { name } : {}) };
}

/** The bytes of a .onnx file for the spec (IR 8, default-domain opset 17 unless given). */
export function buildModel(spec: ModelSpec): Uint8Array {
  return encodeOnnxModel({
    ir_version: 8, opset_import: [{ domain: '', version: spec.opset ?? 17 }],
    graph: { name: 'g', node: spec.nodes, input: spec.inputs.map(valueInfo), output: spec.outputs.map(valueInfo), initializer: spec.initializers ?? [] },
  });
}
