// `neurite explain`: the lecture's per-neuron quantities (z, h(z), δ, ∂L/∂w) for one example of a saved run.
import { formatHelp, parseCommand } from './argv.js';
import { explainSpec } from './command-specs.js';
import { loadModel } from '../io/model-files.js';
import { Sequential } from '../../nn/containers.js';
import { slice } from '../../ops/movement.js';
import { formatTrace, traceNeurons, type NeuronRow } from '../../analysis/trace.js';
import type { ModelBundle } from '../../io/model.js';
import type { Split } from './data-source.js';
import { evalSplits, type EvalDataFlags } from './eval-data.js';
import { selectBackend } from './backend-choice.js';
import type { Output } from './run.js';

/** Row N of the recorded test split (or of a whole other --csv file); never a path from the run folder. */
async function testSplit(bundle: ModelBundle, values: EvalDataFlags, warn: (s: string) => void): Promise<Split> {
  const splits = await evalSplits(bundle, values, warn);
  return splits.test ?? splits.all!;
}

function intFlag(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (!Number.isInteger(v) || v < 0) throw new Error(`explain: --${name} must be a non-negative integer, got "${raw}"`);
  return v;
}

/** `neurite explain --model DIR [--row N]`: a neuron-by-neuron trace of one example. */
export async function explainCommand(argv: string[], io: Output): Promise<number> {
  const values = parseCommand(explainSpec, argv) as { [k: string]: string | undefined } & { help?: boolean; json?: boolean; 'no-header'?: boolean };
  if (values.help) { io.out(formatHelp(explainSpec)); return 0; }
  if (!values.model) throw new Error('explain: --model DIR is required (a run folder written by neurite train)');
  const bundle = await loadModel(values.model);
  if (!(bundle.module instanceof Sequential)) {
    throw new Error(`explain: the model in ${values.model} is a ${bundle.module.describe()}; only MLPs (Sequential stacks of Linear layers and activations) can be traced`);
  }
  await selectBackend((bundle.info as { backend?: string } | undefined)?.backend ?? null);
  const split = await testSplit(bundle, values, io.err);
  const n = split.x.shape[0]!;
  const row = intFlag('row', values.row, 0);
  if (row >= n) throw new Error(`explain: --row ${row} is out of range; the test split has ${n} examples (0..${n - 1})`);
  const xRaw = slice(split.x, [row], [row + 1]);
  const x = bundle.scaler ? bundle.scaler.transform(xRaw) : xRaw;
  const yRaw = slice(split.y, [row], [row + 1]);
  const y = bundle.schema ? bundle.schema.scaleTarget(yRaw) : yRaw;
  const { rows, loss, output } = traceNeurons(bundle.module, bundle.head, x, y);
  const layers = new Set(rows.map((r) => r.layer)).size;
  const layer = values.layer === undefined ? undefined : intFlag('layer', values.layer, 0);
  if (layer !== undefined && layer >= layers) throw new Error(`explain: --layer ${layer} is out of range; the model has ${layers} Linear layers (0..${layers - 1})`);
  const shown: NeuronRow[] = layer === undefined ? rows : rows.filter((r) => r.layer === layer);
  const target = Array.from(y.toFlat());
  if (values.json) {
    io.out(JSON.stringify({ row, target, output, loss, neurons: shown }) + '\n');
    return 0;
  }
  io.out(`example ${row} of the test split; target ${JSON.stringify(target.length === 1 ? target[0] : target)}; loss ${loss.toFixed(6)}\n`);
  io.out(`network output (before the head's link): [${output.map((v) => v.toFixed(4)).join(', ')}]\n\n`);
  io.out(formatTrace(shown, intFlag('weights', values.weights, 4)) + '\n');
  return 0;
}
