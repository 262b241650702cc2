// Flags, usage and an example of `neurite eval | predict | summary | datasets | explain` (for parsing and --help).
import type { CommandSpec, FlagSpec } from './argv.js';

const model: FlagSpec = { type: 'string', value: 'DIR', doc: 'a run folder written by neurite train (required)' };
const dataFlags: Record<string, FlagSpec> = {
  dataset: { type: 'string', value: 'NAME', doc: 'score a built-in data set instead of the recorded split' },
  csv: { type: 'string', value: 'FILE', doc: 'score a CSV file, columns bound by name through the saved schema' },
  target: { type: 'string', value: 'COLUMN', doc: 'must equal the column the model was trained on, if given' },
  'data-dir': { type: 'string', value: 'DIR', doc: 'where Fashion-MNIST files are looked for' },
  'no-header': { type: 'boolean', doc: 'the CSV has no header line' },
};
const backend: FlagSpec = { type: 'string', value: 'js|wasm', doc: 'compute backend', default: "the run's own backend" };
const widen: FlagSpec = { type: 'boolean', doc: 'load a float16/bfloat16 model widened to float32 (twice the memory, faster) instead of keeping it 16-bit' };

/** `neurite eval`. */
export const evalSpec: CommandSpec = {
  name: 'eval', usage: 'neurite eval --model DIR [--csv FILE [--no-header] | --dataset NAME [--data-dir DIR]] [--json] [--widen]',
  about: 'Scores a saved run: its recorded test and validation splits, or a whole other CSV / data set.',
  flags: { model, ...dataFlags, json: { type: 'boolean', doc: 'print the metrics as one JSON object' }, backend, widen },
  example: 'neurite eval --model runs/iris --json',
};

/** `neurite predict`. */
export const predictSpec: CommandSpec = {
  name: 'predict', usage: 'neurite predict --model DIR --csv FILE [--no-header] [--out FILE] [--widen]',
  about: 'Predicts every row of a CSV (a target column, if present, is ignored): predictions and class probabilities as CSV.',
  flags: { model, csv: { type: 'string', value: 'FILE', doc: 'the rows to predict (required)' }, 'no-header': dataFlags['no-header']!, out: { type: 'string', value: 'FILE', doc: 'write the CSV here', default: 'stdout' }, backend, widen },
  example: 'neurite predict --model runs/iris --csv new-flowers.csv --out predictions.csv',
};

/** `neurite summary`. */
export const summarySpec: CommandSpec = {
  name: 'summary', usage: 'neurite summary --model DIR',
  about: "Prints the saved model's layers, output shapes and parameter counts, and its head.",
  flags: { model }, example: 'neurite summary --model runs/iris',
};

/** `neurite datasets`. */
export const datasetsSpec: CommandSpec = {
  name: 'datasets', usage: 'neurite datasets',
  about: 'Lists the built-in data sets and whether each is available (Fashion-MNIST is looked for on disk).',
  flags: {}, example: 'neurite datasets',
};

/** `neurite explain`. */
export const explainSpec: CommandSpec = {
  name: 'explain', usage: 'neurite explain --model DIR [--row N] [--dataset NAME | --csv FILE [--no-header]] [--layer K] [--weights M] [--json]',
  about: `Runs one test example (row N of the run's test split) through a saved MLP and prints, per neuron of
every Linear layer: z = Σ w·a + b, h(z), the backpropagated δ = ∂L/∂z, ‖∂L/∂w‖ and the first M entries
of ∂L/∂w = δ·a.`,
  flags: {
    model, row: { type: 'string', value: 'N', doc: 'which test example', default: '0' }, ...dataFlags,
    layer: { type: 'string', value: 'K', doc: 'show only the K-th Linear layer (0 = first)', default: 'all' },
    weights: { type: 'string', value: 'M', doc: 'entries of ∂L/∂w shown per neuron', default: '4' },
    json: { type: 'boolean', doc: 'print the trace as one JSON object' },
  },
  example: 'neurite explain --model runs/iris --row 3 --layer 0',
};

