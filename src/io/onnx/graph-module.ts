// OnnxGraph: an imported ONNX graph as a trainable neurite Module (initializers as parameters, nodes run with neurite ops).
import { Tensor } from '../../tensor/tensor.js';
import { fmtShape } from '../../core/errors.js';
import { cast } from '../../ops/elementwise.js';
import { type ApplyContext, Module, type ModuleJSON, type Params } from '../../nn/module.js';
import { OnnxImportError } from './errors.js';
import { NodeAttrs, nodeLabel, type OnnxNode } from './node.js';
import { onnxOps } from './ops/index.js';
import { IntValue, isFloatType, onnxTypeName, type Value } from './values.js';
import { OnnxDataType } from './proto.js';

/** A graph input as the model declares it: element type and dims (a string for a symbolic dim, null when unknown). */
export interface OnnxInputInfo {
  name: string;
  elemType: number;
  dims: (number | string | null)[] | null;
}

/** Everything an OnnxGraph needs, prepared and checked by importOnnx. */
export interface OnnxGraphParts {
  nodes: OnnxNode[];
  inputs: OnnxInputInfo[];
  outputs: string[];
  opset: number;
  /** Trainable initializers as a parameter tree, and each one's path in it. */
  params: Params;
  paramPaths: Map<string, readonly string[]>;
  /** BatchNormalization running statistics: state, not trained. */
  buffers: Record<string, Tensor>;
  /** Every other initializer (integers, shapes, Clip bounds, unused ones). */
  constants: Map<string, Value>;
}

function leafAt(params: Params, path: readonly string[], name: string): Tensor {
  let node: Tensor | Params | undefined = params;
  for (const key of path) node = node instanceof Tensor || node === undefined ? undefined : node[key];
  if (!(node instanceof Tensor)) throw new OnnxImportError(`parameter "${name}" (path ${path.join('.')}) is missing from the parameter tree`);
  return node;
}

/**
 * A model imported from ONNX. Its parameters are the graph's float initializers (state-dict keys are
 * the initializer names, nested at "."), BatchNormalization's running mean/var are buffers, and
 * `apply` runs the nodes in order with neurite ops, so gradients reach every parameter and `fit`
 * fine-tunes them. Dropout is the identity and BatchNormalization uses its running statistics in
 * both training and eval mode (the exported inference graph, unchanged).
 * @example
 * const model = importOnnx(bytes);
 * model.forward(x);                                   // the graph's first output
 * model.runGraph({ input: x });                       // every output by name
 */
export class OnnxGraph extends Module {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
  readonly opset: number;
  private readonly parts: OnnxGraphParts;

  constructor(parts: OnnxGraphParts) {
    super();
    this.parts = parts;
    this.ownParams = parts.params;
    this.inputNames = parts.inputs.map((i) => i.name);
    this.outputNames = [...parts.outputs];
    this.opset = parts.opset;
  }

  override buffers(): Record<string, Tensor> {
    return { ...this.parts.buffers };
  }

  /** The first output for one input (the graph's first); the graph has no state, so this is pure. */
  run(params: Params, x: Tensor, _ctx: ApplyContext): Tensor {
    if (this.inputNames.length !== 1) throw new OnnxImportError(`this graph has ${this.inputNames.length} inputs (${this.inputNames.join(', ')}); call applyInputs(params, { name: tensor, ... })`);
    return this.applyInputs(params, { [this.inputNames[0]!]: x });
  }

  /** The first output for named inputs. @example g.applyInputs(g.params, { x, h0: zeros([1, 2, 8]) }) */
  applyInputs(params: Params, feeds: Record<string, Value>): Tensor {
    const out = this.runGraph(feeds, params)[this.outputNames[0]!];
    if (!(out instanceof Tensor)) throw new OnnxImportError(`output "${this.outputNames[0]}" is an integer tensor, not a float one; read it with runGraph()`);
    return out;
  }

