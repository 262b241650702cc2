// Registers the conv, pooling, 2-D norm and recurrent layers with moduleFromJSON (import for effect).
import { ArgumentError } from '../core/errors.js';
import type { ModuleJSON } from './module.js';
import { registerModule } from './registry.js';
import { Conv2d } from './conv.js';
import { AvgPool2d, GlobalAvgPool2d, MaxPool2d } from './pool.js';
import { BatchNorm2d } from './norm2d.js';
import { GRU, LSTM, LastStep, RNN, type RecurrentOptions } from './recurrent.js';

const num = (j: ModuleJSON, k: string, d?: number): number => {
  const v = j[k] ?? d;
  if (typeof v !== 'number') throw new ArgumentError('moduleFromJSON', `${j.type}.${k}: expected a number, got ${JSON.stringify(v)}`);
  return v;
};

/** A size as a number or [h, w] pair (undefined when absent and no default). */
const pairOf = (j: ModuleJSON, k: string, d?: number): number | [number, number] => {
  const v = j[k] ?? d;
  const ok = typeof v === 'number' || (Array.isArray(v) && v.length === 2 && v.every((e) => typeof e === 'number'));
  if (!ok) throw new ArgumentError('moduleFromJSON', `${j.type}.${k}: expected a number or [h, w], got ${JSON.stringify(v)}`);
  return v as number | [number, number];
};

const optPair = (j: ModuleJSON, k: string): { [key: string]: number | [number, number] } => (j[k] === undefined ? {} : { [k]: pairOf(j, k) });

function recurrentOpts(j: ModuleJSON): RecurrentOptions {
  const nl = j.nonlinearity ?? 'tanh';
  if (nl !== 'tanh' && nl !== 'relu') throw new ArgumentError('moduleFromJSON', `${j.type}.nonlinearity: expected "tanh" or "relu", got ${JSON.stringify(nl)}`);
  return { numLayers: num(j, 'numLayers', 1), bias: j.bias !== false, batchFirst: j.batchFirst !== false, nonlinearity: nl };
}

registerModule('Conv2d', (j) => new Conv2d(num(j, 'in'), num(j, 'out'), pairOf(j, 'kernel'), {
  stride: pairOf(j, 'stride', 1), padding: pairOf(j, 'padding', 0), dilation: pairOf(j, 'dilation', 1), groups: num(j, 'groups', 1), bias: j.bias !== false,
}));
registerModule('MaxPool2d', (j) => new MaxPool2d(pairOf(j, 'kernel'), { ...optPair(j, 'stride'), ...optPair(j, 'padding'), ...optPair(j, 'dilation') }));
registerModule('AvgPool2d', (j) => new AvgPool2d(pairOf(j, 'kernel'), { ...optPair(j, 'stride'), ...optPair(j, 'padding') }));
registerModule('GlobalAvgPool2d', (j) => new GlobalAvgPool2d(j.keepdims === true));
registerModule('BatchNorm2d', (j) => new BatchNorm2d(num(j, 'numFeatures'), { eps: num(j, 'eps', 1e-5), momentum: num(j, 'momentum', 0.1), affine: j.affine !== false }));
registerModule('RNN', (j) => new RNN(num(j, 'in'), num(j, 'hidden'), recurrentOpts(j)));
registerModule('LSTM', (j) => new LSTM(num(j, 'in'), num(j, 'hidden'), recurrentOpts(j)));
registerModule('GRU', (j) => new GRU(num(j, 'in'), num(j, 'hidden'), recurrentOpts(j)));
registerModule('LastStep', () => new LastStep());
