// The `neurite` command: dispatches subcommands; any error becomes one clear line on stderr and exit 1.
import { readFileSync } from 'node:fs';
import { ConfigError, describeSchema } from './schema.js';
import { configSchema, readConfigFile, resolveConfig } from './config.js';
import { parseTrainArgs } from './flags.js';
import { runTrain, type Output } from './run.js';
import { datasetsCommand, evalCommand, predictCommand, summaryCommand } from './commands.js';
import { explainCommand } from './explain.js';
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
  datasets   list built-in data sets and whether Fashion-MNIST is installed

options: --help, --version; NEURITE_BACKEND=js|wasm picks the compute backend (default wasm where available)
`;

const TRAIN_HELP = `usage: neurite train [--config FILE.json] [--dataset NAME | --csv FILE --target COLUMN] [--epochs N]
                     [--batch-size N] [--lr X] [--optimizer NAME] [--hidden 64,32] [--activation NAME]
                     [--seed N] [--data-dir DIR] [--out DIR] [--backend js|wasm]
                     [--no-header] [--categorical COL,...] [--missing error|drop|mean|mode] [--missing-values LIST]

Flags override the config file, which overrides the defaults. With no arguments it trains an MLP on the
built-in digits data. The run folder (default runs/<timestamp>) receives model.json, model.safetensors,
config.json, history.json, metrics.json and report.html.

CSV files: the first line is the header unless --no-header. Numeric columns must hold numbers only (a
stray "abc", "inf" or "1,234" is an error listing the cells); text columns (or those named with
--categorical) are one-hot encoded. Missing cells (--missing-values, default: empty, NA, NaN, null,
N/A) are an error unless --missing drop|mean|mode (imputation fitted on the training rows). Regression
targets are standardised for training and reported in original units (data.scaleTarget). The fitted
schema is saved in model.json; eval/predict apply it by column name.

config keys (JSON, nested as data / model / train):
`;

function version(): string {
  const pkg = JSON.parse(readFileSync(`${findPackageRoot()}/package.json`, 'utf8')) as { version: string };
  return pkg.version;
}


async function train(argv: string[], io: Output): Promise<number> {
  const args = parseTrainArgs(argv);
  if (args.help) {
    io.out(TRAIN_HELP + describeSchema(configSchema).join('\n') + '\n');
    return 0;
  }
  const cfg = resolveConfig(args.configFile ? readConfigFile(args.configFile) : null, args.overrides);
  await selectBackend(args.backend);
  await runTrain(cfg, io);
  return 0;
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
      default: io.err(`neurite: unknown command "${command}"; run neurite --help\n`); return 2;
    }
  } catch (e) {
    const err = e as Error;
    const prefix = err instanceof ConfigError ? 'config error: ' : '';
    io.err(`neurite: ${prefix}${err.message}\n`);
    if (process.env.NEURITE_DEBUG) io.err(`${err.stack}\n`);
    return 1;
  }
}
