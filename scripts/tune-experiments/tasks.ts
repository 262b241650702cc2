// The experiments' tasks: each data set's base config (the CLI defaults plus the data), its search
// space (one space per task, shared by TPE, random search and ASHA) and budgets. The folds of the
// cross-validated trial score (5, scikit-learn's default; 3 on Fashion-MNIST, whose trials cost most)
// were fixed before any cross-validated result was seen.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadBuiltinDataset } from '../../src/node/data/builtin.js';

/** Trials and seeds of one task's experiments. */
export interface Budget {
  /** Trials per study (tuned-vs-defaults, TPE vs random). */
  trials: number;
  /** Trials per study of the ASHA comparison (random search at fixed epochs vs the same with ASHA). */
  ashaTrials: number;
  /** The fixed epochs of the ASHA comparison (random search trains every trial this long). */
  ashaEpochs: number;
  /** Folds of each trial's cross-validated score in tuned-vs-defaults and TPE vs random (1: the one fixed validation split). */
  cv: number;
  /** Replaces the space's `train.epochs` range (the quick budget's short runs). */
  epochs?: [number, number];
}

export interface Task {
  name: string;
  /** A partial `neurite train` config: the defaults with the data (and a subset for Fashion-MNIST). */
  base: Record<string, unknown>;
  space: Record<string, unknown>;
  /** How the rows are described in the report. */
  about: string;
  full: Budget;
  quick: Budget;
}

const logFloat = (low: number, high: number): Record<string, unknown> => ({ type: 'float', low, high, log: true });
const choice = (...choices: Array<string | number>): Record<string, unknown> => ({ type: 'categorical', choices });

/** The space of an MLP on tabular data: depth and widths, activation, optimizer, lr, batch, epochs, weight decay. */
function mlpSpace(o: { layers: number; widths: [number, number]; batch: number[]; epochs: [number, number]; lr: [number, number] }): Record<string, unknown> {
  return {
    'model.hidden': { type: 'layers', count: { low: 1, high: o.layers }, width: { type: 'int', low: o.widths[0], high: o.widths[1], log: true } },
    'model.activation': choice('relu', 'tanh', 'leaky_relu'),
    'train.optimizer': choice('adam', 'adamw', 'momentum'),
    'train.lr': logFloat(o.lr[0], o.lr[1]),
    'train.batchSize': choice(...o.batch),
    'train.epochs': { type: 'int', low: o.epochs[0], high: o.epochs[1], log: true },
    'train.weightDecay': logFloat(1e-6, 1e-2),
  };
}

/**
 * The space with its `train.epochs` range replaced by `epochs`, or dropped when `epochs` is null
 * (the ASHA comparison fixes the epochs in the base config instead).
 * @example withEpochs({ 'train.epochs': { type: 'int', low: 10, high: 60 } }, null) // {}
 */
export function withEpochs(space: Record<string, unknown>, epochs: [number, number] | null | undefined): Record<string, unknown> {
  if (epochs === undefined) return space;
  const rest = Object.fromEntries(Object.entries(space).filter(([k]) => k !== 'train.epochs'));
  return epochs === null ? rest : { ...rest, 'train.epochs': { type: 'int', low: epochs[0], high: epochs[1], log: true } };
}

/**
 * Writes the repository's wine data (data/wine.csv, the built-in set) as a user's CSV file in `dir`:
 * a header of feature names and `cultivar`, the rows as they are, the class names as the target.
 * The wine task then goes through the CSV pipeline (`--csv wine.csv --target cultivar`).
 * @example const csv = await writeWineCsv('/tmp/x'); // '/tmp/x/wine.csv'
 */
export async function writeWineCsv(dir: string): Promise<string> {
  const ds = await loadBuiltinDataset('wine');
  const source = fileURLToPath(new URL('../../data/wine.csv', import.meta.url));
  const [first, ...rows] = readFileSync(source, 'utf8').trim().split('\n');
  if (first !== `178,13,${ds.classNames.join(',')}`) throw new Error(`${source}: expected the first line "178,13,${ds.classNames.join(',')}", got ${JSON.stringify(first)}`);
  const lines = [[...ds.featureNames, 'cultivar'].join(',')];
  for (const row of rows) {
    const cells = row.split(',');
    lines.push([...cells.slice(0, -1), ds.classNames[Number(cells.at(-1))]].join(','));
  }
  const path = join(dir, 'wine.csv');
  writeFileSync(path, lines.join('\n') + '\n');
  return path;
}

const SMALL = mlpSpace({ layers: 3, widths: [8, 128], batch: [8, 16, 32, 64], epochs: [20, 300], lr: [1e-4, 0.1] });

/** The tasks by name; `wineCsv` is the file writeWineCsv wrote. */
export function tasks(wineCsv: string): Task[] {
  return [
    {
      name: 'iris', base: { data: { dataset: 'iris' } }, space: SMALL,
      about: 'built-in iris, 105 train / 15 validation / 30 test rows', full: { trials: 30, ashaTrials: 20, ashaEpochs: 200, cv: 5 }, quick: { trials: 4, ashaTrials: 4, ashaEpochs: 9, epochs: [3, 9], cv: 2 },
    },
    {
      name: 'wine', base: { data: { csv: wineCsv, target: 'cultivar' } }, space: SMALL,
      about: 'wine as a CSV file (--csv wine.csv --target cultivar), 124 train / 18 validation / 36 test rows', full: { trials: 30, ashaTrials: 20, ashaEpochs: 200, cv: 5 }, quick: { trials: 4, ashaTrials: 4, ashaEpochs: 9, epochs: [3, 9], cv: 2 },
    },
    {
      name: 'digits', base: { data: { dataset: 'digits' } },
      space: mlpSpace({ layers: 2, widths: [16, 256], batch: [16, 32, 64, 128], epochs: [10, 60], lr: [1e-4, 0.03] }),
      about: 'built-in digits, 1,257 train / 180 validation / 360 test rows', full: { trials: 30, ashaTrials: 20, ashaEpochs: 27, cv: 5 }, quick: { trials: 4, ashaTrials: 4, ashaEpochs: 3, epochs: [1, 3], cv: 2 },
    },
    {
      name: 'fashion_mnist', base: { data: { dataset: 'fashion_mnist', subset: 6000 } },
      space: mlpSpace({ layers: 2, widths: [32, 256], batch: [32, 64, 128], epochs: [3, 15], lr: [1e-4, 0.03] }),
      about: 'Fashion-MNIST, the first 6,000 training images (5,400 train / 600 validation), the official 10,000 test images', full: { trials: 20, ashaTrials: 12, ashaEpochs: 12, cv: 3 }, quick: { trials: 2, ashaTrials: 2, ashaEpochs: 2, epochs: [1, 2], cv: 2 },
    },
  ];
}
