// `neurite export --model DIR --onnx FILE`: a saved model (scaler, network, head) as an ONNX file.
import { formatHelp, parseCommand } from './argv.js';
import { exportSpec } from './command-specs.js';
import { loadModel } from '../io/model-files.js';
import { writeFileAtomic } from '../data/atomic.js';
import { DEFAULT_ONNX_OPSET, exportOnnx, type OnnxExportOptions } from '../../io/onnx/export.js';
import type { ModelBundle } from '../../io/model.js';
import type { Output } from './run.js';

type Flags = { [k: string]: string | undefined } & { help?: boolean };

/** A whole number flag value, or an error naming the flag. */
function integer(flag: string, v: string): number {
  if (!/^-?\d+$/.test(v.trim())) throw new Error(`export: --${flag} expects a whole number, got "${v}"`);
  return Number(v);
}

/** One example's shape: --input-shape, else the saved feature count. */
function inputShape(bundle: ModelBundle, flag: string | undefined, dir: string): number[] {
  if (flag !== undefined) {
    const dims = flag.split(',').map((d) => d.trim());
    if (!dims.every((d) => /^\d+$/.test(d) && Number(d) >= 1)) throw new Error(`export: --input-shape expects positive whole numbers separated by commas (e.g. 1,28,28), got "${flag}"`);
    return dims.map(Number);
  }
  const width = bundle.featureNames?.length ?? 0;
  if (width === 0) throw new Error(`export: ${dir} records no feature names, so the input shape is unknown; pass --input-shape D,... (one example, without the batch dim)`);
  return [width];
}

/** The export options a bundle and the flags ask for: its scaler first, and with 'head' the head's activation and target unscaling. */
function exportOptions(bundle: ModelBundle, values: Flags): OnnxExportOptions {
  const activation = values['output-activation'] ?? 'head';
  if (activation !== 'head' && activation !== 'none') throw new Error(`export: --output-activation must be head or none, got "${activation}"`);
  const shape = inputShape(bundle, values['input-shape'], values.model!);
  const { scaler, schema } = bundle;
  return {
    inputShape: shape,
    ...(values.opset !== undefined ? { opset: integer('opset', values.opset) } : {}),
    ...(values.task !== undefined ? { task: integer('task', values.task) } : {}),
    ...(values.hypernet !== undefined ? { hypernet: values.hypernet as 'target' | 'graph' } : {}),
    ...(scaler ? { inputTransform: (x) => scaler.transform(x) } : {}),
    ...(activation === 'head' ? { outputActivation: bundle.head } : {}),
    ...(activation === 'head' && schema && bundle.head.kind === 'regression' ? { outputTransform: (y) => schema.unscaleTarget(y) } : {}),
  };
}

/**
 * `neurite export --model DIR --onnx FILE [--opset N] [--output-activation head|none] [--input-shape D,...] [--task T]`.
 * @example await exportCommand(['--model', 'runs/a', '--onnx', 'a.onnx'], io)
 */
export async function exportCommand(argv: string[], io: Output): Promise<number> {
  const values = parseCommand(exportSpec, argv) as Flags;
  if (values.help) { io.out(formatHelp(exportSpec)); return 0; }
  if (!values.model || !values.onnx) throw new Error('export: --model DIR and --onnx FILE are required (e.g. neurite export --model runs/a --onnx a.onnx)');
  const bundle = await loadModel(values.model);
  const opts = exportOptions(bundle, values);
  const bytes = exportOnnx(bundle.module, opts);
  await writeFileAtomic(values.onnx, bytes);
  io.out(`wrote ${values.onnx} (${bytes.length.toLocaleString('en-US')} bytes, opset ${opts.opset ?? DEFAULT_ONNX_OPSET}, input [batch, ${opts.inputShape.join(', ')}]${opts.inputTransform ? ', feature scaler included' : ''}${opts.outputActivation ? ", head's output activation" : ', raw outputs'})\n`);
  return 0;
}
