// Node-only: Fashion-MNIST from the Debian package dataset-fashion-mnist (or any folder of its IDX files).
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Tensor, getDefaultDType } from '../../tensor/tensor.js';
import { allocate, type DType } from '../../core/dtype.js';
import { readIdxFile } from './idx-file.js';
import { BUILTIN_DATASETS, BUILTIN_FILES, findDataDir } from './builtin.js';
import type { LoadedDataset } from './builtin.js';

/** Where `apt-get install -y dataset-fashion-mnist` puts the files. @example existsSync(FASHION_MNIST_DIR) // true once installed */
export const FASHION_MNIST_DIR = '/usr/share/datasets/fashion-mnist';

/** Fashion-MNIST's class names by label 0-9. @example FASHION_MNIST_CLASSES[9] // 'Ankle boot' */
export const FASHION_MNIST_CLASSES: readonly string[] = [
  'T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot',
];

export interface FashionMnistOptions {
  /** Folder with the IDX files (default /usr/share/datasets/fashion-mnist). */
  dir?: string;
  /** 'train' (60,000 images, default) or 'test' (10,000). */
  subset?: 'train' | 'test';
  /** Keep only the first `limit` images. */
  limit?: number;
  /** x as [N, 784] (default) or, with false, as images [N, 1, 28, 28]. */
  flatten?: boolean;
  /** Scale pixels from 0..255 to [0, 1] (default true). */
  normalize?: boolean;
  dtype?: DType;
}

function idxPath(dir: string, base: string): string {
  for (const name of [`${base}.gz`, base]) if (existsSync(join(dir, name))) return join(dir, name);
  throw new Error(`loadFashionMnist: ${join(dir, base)}.gz (or the unpacked ${base}) is missing; the folder must hold the four Fashion-MNIST IDX files`);
}

function missingDir(dir: string): Error {
  return new Error(`loadFashionMnist: folder ${dir} not found. Install the data with \`apt-get install -y dataset-fashion-mnist\` (Debian/Ubuntu), or pass --data-dir (or { dir }) pointing to a folder with train-images-idx3-ubyte.gz and the other IDX files`);
}

/**
 * Loads Fashion-MNIST (Xiao, Rasul & Vollgraf 2017, MIT licence): 28×28 grey clothing images, 10 classes.
 *
 * @example
 * const { x, y, classNames } = await loadFashionMnist({ subset: 'test', limit: 1000 });   // x [1000, 784]
 */
export async function loadFashionMnist(opts: FashionMnistOptions = {}): Promise<LoadedDataset> {
  const dir = opts.dir ?? FASHION_MNIST_DIR;
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw missingDir(dir);
  if (opts.subset !== undefined && opts.subset !== 'train' && opts.subset !== 'test') {
    throw new Error(`loadFashionMnist: subset must be 'train' or 'test', got ${JSON.stringify(opts.subset)}`);
  }
  const prefix = (opts.subset ?? 'train') === 'train' ? 'train' : 't10k';
  const imagesPath = idxPath(dir, `${prefix}-images-idx3-ubyte`), labelsPath = idxPath(dir, `${prefix}-labels-idx1-ubyte`);
  const [images, labels] = await Promise.all([readIdxFile(imagesPath), readIdxFile(labelsPath)]);
  if (images.dtype !== 'uint8' || images.shape.length !== 3 || images.shape[1] !== 28 || images.shape[2] !== 28) {
    throw new Error(`loadFashionMnist: ${imagesPath} holds ${images.dtype} [${images.shape.join(',')}], expected uint8 [N,28,28]`);
  }
  if (labels.shape.length !== 1 || labels.shape[0] !== images.shape[0]) {
    throw new Error(`loadFashionMnist: ${labelsPath} holds [${labels.shape.join(',')}] labels for ${images.shape[0]} images in ${imagesPath}`);
  }
  const total = images.shape[0]!;
  const limit = opts.limit ?? total;
  if (!Number.isInteger(limit) || limit < 1) throw new Error(`loadFashionMnist: limit must be a positive integer, got ${opts.limit}`);
  const n = Math.min(limit, total);
  const dtype = opts.dtype ?? getDefaultDType(), scale = (opts.normalize ?? true) ? 1 / 255 : 1;
  const x = allocate(dtype, n * 784), y = allocate(dtype, n);
  for (let i = 0; i < n * 784; i++) x[i] = images.data[i]! * scale;
  for (let i = 0; i < n; i++) {
    const c = labels.data[i]!;
    if (c > 9) throw new Error(`loadFashionMnist: ${labelsPath} label ${c} at position ${i} is not a class index in 0..9`);
    y[i] = c;
  }
  return {
    name: `fashion-mnist/${opts.subset ?? 'train'}`,
    x: new Tensor(x, (opts.flatten ?? true) ? [n, 784] : [n, 1, 28, 28]),
    y: new Tensor(y, [n]),
    classNames: [...FASHION_MNIST_CLASSES],
    featureNames: Array.from({ length: 784 }, (_, i) => `pixel_${Math.floor(i / 28)}_${i % 28}`),
    description: 'Fashion-MNIST: 70,000 28x28 grey images of clothing in 10 classes (Zalando Research, MIT licence). Han Xiao, Kashif Rasul, Roland Vollgraf, "Fashion-MNIST: a Novel Image Dataset for Benchmarking Machine Learning Algorithms", arXiv:1708.07747, 2017.',
  };
}

/** One entry of `listDatasets()`. */
export interface DatasetInfo {
  name: string;
  kind: 'builtin' | 'system';
  available: boolean;
  /** Where the files are (or are looked for). */
  location: string;
  /** How to get it when it is not available. */
  hint?: string;
}

/**
 * The data sets neurite knows and whether each is present: the built-ins in the package's data/, and
 * Fashion-MNIST in `fashionDir` (default /usr/share/datasets/fashion-mnist).
 *
 * @example
 * listDatasets().filter((d) => d.available).map((d) => d.name)
 */
export function listDatasets(opts: { fashionDir?: string } = {}): DatasetInfo[] {
  let dataDir: string | null = null;
  try {
    dataDir = findDataDir();
  } catch {
    dataDir = null;
  }
  const out: DatasetInfo[] = BUILTIN_DATASETS.map((name) => ({
    name,
    kind: 'builtin' as const,
    available: dataDir !== null && existsSync(join(dataDir, BUILTIN_FILES[name])),
    location: dataDir === null ? '(package data/ folder not found)' : join(dataDir, BUILTIN_FILES[name]),
  }));
  const dir = opts.fashionDir ?? FASHION_MNIST_DIR;
  const found = ['train', 't10k'].every((p) => ['images-idx3-ubyte', 'labels-idx1-ubyte'].every((s) => existsSync(join(dir, `${p}-${s}.gz`)) || existsSync(join(dir, `${p}-${s}`))));
  out.push({
    name: 'fashion-mnist', kind: 'system', available: found, location: dir,
    ...(found ? {} : { hint: 'apt-get install -y dataset-fashion-mnist, or pass --data-dir' }),
  });
  return out;
}
