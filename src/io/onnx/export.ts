// exportOnnx: a neurite model (eval mode) as the bytes of an .onnx file that ONNX Runtime runs.
import { ArgumentError } from '../../core/errors.js';
import { type AllowedKeys, checkOptions } from '../../core/options.js';
import type { Module } from '../../nn/module.js';
import type { Head } from '../../heads/heads.js';
import { HyperNetwork } from '../../hyper/hypernet.js';
import { OnnxGraphBuilder, type Unsupported, type Value } from './builder.js';
import { exportContext, supportedTypes } from './exporters.js';
import { headActivation } from './export-head.js';
import { type FeatureMap, emitAffine } from './export-affine.js';
import { OnnxDataType, encodeOnnxModel, onnxIrVersion } from './proto.js';

/** The opset exportOnnx writes by default (ONNX 1.12, IR 8). */
export const DEFAULT_ONNX_OPSET = 17;
/** The lowest opset supported: Softmax over one axis, Squeeze/Unsqueeze/Split with tensor inputs (13). */
export const MIN_ONNX_OPSET = 13;

export interface OnnxExportOptions {
  /** The shape of one example, without the batch dim (e.g. [784], [1, 28, 28], [T, features]). */
  inputShape: readonly number[];
  /** ONNX opset version, 13–17 (default 17). */
  opset?: number;
  /** A head whose output activation ends the graph (softmax, sigmoid, ...); default: raw outputs. */
  outputActivation?: Head;
  /**
   * A per-feature affine map applied to the input first, e.g. a fitted scaler's
   * `(x) => scaler.transform(x)` (StandardScaler, MinMaxScaler), so the file takes raw features.
   * Needs a flat input (inputShape [features]).
   */
  inputTransform?: FeatureMap;
  /** A per-feature affine map applied last, e.g. `(y) => schema.unscaleTarget(y)` for regression in original units. */
  outputTransform?: FeatureMap;
  /** 'task'-conditioned hypernetworks: the task whose generated target is exported (default: its current task). */
  task?: number;
  /**
   * Hypernetworks: 'target' (default) writes the generated target as a plain model; 'graph' writes the
   * whole hypernetwork (generator, embeddings, scales) feeding the target, its initializers named by
   * the hypernetwork's own state-dict keys.
   */
  hypernet?: 'target' | 'graph';
  /** Graph input and output names (default 'input' and 'output'). */
  inputName?: string;
  outputName?: string;
}

const EXPORT_OPTIONS: AllowedKeys<OnnxExportOptions> = { inputShape: true, opset: true, outputActivation: true, task: true, inputName: true, outputName: true, inputTransform: true, outputTransform: true, hypernet: true };

/** Rows in the probe batch the exporter runs each module on (to learn shapes). */
const PROBE_BATCH = 2;

function checkExportOptions(opts: OnnxExportOptions): number {
  checkOptions('exportOnnx', opts, EXPORT_OPTIONS);
  const s = opts.inputShape as unknown;
  if (!Array.isArray(s) || s.length === 0 || !s.every((d) => Number.isInteger(d) && d >= 1)) {
    throw new ArgumentError('exportOnnx', `inputShape must list the positive integer dims of one example (no batch dim), e.g. [784] or [1, 28, 28]; got ${JSON.stringify(s)}`);
  }
  const opset = opts.opset ?? DEFAULT_ONNX_OPSET;
  if (!Number.isInteger(opset) || opset < MIN_ONNX_OPSET || opset > DEFAULT_ONNX_OPSET) {
    throw new ArgumentError('exportOnnx', `opset must be an integer from ${MIN_ONNX_OPSET} to ${DEFAULT_ONNX_OPSET}, got ${JSON.stringify(opts.opset)}`);
  }
  return opset;
}

function hypernetMode(opts: OnnxExportOptions): 'target' | 'graph' {
  const mode = opts.hypernet ?? 'target';
  if (mode !== 'target' && mode !== 'graph') throw new ArgumentError('exportOnnx', `hypernet must be 'target' or 'graph', got ${JSON.stringify(mode)}`);
  return mode;
}

