// importOnnx: checks an ONNX model (opset, ops, attributes, names, initializers) and builds a trainable OnnxGraph.
import { Tensor } from '../../tensor/tensor.js';
import { checkOptions } from '../../core/options.js';
import type { Params } from '../../nn/module.js';
import { decodeOnnxModel, type OnnxMessage } from './proto.js';
import { OnnxImportError } from './errors.js';
import { OnnxGraph, type OnnxInputInfo } from './graph-module.js';
import { nodeLabel, type OnnxNode } from './node.js';
import { onnxOps } from './ops/index.js';
import { isFloatType, isIntType, onnxTypeName, tensorFromProto, type Value } from './values.js';

/** The newest default-domain opset importOnnx knows the semantics of. */
export const maxOnnxOpset = 18;

export interface ImportOnnxOptions {
  /** Make float initializers trainable parameters (default true); false keeps them all constant. */
  trainable?: boolean;
}

/** Inputs of these ops that hold settings, not weights: their initializers stay constants. */
const settingInputs: Record<string, readonly number[]> = { Clip: [1, 2], Dropout: [1, 2], Reshape: [1] };
/** BatchNormalization's running mean and var: state (buffers), not parameters. */
const stateInputs: Record<string, readonly number[]> = { BatchNormalization: [3, 4] };

function defaultOpset(model: OnnxMessage): number {
  const sets = (model.opset_import as { domain?: string; version?: number }[] | undefined) ?? [];
  const found = sets.find((s) => (s.domain ?? '') === '' || s.domain === 'ai.onnx');
  if (!found) throw new OnnxImportError('the model imports no default-domain (ai.onnx) opset');
  const v = Number(found.version ?? 0);
  if (v > maxOnnxOpset) throw new OnnxImportError(`the model uses opset ${v}; neurite knows the semantics of opsets up to ${maxOnnxOpset}: export with opset ≤ ${maxOnnxOpset}`);
  return v;
}

/** One error listing every unsupported op (with counts and node names), before anything runs. */
function checkOps(nodes: OnnxNode[]): void {
  const missing = new Map<string, string[]>();
  nodes.forEach((n, k) => {
    const domain = n.domain ?? '';
    if ((domain === '' || domain === 'ai.onnx') && onnxOps[n.op_type]) return;
    const key = domain === '' || domain === 'ai.onnx' ? n.op_type : `${domain}.${n.op_type}`;
    missing.set(key, [...(missing.get(key) ?? []), n.name ? `"${n.name}"` : `#${k}`]);
  });
  if (missing.size === 0) return;
  const list = [...missing].map(([op, names]) => `${op} ×${names.length} (${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''})`);
  throw new OnnxImportError(`the model uses ${missing.size} op type${missing.size > 1 ? 's' : ''} neurite does not support: ${list.join('; ')}. Supported: ${Object.keys(onnxOps).sort().join(', ')}`);
}

/** Every attribute must be one the op understands; all unknown ones are listed at once. */
function checkAttributes(nodes: OnnxNode[]): void {
  const bad: string[] = [];
  nodes.forEach((n, k) => {
    const known = onnxOps[n.op_type]!.attrs;
    for (const a of n.attribute) if (!known.includes(String(a.name))) bad.push(`${nodeLabel(n, k)}: attribute "${String(a.name)}"`);
  });
  if (bad.length) throw new OnnxImportError(`unsupported attributes (neurite would ignore them and compute something else): ${bad.join('; ')}`);
}

/** Each node reads only names defined before it (graph inputs, initializers, earlier outputs); outputs exist. */
function checkNames(nodes: OnnxNode[], defined: Set<string>, outputs: string[]): void {
  nodes.forEach((n, k) => {
    for (const i of n.input) if (i !== '' && !defined.has(i)) throw new OnnxImportError(`${nodeLabel(n, k)} reads "${i}", which no earlier node, input or initializer defines (the graph must be topologically sorted)`);
    for (const o of n.output) if (o !== '') defined.add(o);
  });
  for (const o of outputs) if (!defined.has(o)) throw new OnnxImportError(`graph output "${o}" is not produced by any node, input or initializer`);
}

function inputInfo(vi: OnnxMessage): OnnxInputInfo {
  const type = (vi.type as OnnxMessage | undefined) ?? {};
  const other = ['sequence_type', 'map_type', 'optional_type', 'sparse_tensor_type'].find((k) => type[k] !== undefined);
  if (other) throw new OnnxImportError(`graph input "${String(vi.name)}" has type ${other.replace('_type', '')}; neurite imports dense tensor inputs only`);
  const tt = (type.tensor_type as OnnxMessage | undefined) ?? {};
  const elemType = Number(tt.elem_type ?? 0);
  if (!isFloatType(elemType) && !isIntType(elemType)) throw new OnnxImportError(`graph input "${String(vi.name)}" has element type ${onnxTypeName(elemType)}; neurite runs FLOAT, DOUBLE and integer/bool inputs (convert the model to float32)`);
  const shape = tt.shape as { dim?: { dim_value?: number; dim_param?: string }[] } | undefined;
  const dims = shape ? (shape.dim ?? []).map((d) => (d.dim_value !== undefined ? Number(d.dim_value) : d.dim_param ?? null)) : null;
  return { name: String(vi.name), elemType, dims };
}

