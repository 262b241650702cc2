// The explicit list of nn's module types for moduleFromJSON: type name → builder (no registration by import).
import { ArgumentError } from '../core/errors.js';
import { describeValue } from '../core/options.js';
import type { Pair } from '../ops/conv.js';
import type { ModuleJSON } from './module.js';
import type { Builder } from './registry.js';
import { bool, checked, field, num, optPair, pairOf } from './json-args.js';
import { Linear } from './linear.js';
import { Identity, Residual, Sequential } from './containers.js';
import { BatchNorm1d, Dropout, Flatten, Reshape } from './layers.js';
import { Hardtanh, IdentityActivation, LeakyReLU, PReLU, ReLU, Sigmoid, Softmax, Softplus, Softsign, Tanh } from './activations.js';
import { Conv2d } from './conv.js';
import { AvgPool2d, GlobalAvgPool2d, MaxPool2d } from './pool.js';
import { BatchNorm2d } from './norm2d.js';
import { GRU, LSTM, LastStep, RNN, type RecurrentOptions } from './recurrent.js';
import { graphFromJSON } from './graph.js';

function layerList(j: ModuleJSON): ModuleJSON[] {
  const layers = Object.hasOwn(j, 'layers') ? j.layers : [];
  if (!Array.isArray(layers)) throw new ArgumentError('moduleFromJSON', `Sequential.layers: expected a list of module JSON objects, got ${describeValue(layers)}`);
  return layers as ModuleJSON[];
}

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

/**
 * Every module type of nn/ with its builder. Hypernetwork types are listed in hyper/builders.ts, and
 * io/modules.ts joins both lists into the one `moduleFromJSON` of the public API.
 * @example Object.keys(NN_MODULE_BUILDERS).includes('LSTM') // true
 */
export const NN_MODULE_BUILDERS: Readonly<Record<string, Builder>> = Object.freeze({
  Linear: checked(['in', 'out', 'bias'], (j) => new Linear(num(j, 'in'), num(j, 'out'), { bias: bool(j, 'bias', true) })),
  Sequential: checked(['layers'], (j, b) => new Sequential(...layerList(j).map(b))),
  Residual: checked(['body'], (j, b) => new Residual(b(field(j, 'body', 'object') as ModuleJSON))),
  Identity: checked([], () => new Identity()),
  Flatten: checked([], () => new Flatten()),
  Reshape: checked(['shape'], (j) => new Reshape(field(j, 'shape', 'numberList') as number[])),
  Dropout: checked(['p'], (j) => new Dropout(num(j, 'p'))),
  BatchNorm1d: checked(['numFeatures', 'eps', 'momentum', 'affine'], (j) => new BatchNorm1d(num(j, 'numFeatures'), { eps: num(j, 'eps', 1e-5), momentum: num(j, 'momentum', 0.1), affine: bool(j, 'affine', true) })),
  IdentityActivation: checked([], () => new IdentityActivation()),
  Sigmoid: checked([], () => new Sigmoid()),
  Tanh: checked([], () => new Tanh()),
  Softsign: checked([], () => new Softsign()),
  ReLU: checked([], () => new ReLU()),
  Hardtanh: checked(['min', 'max'], (j) => new Hardtanh(num(j, 'min', -1), num(j, 'max', 1))),
  Softplus: checked(['beta'], (j) => new Softplus(num(j, 'beta', 1))),
  LeakyReLU: checked(['alpha'], (j) => new LeakyReLU(num(j, 'alpha', 0.01))),
  PReLU: checked(['numParameters'], (j) => new PReLU(num(j, 'numParameters', 1))),
  Softmax: checked(['axis', 'temperature', 'learnableTemperature', 'log'], (j) => new Softmax(num(j, 'axis', -1), num(j, 'temperature', 1), bool(j, 'learnableTemperature', false), bool(j, 'log', false))),
  Conv2d: checked(['in', 'out', 'kernel', 'stride', 'padding', 'dilation', 'groups', 'bias'], (j) => new Conv2d(num(j, 'in'), num(j, 'out'), pairOf(j, 'kernel'), {
    stride: pairOf(j, 'stride', 1), padding: convPadding(j), dilation: pairOf(j, 'dilation', 1), groups: num(j, 'groups', 1), bias: bool(j, 'bias', true),
  })),
  MaxPool2d: checked(['kernel', 'stride', 'padding', 'dilation', 'ceilMode'], (j) => new MaxPool2d(pairOf(j, 'kernel'), {
    ...optPair(j, 'stride'), ...optPair(j, 'padding'), ...optPair(j, 'dilation'), ceilMode: bool(j, 'ceilMode', false),
  })),
  AvgPool2d: checked(['kernel', 'stride', 'padding', 'ceilMode', 'countIncludePad', 'divisorOverride'], (j) => new AvgPool2d(pairOf(j, 'kernel'), {
    ...optPair(j, 'stride'), ...optPair(j, 'padding'), ceilMode: bool(j, 'ceilMode', false), countIncludePad: bool(j, 'countIncludePad', true),
    ...(j.divisorOverride === undefined || j.divisorOverride === null ? {} : { divisorOverride: num(j, 'divisorOverride') }),
  })),
  GlobalAvgPool2d: checked(['keepdims'], (j) => new GlobalAvgPool2d(bool(j, 'keepdims', false))),
  BatchNorm2d: checked(['numFeatures', 'eps', 'momentum', 'affine'], (j) => new BatchNorm2d(num(j, 'numFeatures'), { eps: num(j, 'eps', 1e-5), momentum: num(j, 'momentum', 0.1), affine: bool(j, 'affine', true) })),
  RNN: checked([...RECURRENT_KEYS, 'nonlinearity'], (j) => new RNN(num(j, 'in'), num(j, 'hidden'), recurrentOpts(j))),
  LSTM: checked(RECURRENT_KEYS, (j) => new LSTM(num(j, 'in'), num(j, 'hidden'), recurrentOpts(j))),
  GRU: checked(RECURRENT_KEYS, (j) => new GRU(num(j, 'in'), num(j, 'hidden'), recurrentOpts(j))),
  LastStep: checked([], () => new LastStep()),
  Graph: graphFromJSON,
});
