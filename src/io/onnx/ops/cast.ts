// ONNX Cast between FLOAT, DOUBLE and the integer/bool types (float → integer truncates toward zero, as numpy's astype).
import { Tensor } from '../../../tensor/tensor.js';
import { cast } from '../../../ops/elementwise.js';
import { isIntType, onnxTypeName, type IntDType } from '../values.js';
import { OnnxDataType } from '../proto.js';
import { type OpCall, type OpSpec, input } from './call.js';
import { toInts } from './integer.js';

const intNames: Record<number, IntDType> = { 2: 'uint8', 3: 'int8', 4: 'uint16', 5: 'int16', 6: 'int32', 7: 'int64', 9: 'bool', 12: 'uint32', 13: 'uint64' };

function castOp(c: OpCall): ReturnType<OpSpec['run']> {
  const x = input(c, 0), to = c.attrs.int('to', 0);
  if (to === OnnxDataType.FLOAT || to === OnnxDataType.DOUBLE) {
    const dtype = to === OnnxDataType.DOUBLE ? 'float64' : 'float32';
    if (x instanceof Tensor) return [cast(x, dtype)];
    return [new Tensor(dtype === 'float64' ? Float64Array.from(x.data) : Float32Array.from(x.data), x.shape)];
  }
  if (!isIntType(to)) throw c.attrs.error('to', `is ${onnxTypeName(to)}; neurite casts to FLOAT, DOUBLE and the integer and bool types`);
  return [toInts(c, x, intNames[to]!, Math.trunc)];
}

/** Cast by ONNX name. */
export const castOps: Record<string, OpSpec> = { Cast: { attrs: ['to', 'saturate'], run: castOp } };
