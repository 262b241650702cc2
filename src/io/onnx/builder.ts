// Assembles an ONNX GraphProto while the exporters walk a module: nodes, float initializers named by
// state-dict keys, int8 initializers, int64/float constants, unique value names, and the list of unsupported modules.
import type { Tensor } from '../../tensor/tensor.js';
import { ArgumentError } from '../../core/errors.js';
import { OnnxAttributeType, OnnxDataType, type OnnxMessage } from './proto.js';

/** An attribute value: numbers are INT unless listed in `floats`, arrays INTS/FLOATS, strings STRING(S). */
export type AttrValue = number | string | readonly number[] | readonly string[] | { float: number } | { floats: readonly number[] };

/** A value flowing through the graph: its name and the shape it has for the probe batch. */
export interface Value {
  readonly name: string;
  /** The shape on the probe batch (dim 0 is the batch, exported as dim_param "batch"). */
  readonly shape: readonly number[];
}

/** A module the exporter has no rule for, by its path in the model ('' for the root). */
export interface Unsupported {
  path: string;
  type: string;
  why: string;
}

function attribute(name: string, v: AttrValue): OnnxMessage {
  const A = OnnxAttributeType;
  if (typeof v === 'number') return { name, type: A.INT, i: v };
  if (typeof v === 'string') return { name, type: A.STRING, s: new TextEncoder().encode(v) };
  if (Array.isArray(v)) {
    if (v.length > 0 && typeof v[0] === 'string') return { name, type: A.STRINGS, strings: (v as string[]).map((s) => new TextEncoder().encode(s)) };
    return { name, type: A.INTS, ints: [...(v as number[])] };
  }
  if ('float' in (v as object)) return { name, type: A.FLOAT, f: (v as { float: number }).float };
  return { name, type: A.FLOATS, floats: [...(v as { floats: readonly number[] }).floats] };
}

const bytesOf = (a: Float32Array | BigInt64Array): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/**
 * The graph under construction. Exporters call `node` for each ONNX node, `weight` for a parameter
 * (an initializer named by its state-dict key) and `ints`/`floats` for constants.
 * @example
 * const b = new OnnxGraphBuilder(17);
 * const y = b.node('Relu', ['input'])[0];
 */
export class OnnxGraphBuilder {
  readonly nodes: OnnxMessage[] = [];
  readonly initializers: OnnxMessage[] = [];
  readonly unsupported: Unsupported[] = [];
  /** ONNX ops used, for the documentation's op table and tests. */
  readonly ops = new Set<string>();
  /** Set when a task-conditioned hypernetwork consumed the export's `task` option. */
  taskUsed = false;
  private readonly names = new Set<string>();
  private counter = 0;

  constructor(readonly opset: number) {}

  /** A fresh value name from a readable stem (`0/Gemm`, `body.2/Relu`). */
  fresh(stem: string): string {
    let name = stem;
    while (this.names.has(name)) name = `${stem}_${++this.counter}`;
    this.names.add(name);
    return name;
  }

  /**
   * Adds a node; returns the names of its `outputs` fresh outputs (named from the node's `stem`).
   * @example const [y] = b.node('Gemm', [x, w, bias], { transB: 1 }, '0');
   */
  node(op: string, inputs: readonly string[], attrs: Record<string, AttrValue> = {}, stem = '', outputs = 1): string[] {
    const base = stem ? `${stem}/${op}` : op;
    const outs = Array.from({ length: outputs }, (_, k) => this.fresh(outputs === 1 ? base : `${base}:${k}`));
    this.ops.add(op);
    this.nodes.push({
      op_type: op, name: this.fresh(`node/${base}`), input: [...inputs], output: outs,
      attribute: Object.entries(attrs).map(([k, v]) => attribute(k, v)),
    });
    return outs;
  }

  /** Names `value` `name` as well (an Identity node), e.g. the graph output; `name` must be reserved with `fresh`. */
  alias(value: string, name: string): void {
    this.ops.add('Identity');
    this.nodes.push({ op_type: 'Identity', name: this.fresh(`node/${name}`), input: [value], output: [name], attribute: [] });
  }

  /**
   * A parameter as a float32 initializer named `name` (its state-dict key); float64 values are
   * rounded to float32 (ONNX models are served in float32). Returns the name.
   */
  weight(name: string, t: Tensor): string {
    return this.pushFloats(this.fresh(name), t.data, t.shape);
  }

  /** A float32 constant initializer (shape [] for a scalar). */
  floats(stem: string, values: ArrayLike<number>, shape: readonly number[] = [values.length]): string {
    return this.pushFloats(this.fresh(`const:${stem}`), values, shape);
  }

  private pushFloats(name: string, values: ArrayLike<number>, shape: readonly number[]): string {
    const data = Float32Array.from(values as ArrayLike<number>);
    this.initializers.push({ name, dims: [...shape], data_type: OnnxDataType.FLOAT, raw_data: bytesOf(data) });
    return name;
  }

  /**
   * An INT8 initializer named `name` (a state-dict key, or a `const:` stem) holding integers in
   * [-128, 127], e.g. a quantized layer's weights or zero points; anything else is an error.
   * @example b.int8s('0.weight', Int8Array.of(1, -2), [1, 2]);
   */
  int8s(name: string, values: ArrayLike<number>, shape: readonly number[] = [values.length]): string {
    const data = new Int8Array(values.length);
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (!Number.isInteger(v) || v < -128 || v > 127) throw new ArgumentError('exportOnnx', `initializer "${name}"[${i}] = ${v} is not an int8 value`);
      data[i] = v;
    }
    const unique = this.fresh(name);
    this.initializers.push({ name: unique, dims: [...shape], data_type: OnnxDataType.INT8, raw_data: new Uint8Array(data.buffer) });
    return unique;
  }

  /** An int64 constant initializer (axes, shapes, split sizes). */
  ints(stem: string, values: readonly number[], shape: readonly number[] = [values.length]): string {
    const name = this.fresh(`const:${stem}`);
    const data = BigInt64Array.from(values.map((v) => BigInt(v)));
    this.initializers.push({ name, dims: [...shape], data_type: OnnxDataType.INT64, raw_data: bytesOf(data) });
    return name;
  }

  /** Records a module with no export rule (reported all together after the walk). */
  reject(path: string, type: string, why: string): void {
    this.unsupported.push({ path, type, why });
  }
}
