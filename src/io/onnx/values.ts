// Values flowing through an imported ONNX graph: float tensors (neurite Tensors) and integer tensors (shapes, indices, masks).
import { Tensor } from '../../tensor/tensor.js';
import { fmtShape } from '../../core/errors.js';
import { sizeOf } from '../../core/shape.js';
import { OnnxDataType, type OnnxMessage } from './proto.js';
import { OnnxImportError } from './errors.js';

/** ONNX integer element types neurite can hold as shapes, indices and masks (not as trainable data). */
export type IntDType = 'int64' | 'int32' | 'int16' | 'int8' | 'uint8' | 'uint16' | 'uint32' | 'uint64' | 'bool';

/**
 * An integer tensor inside an imported graph (the output of Shape, a Reshape's shape, Gather's
 * indices, a Dropout mask). neurite Tensors are float32/float64 only, so integers never reach a
 * kernel: the ops that accept them (Shape, Gather, Concat, Squeeze/Unsqueeze, Reshape, Identity)
 * move them as plain numbers; every other op refuses them by name.
 * @example new IntValue('int64', [2], [1, -1]).data   // [1, -1]
 */
export class IntValue {
  constructor(readonly dtype: IntDType, readonly shape: readonly number[], readonly data: readonly number[]) {
    if (data.length !== sizeOf(shape)) throw new OnnxImportError(`integer tensor: ${data.length} values do not fit shape ${fmtShape(shape)}`);
  }
  get rank(): number {
    return this.shape.length;
  }
}

/** What one ONNX value name holds at run time. */
export type Value = Tensor | IntValue;

/** ONNX element type codes by name (only the ones neurite reads). */
const intTypes: Record<number, IntDType> = {
  [OnnxDataType.INT64]: 'int64', [OnnxDataType.INT32]: 'int32', 5: 'int16', [OnnxDataType.INT8]: 'int8',
  [OnnxDataType.UINT8]: 'uint8', 4: 'uint16', 12: 'uint32', 13: 'uint64', [OnnxDataType.BOOL]: 'bool',
};
const typeNames: Record<number, string> = {
  0: 'UNDEFINED', 1: 'FLOAT', 2: 'UINT8', 3: 'INT8', 4: 'UINT16', 5: 'INT16', 6: 'INT32', 7: 'INT64', 8: 'STRING', 9: 'BOOL',
  10: 'FLOAT16', 11: 'DOUBLE', 12: 'UINT32', 13: 'UINT64', 14: 'COMPLEX64', 15: 'COMPLEX128', 16: 'BFLOAT16',
};

/** The ONNX name of an element type code (`1` → `FLOAT`). @example onnxTypeName(10) // 'FLOAT16' */
export function onnxTypeName(code: number): string {
  return typeNames[code] ?? `type code ${code}`;
}

/** True for the element types neurite runs as float tensors (FLOAT, DOUBLE). @example isFloatType(11) // true */
export function isFloatType(code: number): boolean {
  return code === OnnxDataType.FLOAT || code === OnnxDataType.DOUBLE;
}

/** True for the integer element types {@link IntValue} holds. @example isIntType(7) // true (INT64) */
export function isIntType(code: number): boolean {
  return code in intTypes;
}

const byteWidth: Record<IntDType, number> = { int64: 8, uint64: 8, int32: 4, uint32: 4, int16: 2, uint16: 2, int8: 1, uint8: 1, bool: 1 };

function readRawInts(raw: Uint8Array, dtype: IntDType, n: number): number[] {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const o = i * byteWidth[dtype];
    switch (dtype) {
      case 'int64': out.push(Number(view.getBigInt64(o, true))); break;
      case 'uint64': out.push(Number(view.getBigUint64(o, true))); break;
      case 'int32': out.push(view.getInt32(o, true)); break;
      case 'uint32': out.push(view.getUint32(o, true)); break;
      case 'int16': out.push(view.getInt16(o, true)); break;
      case 'uint16': out.push(view.getUint16(o, true)); break;
      case 'int8': out.push(view.getInt8(o)); break;
      default: out.push(view.getUint8(o));
    }
  }
  return out;
}

function readFloats(t: OnnxMessage, double: boolean, n: number, what: string): Float32Array | Float64Array {
  const out = double ? new Float64Array(n) : new Float32Array(n);
  const raw = t.raw_data as Uint8Array | undefined;
  if (raw && raw.byteLength > 0) {
    const width = double ? 8 : 4;
    if (raw.byteLength !== n * width) throw new OnnxImportError(`${what}: raw_data has ${raw.byteLength} bytes, shape needs ${n * width}; the file is truncated or corrupt`);
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    for (let i = 0; i < n; i++) out[i] = double ? view.getFloat64(i * 8, true) : view.getFloat32(i * 4, true);
    return out;
  }
  const list = (double ? t.double_data : t.float_data) as number[] | undefined ?? [];
  if (list.length !== n) throw new OnnxImportError(`${what}: ${list.length} values for shape ${fmtShape(dimsOf(t))} (${n} elements); the file is truncated or corrupt`);
  out.set(list);
  return out;
}

function readInts(t: OnnxMessage, dtype: IntDType, n: number, what: string): number[] {
  const raw = t.raw_data as Uint8Array | undefined;
  if (raw && raw.byteLength > 0) {
    if (raw.byteLength !== n * byteWidth[dtype]) throw new OnnxImportError(`${what}: raw_data has ${raw.byteLength} bytes, shape needs ${n * byteWidth[dtype]}; the file is truncated or corrupt`);
    return readRawInts(raw, dtype, n);
  }
  const field = dtype === 'int64' ? 'int64_data' : dtype === 'uint64' || dtype === 'uint32' ? 'uint64_data' : 'int32_data';
  const list = ((t[field] as number[] | undefined) ?? []).map(Number);
  if (list.length !== n) throw new OnnxImportError(`${what}: ${list.length} values for shape ${fmtShape(dimsOf(t))} (${n} elements); the file is truncated or corrupt`);
  return list;
}

function dimsOf(t: OnnxMessage): number[] {
  return ((t.dims as number[] | undefined) ?? []).map(Number);
}

/**
 * A decoded TensorProto as a Value: FLOAT → float32 Tensor, DOUBLE → float64 Tensor, integer and
 * BOOL types → {@link IntValue}. Other types (FLOAT16, BFLOAT16, STRING, complex) and tensors kept
 * in external files are errors naming `what` (the initializer, constant or input) and the type.
 * @example tensorFromProto(decodeOnnxTensor(bytes), 'input_0.pb')
 */
export function tensorFromProto(t: OnnxMessage, what: string): Value {
  const code = Number(t.data_type ?? 0);
  if (Number(t.data_location ?? 0) === 1) throw new OnnxImportError(`${what}: the data is stored in an external file, which neurite does not read; save the model with its weights inside (onnx.save(model, save_as_external_data=False))`);
  const dims = dimsOf(t);
  if (dims.some((d) => !Number.isInteger(d) || d < 0)) throw new OnnxImportError(`${what}: invalid dims ${fmtShape(dims)}`);
  const n = sizeOf(dims);
  if (isFloatType(code)) return new Tensor(readFloats(t, code === OnnxDataType.DOUBLE, n, what), dims);
  const dtype = intTypes[code];
  if (dtype) return new IntValue(dtype, dims, readInts(t, dtype, n, what));
  throw new OnnxImportError(`${what}: element type ${onnxTypeName(code)} is not supported (neurite reads FLOAT, DOUBLE and integer/bool tensors); convert the model to float32`);
}