/** Every module in the tree with its training flag (hypernetwork targets included), to restore after the export. */
function modes(m: Module, out: [Module, boolean][] = []): [Module, boolean][] {
  out.push([m, m.training]);
  for (const [, c] of m.children()) modes(c, out);
  if (m instanceof HyperNetwork) modes(m.target, out);
  return out;
}

const valueInfo = (v: Value): Record<string, unknown> => ({
  name: v.name,
  type: { tensor_type: { elem_type: OnnxDataType.FLOAT, shape: { dim: v.shape.map((d, i) => (i === 0 ? { dim_param: 'batch' } : { dim_value: d })) } } },
});

function unsupportedError(list: Unsupported[]): ArgumentError {
  const items = list.map((u) => `${u.path ? `"${u.path}"` : '(root)'} ${u.type}: ${u.why}`);
  return new ArgumentError('exportOnnx', `cannot export ${list.length} module${list.length === 1 ? '' : 's'}: ${items.join('; ')}. Supported module types: ${supportedTypes().join(', ')}`);
}

/** The input after `inputTransform` (the same value when there is none). */
function scaledInput(b: OnnxGraphBuilder, input: Value, map: FeatureMap | undefined): Value {
  if (!map) return input;
  if (input.shape.length !== 2) throw new ArgumentError('exportOnnx', `inputTransform needs a flat input (inputShape [features]), got inputShape [${input.shape.slice(1).join(', ')}]`);
  return { name: emitAffine(b, input.name, map, input.shape[1]!, 'inputTransform', 'input_transform'), shape: input.shape };
}

/**
 * Exports a model as ONNX (float32, eval mode: BatchNorm uses its running statistics, Dropout is the
 * identity): one input `[batch, ...inputShape]` with a dynamic batch dim (dim_param "batch"), one
 * output; parameters are initializers named by their state-dict keys. Every module must have an
 * export rule (docs/onnx.md lists them); otherwise one error names each unsupported module by path
 * and type. Float64 models are written in float32. The model's training flags are restored after.
 * @example
 * const bytes = exportOnnx(net, { inputShape: [784], outputActivation: multiclassHead({ numClasses: 10 }) });
 * writeFileSync('net.onnx', bytes);
 */
export function exportOnnx(model: Module, opts: OnnxExportOptions): Uint8Array {
  const opset = checkExportOptions(opts);
  const b = new OnnxGraphBuilder(opset);
  const input: Value = { name: b.fresh(opts.inputName ?? 'input'), shape: [PROBE_BATCH, ...opts.inputShape] };
  const outputName = b.fresh(opts.outputName ?? 'output');
  const saved = modes(model);
  let out: Value;
  try {
    model.eval();
    out = exportContext(b, { ...(opts.task === undefined ? {} : { task: opts.task }), hypernetGraph: hypernetMode(opts) === 'graph' }).emit(model, model.params, scaledInput(b, input, opts.inputTransform), '');
  } finally {
    for (const [m, training] of saved) m.training = training;
  }
  if (b.unsupported.length > 0) throw unsupportedError(b.unsupported);
  if (opts.task !== undefined && !b.taskUsed) throw new ArgumentError('exportOnnx', `task ${opts.task} was given, but the model holds no task-conditioned HyperNetwork; drop the task option`);
  let last = out.name;
  if (opts.outputActivation) last = headActivation(b, opts.outputActivation, last).name;
  if (opts.outputTransform) last = emitAffine(b, last, opts.outputTransform, out.shape.at(-1)!, 'outputTransform', 'output_transform');
  b.alias(last, outputName);
  return encodeOnnxModel({
    ir_version: onnxIrVersion,
    producer_name: 'neurite',
    opset_import: [{ domain: '', version: opset }],
    graph: { name: 'neurite', node: b.nodes, initializer: b.initializers, input: [valueInfo(input)], output: [valueInfo({ name: outputName, shape: out.shape })] },
  });
}
