// Search spaces: parsing, errors naming the key, conditions, layer lists, overrides.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSpace, toOverrides, applyOverrides, isActive, inDomain } from '../../src/tune/index.js';

test('a space with ranges, choices, a condition and a layer list parses in order', () => {
  const s = parseSpace({
    'train.optimizer': { type: 'categorical', choices: ['adam', 'momentum'] },
    'train.lr': { type: 'float', low: 1e-4, high: 0.1, log: true },
    'train.weightDecay': { type: 'float', low: 0, high: 0.01, when: { 'train.optimizer': ['momentum'] } },
    'model.hidden': { type: 'layers', count: { low: 1, high: 2 }, width: { type: 'int', low: 8, high: 64, step: 8 } },
  });
  assert.deepEqual(s.params.map((p) => p.name), ['train.optimizer', 'train.lr', 'train.weightDecay', 'model.hidden.length', 'model.hidden[0]', 'model.hidden[1]']);
  assert.equal(isActive(s.params[2]!, { 'train.optimizer': 'adam' }), false);
  assert.equal(isActive(s.params[5]!, { 'model.hidden.length': 1 }), false);
  assert.equal(isActive(s.params[5]!, { 'model.hidden.length': 2 }), true);
  assert.equal(inDomain(s.params[4]!, 24), true);
  assert.equal(inDomain(s.params[4]!, 20), false);
  const o = toOverrides(s, { 'train.optimizer': 'adam', 'train.lr': 0.01, 'model.hidden.length': 2, 'model.hidden[0]': 16, 'model.hidden[1]': 8 });
  assert.deepEqual(o, { 'train.optimizer': 'adam', 'train.lr': 0.01, 'model.hidden': [16, 8] });
  assert.deepEqual(applyOverrides({ train: { lr: 1, seed: 3 } }, o), { train: { lr: 0.01, seed: 3, optimizer: 'adam' }, model: { hidden: [16, 8] } });
});

test('bad spaces are errors naming the key and what to do', () => {
  const bad: [unknown, RegExp][] = [
    [{}, /^space: expected an object of parameters/],
    [{ 'train.lr': { type: 'float', low: 0.1, high: 0.01 } }, /^space\.train\.lr: expected low < high, got low 0\.1 and high 0\.01$/],
    [{ 'train.lr': { type: 'float', low: 0, high: 1, log: true } }, /^space\.train\.lr\.low: a log range needs low > 0, got 0$/],
    [{ 'train.lr': { type: 'real', low: 0, high: 1 } }, /^space\.train\.lr\.type: expected one of int, float, categorical, layers, got "real"$/],
    [{ 'train.lr': { type: 'float', low: 0, high: 1, lgo: true } }, /^space\.train\.lr\.lgo: unknown key; allowed keys here: type, low, high, log, step, when$/],
    [{ 'train.epochs': { type: 'int', low: 1.5, high: 4 } }, /^space\.train\.epochs\.low: expected an integer, got 1\.5$/],
    [{ 'train.lr': { type: 'float', low: 0, high: 1, step: 0.3 } }, /^space\.train\.lr\.step: \(high - low\) \/ step must be a whole number/],
    [{ 'train.optimizer': { type: 'categorical', choices: [] } }, /^space\.train\.optimizer\.choices: expected a non-empty list/],
    [{ 'train.optimizer': { type: 'categorical', choices: ['a', 'a'] } }, /^space\.train\.optimizer\.choices: lists a value twice/],
    [{ 'train.weightDecay': { type: 'float', low: 0, high: 1, when: { 'train.optimizer': ['sgd'] } } }, /^space\.train\.weightDecay\.when\.train\.optimizer: names no parameter defined before this one; list the parameter it depends on first$/],
    [{ 'train.optimizer': { type: 'categorical', choices: ['adam'] }, 'train.weightDecay': { type: 'float', low: 0, high: 1, when: { 'train.optimizer': ['sgd'] } } }, /^space\.train\.weightDecay\.when\.train\.optimizer: "sgd" is not one of train\.optimizer's choices \("adam"\)$/],
    [{ 'model.hidden': { type: 'layers', count: { low: 1, high: 3 } } }, /^space\.model\.hidden\.width: expected a range like/],
    [{ 'model.hidden': { type: 'layers', count: { low: 1, high: 99 }, width: { type: 'int', low: 1, high: 4 } } }, /^space\.model\.hidden\.count\.high: expected at most 64 layers, got 99$/],
    [{ 'a b': { type: 'int', low: 1, high: 2 } }, /^space\.a b: expected a dotted config key like train\.lr$/],
  ];
  for (const [space, message] of bad) assert.throws(() => parseSpace(space), { message }, JSON.stringify(space));
});
