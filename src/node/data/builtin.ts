// Node-only: the built-in data sets embedded in data/ (digits, iris, wine, breast cancer), located from the package root.
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { Tensor, getDefaultDType } from '../../tensor/tensor.js';
import { allocate, type DType } from '../../core/dtype.js';
import { parseCsv, parseNumber } from '../../data/csv-parse.js';

const gunzipAsync = promisify(gunzip);

/** Names of the data sets shipped inside the package. */
export type BuiltinName = 'digits' | 'iris' | 'wine' | 'breast_cancer';
/** The built-in data sets, in listing order. @example BUILTIN_DATASETS // ['digits', 'iris', 'wine', 'breast_cancer'] */
export const BUILTIN_DATASETS: readonly BuiltinName[] = ['digits', 'iris', 'wine', 'breast_cancer'];
/** The file of each built-in data set inside data/. @example join(findDataDir(), BUILTIN_FILES.iris) // …/neurite/data/iris.csv */
export const BUILTIN_FILES: Readonly<Record<BuiltinName, string>> = { digits: 'digits.csv.gz', iris: 'iris.csv', wine: 'wine.csv', breast_cancer: 'breast_cancer.csv' };

/** A loaded classification data set. */
export interface LoadedDataset {
  name: string;
  /** [N, F] features. */
  x: Tensor;
  /** [N] class indices. */
  y: Tensor;
  classNames: string[];
  featureNames: string[];
  /** Description with source and citation (the .rst shipped with scikit-learn). */
  description: string;
}

const BREAST_BASE = ['radius', 'texture', 'perimeter', 'area', 'smoothness', 'compactness', 'concavity', 'concave points', 'symmetry', 'fractal dimension'];

/** Per data set: file, whether it has the "rows,features,classes…" first line, and names (as scikit-learn). */
const SPECS: Record<BuiltinName, { file: string; counted: boolean; rows: number; features: string[]; classNames?: string[] }> = {
  digits: {
    file: BUILTIN_FILES.digits, counted: false, rows: 1797,
    features: Array.from({ length: 64 }, (_, i) => `pixel_${Math.floor(i / 8)}_${i % 8}`),
    classNames: Array.from({ length: 10 }, (_, i) => String(i)),
  },
  iris: { file: BUILTIN_FILES.iris, counted: true, rows: 150, features: ['sepal length (cm)', 'sepal width (cm)', 'petal length (cm)', 'petal width (cm)'] },
  wine: {
    file: BUILTIN_FILES.wine, counted: true, rows: 178,
    features: ['alcohol', 'malic_acid', 'ash', 'alcalinity_of_ash', 'magnesium', 'total_phenols', 'flavanoids', 'nonflavanoid_phenols', 'proanthocyanins', 'color_intensity', 'hue', 'od280/od315_of_diluted_wines', 'proline'],
  },
  breast_cancer: {
    file: BUILTIN_FILES.breast_cancer, counted: true, rows: 569,
    features: [...BREAST_BASE.map((b) => `mean ${b}`), ...BREAST_BASE.map((b) => `${b} error`), ...BREAST_BASE.map((b) => `worst ${b}`)],
  },
};

/**
 * The package's data/ folder: walks up from this module (src/node/data under tsx, dist/node/data when
 * built) to the directory whose package.json is named "neurite".
 *
 * @example
 * const dir = findDataDir();   // …/neurite/data
 */
export function findDataDir(): string {
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'neurite' && existsSync(join(dir, 'data'))) return join(dir, 'data');
      } catch {
        // An unreadable package.json is not ours; keep walking up.
      }
    }
    if (dirname(dir) === dir) break;
  }
  throw new Error(`findDataDir: no data/ folder next to a package.json named "neurite" above ${start}; the installed package is incomplete — reinstall neurite`);
}

/**
 * Loads a built-in data set: 'digits' (1797 8×8 images, pixels 0..16, 10 classes), 'iris' (150 × 4,
 * 3 classes), 'wine' (178 × 13, 3 cultivars) or 'breast_cancer' (569 × 30, malignant/benign).
 *
 * @example
 * const { x, y, classNames } = await loadBuiltinDataset('iris');   // x [150,4], classNames ['setosa', …]
 */
export async function loadBuiltinDataset(name: BuiltinName, opts: { dtype?: DType; dataDir?: string } = {}): Promise<LoadedDataset> {
  const spec = Object.hasOwn(SPECS, name) ? SPECS[name] : undefined;
  if (spec === undefined) {
    throw new Error(`loadBuiltinDataset: unknown data set ${JSON.stringify(name)}; built-in ones are ${BUILTIN_DATASETS.join(', ')} (Fashion-MNIST: loadFashionMnist)`);
  }
  const dir = opts.dataDir ?? findDataDir();
  const path = join(dir, spec.file);
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
    if (spec.file.endsWith('.gz')) bytes = await gunzipAsync(bytes);
  } catch (err) {
    throw new Error(`loadBuiltinDataset: cannot read ${path} (${(err as Error).message}); reinstall neurite`, { cause: err });
  }
  const [description, table] = [await readDescription(dir, name), parseCsv(bytes.toString('utf8'))];
  let rows = table.rows, lines = table.lines, classNames = spec.classNames ?? [];
  if (spec.counted) {
    const head = rows[0] ?? [];
    const [n, f] = [Number(head[0]), Number(head[1])];
    if (n !== spec.rows || f !== spec.features.length) {
      throw new Error(`loadBuiltinDataset: ${path} line 1 says ${head[0]} rows × ${head[1]} features, expected ${spec.rows} × ${spec.features.length}; the file is damaged, reinstall neurite`);
    }
    classNames = head.slice(2);
    rows = rows.slice(1);
    lines = lines.slice(1);
  }
  const { x, y } = toTensors(path, rows, lines, spec.features.length, classNames.length, opts.dtype ?? getDefaultDType());
  if (x.shape[0] !== spec.rows) throw new Error(`loadBuiltinDataset: ${path} has ${x.shape[0]} data rows, expected ${spec.rows}; reinstall neurite`);
  return { name, x, y, classNames, featureNames: [...spec.features], description };
}

async function readDescription(dir: string, name: string): Promise<string> {
  try {
    return await readFile(join(dir, `${name}.rst`), 'utf8');
  } catch {
    return `${name}: description file ${name}.rst is missing from ${dir}`;
  }
}

function toTensors(path: string, rows: string[][], lines: number[], f: number, k: number, dtype: DType): { x: Tensor; y: Tensor } {
  const n = rows.length;
  const x = allocate(dtype, n * f), y = allocate(dtype, n);
  rows.forEach((row, r) => {
    if (row.length !== f + 1) throw new Error(`loadBuiltinDataset: ${path} line ${lines[r]} has ${row.length} fields, expected ${f + 1}`);
    row.forEach((cell, j) => {
      const v = parseNumber(cell);
      if (v === null) throw new Error(`loadBuiltinDataset: ${path} line ${lines[r]}, column ${j}: ${JSON.stringify(cell)} is not a number`);
      if (j < f) x[r * f + j] = v;
      else if (!Number.isInteger(v) || v < 0 || v >= k) throw new Error(`loadBuiltinDataset: ${path} line ${lines[r]}: label ${v} is not a class index in 0..${k - 1}`);
      else y[r] = v;
    });
  });
  return { x: new Tensor(x, [n, f]), y: new Tensor(y, [n]) };
}
