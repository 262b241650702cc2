// The JS reference backend: runs everywhere, defines the results other backends must match.
import type { Backend } from '../backend.js';
import { binaryJs, paramGradKernels, paramKernels, rounder, unaryKernels } from './elementwise.js';
import { logSoftmaxJs, reduceJs } from './reduce.js';
import { matmulJs } from './matmul.js';
import { col2imJs, im2colJs, maxPoolGradJs, maxPoolIndexJs, maxPoolJs } from './conv.js';
import { int8ChainJs, int8MatmulJs } from './quant.js';
import { batchNormGradJs, batchNormJs, batchNormReluGradJs, batchNormReluJs, batchNormReluPoolGradJs, batchNormReluPoolJs, batchNormStatsJs } from './norm.js';
import { conv2dGradJs, conv2dJs } from './conv2d.js';
import { lstmCellGradJs, lstmCellJs } from './recurrent.js';

/** The reference backend (plain TypeScript loops). */
export const jsBackend: Backend = {
  name: 'js',
  unary: (op, x, out) => unaryKernels[op](x, out, x.length),
  binary: binaryJs,
  unaryParam: (op, x, out, p, q) => { const r = rounder(out); paramKernels[op](x, out, x.length, r(p), r(q)); },
  gradParam: (op, g, x, out, p, q) => { const r = rounder(out); paramGradKernels[op](g, x, out, x.length, r(p), r(q)); },
  reduce: reduceJs,
  matmul: matmulJs,
  logSoftmax: logSoftmaxJs,
  im2col: im2colJs,
  col2im: col2imJs,
  maxPoolIndex: maxPoolIndexJs,
  maxPool: maxPoolJs,
  maxPoolGrad: maxPoolGradJs,
  conv2d: conv2dJs,
  lstmCell: lstmCellJs,
  lstmCellGrad: lstmCellGradJs,
  conv2dGrad: conv2dGradJs,
  batchNormStats: batchNormStatsJs,
  batchNorm: batchNormJs,
  batchNormGrad: batchNormGradJs,
  batchNormRelu: batchNormReluJs,
  batchNormReluGrad: batchNormReluGradJs,
  batchNormReluPool: batchNormReluPoolJs,
  batchNormReluPoolGrad: batchNormReluPoolGradJs,
  int8Matmul: int8MatmulJs,
  int8Chain: int8ChainJs,
};
