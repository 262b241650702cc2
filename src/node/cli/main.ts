// The `neurite` command: dispatches subcommands; any error becomes one clear line on stderr and exit 1 (2 for usage).
import { readFileSync } from 'node:fs';
import { ConfigError, describeSchema } from './schema.js';
import { configSchema, defaultConfig, defaultHypernet, readConfigFile, resolveConfig } from './config.js';
import { type TrainArgs, parseTrainArgs, trainSpec } from './flags.js';
import { UsageError, formatHelp } from './argv.js';
import { runTrain, type Output } from './run.js';
import { prepareResume, runBackend, savedConfig } from './run-folder.js';
import { getBackend } from '../../backend/registry.js';
import type { TrainState } from '../../train/state.js';
import type { ConfigRequest } from './config.js';
import { datasetsCommand, evalCommand, predictCommand, summaryCommand } from './commands.js';
import { explainCommand } from './explain.js';
import { exportCommand } from './export.js';
import { boardCommand } from './board.js';
import { tuneCommand } from '../tune/tune-command.js';
import { selectBackend } from './backend-choice.js';
import { findPackageRoot } from './package-root.js';

const HELP = `neurite — train, evaluate and inspect neural networks

usage: neurite <command> [options]

commands:
  train      train a network (default: an MLP on the built-in digits data)   neurite train --help
  eval       evaluate a saved run:      neurite eval --model DIR [--csv FILE [--no-header] | --dataset NAME] [--json]
  predict    predict from a CSV:        neurite predict --model DIR --csv FILE [--no-header] [--out FILE]
  summary    layers, shapes, parameter counts:   neurite summary --model DIR
  explain    per-neuron z, h(z), δ and ∂L/∂w for one example:   neurite explain --model DIR [--row N]
  export     write the model as ONNX:   neurite export --model DIR --onnx FILE [--opset N] [--output-activation head|none]
  datasets   list built-in data sets and whether Fashion-MNIST is installed
  board      a local web app over a folder of runs: list, overlay curves, compare, follow live:   neurite board [--dir runs] [--port N]
  tune       search hyperparameters (TPE/random/grid, pruning, parallel workers):   neurite tune --config CFG.json [--trials N] [--workers N]

every command answers --help (-h) with its flags, their defaults and an example.

options: --help, --version; NEURITE_BACKEND=js|wasm picks the compute backend (default wasm where available)
`;

const TRAIN_HELP = `
Flags override the config file, which overrides the defaults. With no arguments it trains an MLP on the
built-in digits data. The run folder (default runs/<timestamp>) receives config.json at the start, a
checkpoint after every epoch (RUN/CURRENT names the generation in RUN/checkpoints/ holding model.json,
model.safetensors and the train state; a kill at any moment leaves the last one loadable), and at the
end history.json, metrics.json, run.json and report.html. --model RUN loads the current generation.

  --out DIR      must be empty or absent; --overwrite replaces a previous run folder there
  --resume RUN   continue a run from its last checkpoint with the same weights, optimizer moments,
                 random streams, history and callback state: ends bit-identical to an uninterrupted
                 run (on the run's backend, the default). Only --epochs may differ from the run's
                 config.json.

exit status: 0 trained (completed or early-stopped), 1 error, 2 usage error (unknown command or flag),
             3 diverged (NaN/Inf, or loss > train.divergenceFactor × best; the best epoch is kept)

CSV files: the first line is the header unless --no-header. Numeric columns must hold numbers only (a
stray "abc", "inf" or "1,234" is an error listing the cells); text columns (or those named with
--categorical) are one-hot encoded. Missing cells (--missing-values, default: empty, NA, NaN, null,
N/A) are an error unless --missing drop|mean|mode (imputation fitted on the training rows). Regression
targets are standardised for training and reported in original units (data.scaleTarget). The fitted
schema is saved in model.json; eval/predict apply it by column name.

config keys (JSON, nested as data / model / train; on the command line: --set key.path=value):
`;

