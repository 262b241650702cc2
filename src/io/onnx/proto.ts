// The ONNX protobuf layer: encode and decode ModelProto/TensorProto with protobufjs over ONNX's own schema.
import protobuf from 'protobufjs/light.js';
import { onnxSchema } from './schema.js';

/** The ONNX IR version of the bundled schema (onnx.proto from ONNX 1.12). */
export const onnxIrVersion = 8;

const root = protobuf.Root.fromJSON(onnxSchema as protobuf.INamespace);
const ModelProto = root.lookupType('onnx.ModelProto');
const TensorProto = root.lookupType('onnx.TensorProto');

/** ONNX TensorProto.DataType codes used by neurite. */
export const OnnxDataType = {
  FLOAT: 1,
  UINT8: 2,
  INT8: 3,
  INT32: 6,
  INT64: 7,
  BOOL: 9,
  FLOAT16: 10,
  DOUBLE: 11,
  BFLOAT16: 16,
} as const;

/** AttributeProto.AttributeType codes. */
export const OnnxAttributeType = {
  FLOAT: 1,
  INT: 2,
  STRING: 3,
  TENSOR: 4,
  GRAPH: 5,
  FLOATS: 6,
  INTS: 7,
  STRINGS: 8,
} as const;

/**
 * A decoded protobuf message as a plain object: field names as in onnx.proto (snake_case), int64
 * fields as JS numbers, bytes as Uint8Array, enums as numbers. Repeated fields are always arrays (empty
 * when absent); other fields absent on the wire are absent.
 */
export type OnnxMessage = { [field: string]: unknown };

const toObjectOptions: protobuf.IConversionOptions = {
  longs: Number,
  enums: Number,
  bytes: Uint8Array as unknown as protobuf.IConversionOptions['bytes'],
  defaults: false,
  arrays: true,
};

/**
 * Decodes an ONNX model file. A file that is not a ModelProto is an error saying so.
 * @example
 * const model = decodeOnnxModel(encodeOnnxModel({ ir_version: 8, graph: { name: 'g' } }));
 * (model.graph as { name: string }).name; // 'g'
 */
export function decodeOnnxModel(bytes: Uint8Array): OnnxMessage {
  let message: protobuf.Message;
  try {
    message = ModelProto.decode(bytes);
  } catch (e) {
    throw new Error(`ONNX: the bytes are not an ONNX ModelProto (${(e as Error).message})`);
  }
  return ModelProto.toObject(message, toObjectOptions) as OnnxMessage;
}

/**
 * Encodes a plain-object ModelProto (snake_case field names, see onnx.proto) to the bytes of a .onnx file.
 * @example
 * const bytes = encodeOnnxModel({ ir_version: 8, opset_import: [{ domain: '', version: 17 }], graph: { name: 'g' } });
 */
export function encodeOnnxModel(model: OnnxMessage): Uint8Array {
  const problem = ModelProto.verify(model);
  if (problem) throw new Error(`ONNX: invalid ModelProto: ${problem}`);
  return ModelProto.encode(ModelProto.fromObject(model)).finish();
}

/**
 * Decodes a TensorProto file (the `input_0.pb`/`output_0.pb` files of ONNX's backend test data).
 * @example
 * const t = decodeOnnxTensor(encodeOnnxTensor({ dims: [1], data_type: 1, float_data: [2] }));
 */
export function decodeOnnxTensor(bytes: Uint8Array): OnnxMessage {
  return TensorProto.toObject(TensorProto.decode(bytes), toObjectOptions) as OnnxMessage;
}

/**
 * Encodes a plain-object TensorProto.
 * @example
 * const bytes = encodeOnnxTensor({ dims: [2], data_type: 1, float_data: [1, 2] });
 */
export function encodeOnnxTensor(tensor: OnnxMessage): Uint8Array {
  const problem = TensorProto.verify(tensor);
  if (problem) throw new Error(`ONNX: invalid TensorProto: ${problem}`);
  return TensorProto.encode(TensorProto.fromObject(tensor)).finish();
}
