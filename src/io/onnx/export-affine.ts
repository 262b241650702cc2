// Per-feature affine maps (a fitted feature scaler, a schema's target unscaling) as ONNX Mul + Add,
// read off the map itself by probing it, so any scaler with such a transform exports the same way.
import { Tensor } from '../../tensor/tensor.js';
import { ArgumentError } from '../../core/errors.js';
import { Rng } from '../../core/rng.js';
import type { OnnxGraphBuilder } from './builder.js';

/** A map applied to [N, features] rows, column by column: y_j = a_j x_j + c_j (e.g. `scaler.transform`). */
export type FeatureMap = (x: Tensor) => Tensor;

/**
 * The scale a and shift c of `map` over `width` features, from float64 probe rows 0 and 1; a third,
 * random row checks that the map is per-feature affine (else an error naming `what`).
 * @example affineOf((x) => scaler.transform(x), 4, 'inputTransform')   // { scale: [1/σ…], shift: [−μ/σ…] }
 */
export function affineOf(map: FeatureMap, width: number, what: string): { scale: number[]; shift: number[] } {
  const rng = new Rng(1);
  const probe = Array.from({ length: width }, () => 10 * rng.normal());
  const rows = new Tensor(Float64Array.from([...new Array<number>(width).fill(0), ...new Array<number>(width).fill(1), ...probe]), [3, width]);
  const y = map(rows);
  if (y.size !== 3 * width) throw new ArgumentError('exportOnnx', `${what} maps 3 rows of ${width} features to ${y.size} values; it must keep the shape`);
  const shift = Array.from(y.data.subarray(0, width)), scale = Array.from(y.data.subarray(width, 2 * width), (v, j) => v - shift[j]!);
  for (let j = 0; j < width; j++) {
    const want = probe[j]! * scale[j]! + shift[j]!, got = y.data[2 * width + j]!;
    if (!(Math.abs(got - want) <= 1e-4 * (1 + Math.abs(want)))) {
      throw new ArgumentError('exportOnnx', `${what} is not a per-feature affine map (feature ${j}: ${got} where a·x + c gives ${want}); only such maps (feature scalers) export as ONNX`);
    }
  }
  return { scale, shift };
}

/**
 * Emits y = x·a + c for `map` over the last dim of `x` (`width` features) and returns y's name;
 * a map that is the identity emits nothing.
 * @example const scaled = emitAffine(b, 'input', (x) => scaler.transform(x), 4, 'inputTransform', 'input_transform');
 */
export function emitAffine(b: OnnxGraphBuilder, x: string, map: FeatureMap, width: number, what: string, stem: string): string {
  const { scale, shift } = affineOf(map, width, what);
  let y = x;
  if (scale.some((s) => s !== 1)) y = b.node('Mul', [y, b.floats(`${stem}/scale`, scale)], {}, stem)[0]!;
  if (shift.some((c) => c !== 0)) y = b.node('Add', [y, b.floats(`${stem}/shift`, shift)], {}, stem)[0]!;
  return y;
}