function version(): string {
  const pkg = JSON.parse(readFileSync(`${findPackageRoot()}/package.json`, 'utf8')) as { version: string };
  return pkg.version;
}


/** The defaults shown by `train --help`: defaultConfig(), with model.hypernet's own defaults for its keys. */
function helpDefaults(): unknown {
  const d = defaultConfig();
  return { ...d, model: { ...d.model, hypernet: defaultHypernet() } };
}

async function train(argv: string[], io: Output): Promise<number> {
  const args = parseTrainArgs(argv);
  if (args.help) {
    io.out(formatHelp(trainSpec, TRAIN_HELP + describeSchema(configSchema, '', helpDefaults()).join('\n') + '\n'));
    return 0;
  }
  const { cfg, resume } = trainConfig(args);
  const trained = args.resume !== null ? runBackend(args.resume) : null;
  await selectBackend(args.backend ?? trained);
  if (trained !== null && getBackend().name !== trained) io.err(`warning: ${args.resume} trained on the ${trained} backend and resumes on ${getBackend().name}: the result will be close to, not bit-identical with, an uninterrupted run\n`);
  // With --json stdout holds only the JSON summary; the human result line goes to stderr with the progress.
  const runIo = args.json ? { ...io, out: io.err } : io;
  const r = await runTrain(cfg, runIo, { overwrite: args.overwrite, ...(resume ? { resume } : {}) });
  if (args.json) io.out(JSON.stringify({ folder: r.dir, status: r.status.status, epochs: r.status.epochs, ...(r.status.reason ? { reason: r.status.reason } : {}), metrics: r.metrics, exitCode: r.status.exitCode }) + '\n');
  return r.status.exitCode;
}

/** The config of a train command; with --resume, the run's config.json overridden by the flags, and its last state. */
function trainConfig(args: TrainArgs): { cfg: ConfigRequest; resume?: TrainState } {
  if (args.resume === null) return { cfg: resolveConfig(args.configFile ? readConfigFile(args.configFile) : null, args.overrides) };
  if (args.overwrite) throw new Error(`--resume ${args.resume} continues a run and --overwrite replaces it; pass one of them`);
  if (args.overrides.out !== undefined && args.overrides.out !== args.resume) throw new Error(`--resume ${args.resume} writes into that run folder; drop --out ${String(args.overrides.out)}`);
  const base = args.configFile ? readConfigFile(args.configFile) : (savedConfig(args.resume) as unknown as Record<string, unknown>);
  const cfg = resolveConfig(base, { ...args.overrides, out: args.resume });
  return { cfg, resume: prepareResume(args.resume, cfg) };
}

/** Runs the CLI with `argv` (without node and script); resolves to the exit status. */
export async function main(argv: string[], io: Output = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s), isTTY: Boolean(process.stderr.isTTY) }): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case undefined: case '--help': case '-h': case 'help': io.out(HELP); return 0;
      case '--version': case '-v': io.out(`${version()}\n`); return 0;
      case 'train': return await train(rest, io);
      case 'eval': return await evalCommand(rest, io);
      case 'predict': return await predictCommand(rest, io);
      case 'summary': return await summaryCommand(rest, io);
      case 'explain': return await explainCommand(rest, io);
      case 'datasets': return await datasetsCommand(rest, io);
      case 'export': return await exportCommand(rest, io);
      case 'board': return await boardCommand(rest, io);
      case 'tune': return await tuneCommand(rest, io);
      default: io.err(`neurite: unknown command "${command}"; run neurite --help\n`); return 2;
    }
  } catch (e) {
    if (e instanceof UsageError) { io.err(`neurite ${e.message}\n`); return 2; }
    const err = e as Error;
    const prefix = err instanceof ConfigError ? 'config error: ' : '';
    io.err(`neurite: ${prefix}${err.message}\n`);
    if (process.env.NEURITE_DEBUG) io.err(`${err.stack}\n`);
    return 1;
  }
}