/** `neurite export`. */
export const exportSpec: CommandSpec = {
  name: 'export', usage: 'neurite export --model DIR --onnx FILE [--dtype int8 [--calibration FILE.csv]] [--opset N] [--output-activation head|none] [--input-shape D,...] [--task T] [--hypernet target|graph]\n       neurite export --model DIR --out DIR --dtype float16|bfloat16|int8 [--calibration FILE.csv] [--calibration-rows N]',
  about: `Writes the saved model as an ONNX file (float32, dynamic batch dim) that ONNX Runtime and other ONNX
tools run. The feature scaler fitted at training time is part of the graph, so the file takes the same raw
feature columns as neurite predict; with --output-activation head it also gives predict's numbers
(class probabilities, regression values in the target's original units). See docs/onnx.md.
With --out DIR it writes a compact neurite model folder instead: --dtype float16/bfloat16 halves the
weights (rounded to nearest even; computed in float32 on load), --dtype int8 quantizes Linear/Conv2d
layers (per-channel weights, activation ranges calibrated on --calibration rows — use training rows,
never test rows). Evaluate it like any model. --onnx FILE --dtype int8 quantizes the same way and writes
a QDQ ONNX file (QuantizeLinear/DequantizeLinear around each Linear/Conv2d, INT8 weights); an int8 model
folder exports as QDQ as it is. See docs/low-precision.md.`,
  flags: {
    model, onnx: { type: 'string', value: 'FILE', doc: 'the .onnx file to write (required; written atomically)' },
    opset: { type: 'string', value: 'N', doc: 'ONNX opset, 13 to 17', default: '17' },
    'output-activation': { type: 'string', value: 'head|none', doc: "head: the head's activation (softmax, sigmoid, ...) and target unscaling; none: raw outputs", default: 'head' },
    'input-shape': { type: 'string', value: 'D,...', doc: 'shape of one example without the batch dim', default: 'the number of saved feature names' },
    task: { type: 'string', value: 'T', doc: "task-conditioned hypernetworks: export the target generated for task T", default: "the model's current task (0)" },
    hypernet: { type: 'string', value: 'target|graph', doc: 'hypernetworks: the generated target as a plain model, or the whole hypernetwork graph', default: 'target' },
    out: { type: 'string', value: 'DIR', doc: 'write a neurite model folder (model.json + model.safetensors) instead of ONNX' },
    dtype: { type: 'string', value: 'float32|float16|bfloat16|int8', doc: 'storage of the --out model: 16-bit weights or int8-quantized layers; with --onnx only int8 (QDQ)', default: 'float32' },
    calibration: { type: 'string', value: 'FILE.csv', doc: '--dtype int8: rows of the training data (columns by name, as predict reads them) to calibrate activation ranges' },
    'calibration-rows': { type: 'string', value: 'N', doc: '--dtype int8: how many rows of --calibration to use', default: '256' },
  },
  example: 'neurite export --model runs/fashion --onnx fashion.onnx',
};

/** `neurite board`. */
export const boardSpec: CommandSpec = {
  name: 'board', usage: 'neurite board [--dir DIR] [--port N]',
  about: `A local web app over a folder of runs (served on 127.0.0.1 only): lists and filters the runs (name,
data set, status training/done/diverged/failed), overlays their loss and metric curves (training solid,
validation dashed), compares configs and metrics side by side (keys that differ highlighted), and
follows runs still training live as their history.jsonl grows. Prints the URL on stdout; Ctrl-C stops it.`,
  flags: {
    dir: { type: 'string', value: 'DIR', doc: 'the folder whose subfolders are run folders', default: 'runs' },
    port: { type: 'string', value: 'N', doc: 'port on 127.0.0.1 (0: a free one)', default: '6006' },
  },
  example: 'neurite board --dir runs --port 0',
};