/** How each initializer is used: 'param' (a weight somewhere), 'state' (BatchNorm statistics) or 'setting'. */
function usage(nodes: OnnxNode[]): Map<string, Set<'param' | 'state' | 'setting'>> {
  const uses = new Map<string, Set<'param' | 'state' | 'setting'>>();
  for (const n of nodes) {
    n.input.forEach((name, i) => {
      const kind = stateInputs[n.op_type]?.includes(i) ? 'state' : settingInputs[n.op_type]?.includes(i) ? 'setting' : 'param';
      uses.set(name, (uses.get(name) ?? new Set()).add(kind));
    });
  }
  return uses;
}

/** Where an initializer sits in the parameter tree: split at ".", or the whole name with "_" when that would clash. */
function placeParam(params: Params, name: string, taken: Set<string>): string[] {
  const parts = name.split('.');
  const clash = parts.some((p) => p === '' || p in Object.prototype) || [...taken].some((t) => t.startsWith(`${name}.`) || name.startsWith(`${t}.`));
  const path = clash ? [name.replaceAll('.', '_')] : parts;
  if (clash && (path[0]! in params || path[0]! in Object.prototype)) throw new OnnxImportError(`initializer "${name}": no parameter name is free for it (it clashes with another initializer or an Object.prototype member); rename it in the model`);
  let node = params;
  for (const key of path.slice(0, -1)) node = (node[key] ??= {}) as Params;
  taken.add(path.join('.'));
  return path;
}

/**
 * Reads an ONNX model (the bytes of a .onnx file) as a trainable neurite module. Float
 * initializers become parameters (state-dict keys = initializer names), BatchNormalization's running
 * statistics become buffers, integer initializers and settings (Clip bounds, Reshape shapes) stay
 * constants. Unsupported ops (all listed at once, with counts and node names), attributes, element
 * types, opsets and malformed graphs are an {@link OnnxImportError} before anything runs.
 * @example
 * import { importOnnx } from 'neurite';
 * const model = importOnnx(new Uint8Array(await (await fetch('mlp.onnx')).arrayBuffer()));
 * model.forward(x);   // runs the graph; fit({ model, ... }) fine-tunes it
 */
export function importOnnx(bytes: Uint8Array, options: ImportOnnxOptions = {}): OnnxGraph {
  checkOptions('importOnnx', options, ['trainable']);
  if (!(bytes instanceof Uint8Array)) throw new OnnxImportError('expected the bytes of an .onnx file (a Uint8Array or Buffer)');
  if (bytes.byteLength === 0) throw new OnnxImportError('the file is empty');
  let model: OnnxMessage;
  try {
    model = decodeOnnxModel(bytes);
  } catch (e) {
    throw new OnnxImportError(`${(e as Error).message}; the file is truncated or not an .onnx model`);
  }
  const graph = model.graph as OnnxMessage | undefined;
  if (!graph || !Array.isArray(graph.node) || graph.node.length === 0) throw new OnnxImportError('the model has no graph nodes; the file is truncated or not an .onnx model');
  const opset = defaultOpset(model);
  const nodes = graph.node as unknown as OnnxNode[];
  checkOps(nodes);
  checkAttributes(nodes);
  const inits = (graph.initializer as OnnxMessage[]).map((t) => [String(t.name), tensorFromProto(t, `initializer "${String(t.name)}"`)] as const);
  const initNames = new Set(inits.map(([n]) => n));
  const inputs = (graph.input as OnnxMessage[]).map(inputInfo).filter((i) => !initNames.has(i.name));
  const outputs = (graph.output as OnnxMessage[]).map((o) => String(o.name));
  checkNames(nodes, new Set([...inputs.map((i) => i.name), ...initNames]), outputs);
  return new OnnxGraph({ nodes, inputs, outputs, opset, ...classify(inits, usage(nodes), options.trainable ?? true) });
}

function classify(inits: readonly (readonly [string, Value])[], uses: ReturnType<typeof usage>, trainable: boolean) {
  const params: Params = {}, paramPaths = new Map<string, readonly string[]>(), buffers: Record<string, Tensor> = {};
  const constants = new Map<string, Value>(), taken = new Set<string>();
  for (const [name, v] of inits) {
    const u = uses.get(name);
    if (!(v instanceof Tensor) || !u) { constants.set(name, v); continue; }
    if (u.has('state')) { buffers[name] = v; continue; }
    if (!trainable || !u.has('param')) { constants.set(name, v); continue; }
    const path = placeParam(params, name, taken);
    let node = params;
    for (const key of path.slice(0, -1)) node = node[key] as Params;
    node[path[path.length - 1]!] = v.requireGrad();
    paramPaths.set(name, path);
  }
  return { params, paramPaths, buffers, constants };
}
