// `neurite export --model DIR --onnx FILE | --out DIR [--dtype ...]`: a saved model as an ONNX file (float32 or QDQ int8), or as a compact model folder.
import { formatHelp, parseCommand } from './argv.js';
import { exportSpec } from './command-specs.js';
import { loadModel, saveModel } from '../io/model-files.js';
import { featuresFor } from './commands.js';
import { recordedTrainingRows } from './eval-data.js';
import { narrow } from '../../ops/movement.js';
import { quantize } from '../../quant/quantize.js';
import { QuantizedSequential } from '../../quant/quantized-model.js';
import { writeFileAtomic } from '../data/atomic.js';
import { DEFAULT_ONNX_OPSET, exportOnnx, type OnnxExportOptions } from '../../io/onnx/export.js';
import type { ModelBundle } from '../../io/model.js';
import type { Tensor } from '../../tensor/tensor.js';
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

const DTYPES = ['float32', 'float16', 'bfloat16', 'int8'] as const;
type ExportDType = (typeof DTYPES)[number];

/**
 * The calibration rows for int8, scaled as the model's input: the first --calibration-rows rows of
 * --calibration FILE.csv, or of the recorded training split for a run trained on a built-in data set.
 */
async function calibrationRows(bundle: ModelBundle, values: Flags): Promise<Tensor> {
  const limit = values['calibration-rows'] === undefined ? 256 : integer('calibration-rows', values['calibration-rows']);
  if (limit < 1) throw new Error(`export: --calibration-rows must be at least 1, got ${limit}`);
  let raw: Tensor;
  try {
    raw = values.calibration ? featuresFor(bundle, values.calibration, false) : (await recordedTrainingRows(bundle)).x;
  } catch (e) {
    throw new Error(`export: --dtype int8 calibrates activation ranges on training rows: ${(e as Error).message}`, { cause: e });
  }
  const rows = narrow(raw, 0, 0, Math.min(limit, raw.shape[0]!));
  return bundle.scaler ? bundle.scaler.transform(rows) : rows;
}

/** The model quantized for int8 on the calibration rows (a model folder that is int8 already is used as it is). */
async function int8Module(bundle: ModelBundle, values: Flags): Promise<{ module: QuantizedSequential; rows?: number }> {
  if (bundle.module instanceof QuantizedSequential) {
    if (values.calibration !== undefined || values['calibration-rows'] !== undefined) throw new Error(`export: ${values.model} is int8 already (quantized when it was exported); drop --calibration/--calibration-rows`);
    return { module: bundle.module };
  }
  const calib = await calibrationRows(bundle, values);
  return { module: quantize(bundle.module, calib), rows: calib.shape[0]! };
}

/** `--out DIR`: the model as a neurite model folder with 16-bit weights or int8-quantized layers. */
async function exportFolder(bundle: ModelBundle, values: Flags, dtype: ExportDType, io: Output): Promise<number> {
  const out = values.out!;
  if (dtype === 'int8') {
    const { module, rows } = await int8Module(bundle, values);
    const info = rows === undefined ? bundle.info : { ...bundle.info, quantized: { dtype: 'int8', calibrationRows: rows } };
    await saveModel(out, { ...bundle, module, info });
  } else {
    await saveModel(out, bundle, { weightsDType: dtype });
  }
  io.out(`wrote ${out}/model.json and model.safetensors (${dtype}${dtype === 'int8' ? ' Linear/Conv2d layers' : ' weights'}); use it like any model: neurite eval --model ${out} --csv FILE\n`);
  return 0;
}

/** `--onnx FILE`: float32, or with --dtype int8 (or an int8 model folder) QDQ int8 layers. */
async function exportOnnxFile(bundle: ModelBundle, values: Flags, dtype: ExportDType, io: Output): Promise<number> {
  const opts = exportOptions(bundle, values);
  const module = dtype === 'int8' ? (await int8Module(bundle, values)).module : bundle.module;
  const bytes = exportOnnx(module, opts);
  await writeFileAtomic(values.onnx!, bytes);
  const qdq = module instanceof QuantizedSequential ? ', int8 QDQ Linear/Conv2d layers' : '';
  io.out(`wrote ${values.onnx} (${bytes.length.toLocaleString('en-US')} bytes, opset ${opts.opset ?? DEFAULT_ONNX_OPSET}, input [batch, ${opts.inputShape.join(', ')}]${qdq}${opts.inputTransform ? ', feature scaler included' : ''}${opts.outputActivation ? ", head's output activation" : ', raw outputs'})\n`);
  return 0;
}

/**
 * `neurite export --model DIR --onnx FILE [--dtype int8 [--calibration FILE.csv]] [--opset N] [--output-activation head|none] [--input-shape D,...] [--task T]`
 * (int8: QDQ layers), or `neurite export --model DIR --out DIR --dtype float16|bfloat16|int8 [--calibration FILE.csv]`.
 * @example await exportCommand(['--model', 'runs/a', '--onnx', 'a.onnx'], io)
 */
export async function exportCommand(argv: string[], io: Output): Promise<number> {
  const values = parseCommand(exportSpec, argv) as Flags;
  if (values.help) { io.out(formatHelp(exportSpec)); return 0; }
  const dtype = (values.dtype ?? 'float32') as ExportDType;
  if (!DTYPES.includes(dtype)) throw new Error(`export: --dtype must be one of ${DTYPES.join(', ')}, got "${values.dtype}"`);
  if (!values.model || (!values.onnx && !values.out)) throw new Error('export: --model DIR and --onnx FILE (or --out DIR for a model folder) are required (e.g. neurite export --model runs/a --onnx a.onnx)');
  if (values.onnx && values.out) throw new Error('export: give --onnx FILE or --out DIR, not both');
  if (values.onnx && (dtype === 'float16' || dtype === 'bfloat16')) {
    throw new Error(`export: --dtype ${dtype} with --onnx is not supported (ONNX files are float32, or QDQ int8 with --dtype int8; float16 ONNX export is not built); use --out DIR for a ${dtype} neurite model folder`);
  }
  const bundle = await loadModel(values.model);
  return values.out ? exportFolder(bundle, values, dtype, io) : exportOnnxFile(bundle, values, dtype, io);
}