  /**
   * Every graph output by name, for named inputs (float Tensors, or IntValues for integer inputs).
   * @example const { y, y_h } = lstm.runGraph({ x });
   */
  runGraph(feeds: Record<string, Value>, params: Params = this.params): Record<string, Value> {
    const env = new Map<string, Value>(this.parts.constants);
    for (const [name, t] of Object.entries(this.parts.buffers)) env.set(name, t);
    for (const [name, path] of this.parts.paramPaths) env.set(name, leafAt(params, path, name));
    const unknown = Object.keys(feeds).find((k) => !this.inputNames.includes(k));
    if (unknown !== undefined) throw new OnnxImportError(`"${unknown}" is not an input of this model; its inputs are ${this.inputNames.map((n) => `"${n}"`).join(', ')}`);
    for (const info of this.parts.inputs) env.set(info.name, checkFeed(info, Object.hasOwn(feeds, info.name) ? feeds[info.name] : undefined, this.inputNames));
    this.parts.nodes.forEach((node, k) => runNode(node, k, env, this.opset));
    return Object.fromEntries(this.outputNames.map((n) => [n, env.get(n)!]));
  }

  describe(): string {
    return `OnnxGraph(${this.parts.nodes.length} nodes, ${this.inputNames.join(',')} → ${this.outputNames.join(',')})`;
  }

  /** A description only: an imported graph is rebuilt from its .onnx file, not from JSON. */
  toJSON(): ModuleJSON {
    return { type: 'OnnxGraph', nodes: this.parts.nodes.length, inputs: [...this.inputNames], outputs: [...this.outputNames], opset: this.opset };
  }
}

function runNode(node: OnnxNode, k: number, env: Map<string, Value>, opset: number): void {
  const label = nodeLabel(node, k);
  const inputs = node.input.map((name) => (name === '' ? undefined : env.get(name)));
  let outs: (Value | undefined)[];
  try {
    outs = onnxOps[node.op_type]!.run({ node, label, attrs: new NodeAttrs(node, label), opset, inputs });
  } catch (e) {
    if (e instanceof OnnxImportError) throw e;
    const shapes = node.input.map((name, i) => `${name || '(absent)'} ${inputs[i] ? fmtShape(inputs[i]!.shape) : ''}`.trim()).join(', ');
    throw new OnnxImportError(`${label} on ${shapes}: ${(e as Error).message}`);
  }
  node.output.forEach((name, i) => {
    if (name === '') return;
    const v = outs[i];
    if (v === undefined) throw new OnnxImportError(`${label}: output ${i} ("${name}") is not produced by neurite's ${node.op_type}`);
    env.set(name, v);
  });
}

/** A fed value checked against the declared type and dims (float types cast to the declared precision). */
function checkFeed(info: OnnxInputInfo, v: Value | undefined, names: readonly string[]): Value {
  if (v === undefined) throw new OnnxImportError(`input "${info.name}" was not given; the model's inputs are ${names.map((n) => `"${n}"`).join(', ')}`);
  const declared = info.dims?.map((d) => d ?? '?') ?? null;
  const bad = declared !== null && (declared.length !== v.shape.length || declared.some((d, i) => typeof d === 'number' && d > 0 && d !== v.shape[i]));
  if (bad) throw new OnnxImportError(`input "${info.name}" has shape ${fmtShape(v.shape)}; the model declares [${declared!.join(',')}]`);
  if (isFloatType(info.elemType)) {
    if (v instanceof IntValue) throw new OnnxImportError(`input "${info.name}" must be a float tensor (${onnxTypeName(info.elemType)}), got ${v.dtype}`);
    const want = info.elemType === OnnxDataType.DOUBLE ? 'float64' : 'float32';
    return v.dtype === want ? v : cast(v, want);
  }
  return v instanceof IntValue ? v : intFeed(info, v);
}

/** A float Tensor fed to an integer input: accepted when every value is an integer. */
function intFeed(info: OnnxInputInfo, t: Tensor): IntValue {
  const data = Array.from(t.data);
  const bad = data.findIndex((x) => !Number.isInteger(x));
  if (bad >= 0) throw new OnnxImportError(`input "${info.name}" is an integer input (${onnxTypeName(info.elemType)}) but value ${data[bad]} at flat index ${bad} is not an integer`);
  return new IntValue('int64', t.shape, data);
}
