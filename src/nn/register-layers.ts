// Registers the conv, pooling, 2-D norm and recurrent layers with moduleFromJSON (import for effect).
import { ArgumentError } from '../core/errors.js';
import type { ModuleJSON } from './module.js';
import type { Pair } from '../ops/conv.js';
import { bool, num, optPair, pairOf, registerChecked } from './json-args.js';
import { Conv2d } from './conv.js';
import { AvgPool2d, GlobalAvgPool2d, MaxPool2d } from './pool.js';
import { BatchNorm2d } from './norm2d.js';
import { GRU, LSTM, LastStep, RNN, type RecurrentOptions } from './recurrent.js';

const RECURRENT_KEYS = ['in', 'hidden', 'numLayers', 'bias', 'batchFirst'];

function recurrentOpts(j: ModuleJSON): RecurrentOptions {
  const opts: RecurrentOptions = { numLayers: num(j, 'numLayers', 1), bias: bool(j, 'bias', true), batchFirst: bool(j, 'batchFirst', true) };
  if (j.type !== 'RNN') return opts;
  const nl = Object.hasOwn(j, 'nonlinearity') ? j.nonlinearity : 'tanh';
  if (nl !== 'tanh' && nl !== 'relu') throw new ArgumentError('moduleFromJSON', `${j.type}.nonlinearity: expected "tanh" or "relu", got ${JSON.stringify(nl)}`);
  return { ...opts, nonlinearity: nl };
}

/** Conv2d's padding: a number, an [h, w] pair, or 'same' / 'valid'. */
const convPadding = (j: ModuleJSON): Pair | 'same' | 'valid' => (j.padding === 'same' || j.padding === 'valid' ? j.padding : pairOf(j, 'padding', 0));

registerChecked('Conv2d', ['in', 'out', 'kernel', 'stride', 'padding', 'dilation', 'groups', 'bias'], (j) => new Conv2d(num(j, 'in'), num(j, 'out'), pairOf(j, 'kernel'), {
  stride: pairOf(j, 'stride', 1), padding: convPadding(j), dilation: pairOf(j, 'dilation', 1), groups: num(j, 'groups', 1), bias: bool(j, 'bias', true),
}));
registerChecked('MaxPool2d', ['kernel', 'stride', 'padding', 'dilation', 'ceilMode'], (j) => new MaxPool2d(pairOf(j, 'kernel'), {
  ...optPair(j, 'stride'), ...optPair(j, 'padding'), ...optPair(j, 'dilation'), ceilMode: bool(j, 'ceilMode', false),
}));
registerChecked('AvgPool2d', ['kernel', 'stride', 'padding', 'ceilMode', 'countIncludePad', 'divisorOverride'], (j) => new AvgPool2d(pairOf(j, 'kernel'), {
  ...optPair(j, 'stride'), ...optPair(j, 'padding'), ceilMode: bool(j, 'ceilMode', false), countIncludePad: bool(j, 'countIncludePad', true),
  ...(j.divisorOverride === undefined || j.divisorOverride === null ? {} : { divisorOverride: num(j, 'divisorOverride') }),
}));
registerChecked('GlobalAvgPool2d', ['keepdims'], (j) => new GlobalAvgPool2d(bool(j, 'keepdims', false)));
registerChecked('BatchNorm2d', ['numFeatures', 'eps', 'momentum', 'affine'], (j) => new BatchNorm2d(num(j, 'numFeatures'), { eps: num(j, 'eps', 1e-5), momentum: num(j, 'momentum', 0.1), affine: bool(j, 'affine', true) }));
registerChecked('RNN', [...RECURRENT_KEYS, 'nonlinearity'], (j) => new RNN(num(j, 'in'), num(j, 'hidden'), recurrentOpts(j)));
registerChecked('LSTM', RECURRENT_KEYS, (j) => new LSTM(num(j, 'in'), num(j, 'hidden'), recurrentOpts(j)));
registerChecked('GRU', RECURRENT_KEYS, (j) => new GRU(num(j, 'in'), num(j, 'hidden'), recurrentOpts(j)));
registerChecked('LastStep', [], () => new LastStep());
