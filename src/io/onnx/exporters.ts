// The table of ONNX export rules, one per module class, and the walk that applies them to a module tree.
import { type Tensor, zeros } from '../../tensor/tensor.js';
import { noGrad } from '../../autograd/graph.js';
import type { Module, Params } from '../../nn/module.js';
import type { OnnxGraphBuilder, Value } from './builder.js';
import { addLayerRules } from './export-layers.js';
import { addConvRules } from './export-conv.js';
import { addRecurrentRules } from './export-recurrent.js';
import { addContainerRules } from './export-containers.js';
import { addHypernetRules } from './export-hypernet.js';
import { addQuantRules } from './export-quant.js';

/** What an export rule gets besides its module: the builder and a way to export children. */
export interface ExportContext {
  readonly b: OnnxGraphBuilder;
  /** Exports `m` (run with `params`) on `x`; `path` is its state-dict prefix ('' at the root). */
  emit(m: Module, params: Params, x: Value, path: string): Value;
  /** The state-dict name of parameter `key` of the module at `path`. */
  key(path: string, key: string): string;
  /**
   * A parameter's value name: by default an initializer named by its state-dict key; a hypernetwork
   * exported as a whole graph answers with the generated slice instead.
   */
  param(path: string, key: string, value: Tensor): string;
  /** A context whose `param` asks `override` first (a value name, or undefined for the default). */
  withParams(override: (path: string, key: string) => string | undefined): ExportContext;
  /** The task a 'task'-conditioned hypernetwork generates its exported target for (undefined: its current task). */
  readonly task?: number;
  /** Export hypernetworks as their whole graph (generator included) rather than the generated target. */
  readonly hypernetGraph?: boolean;
}

/** Export-wide settings the rules read. */
export interface ExportSettings { task?: number; hypernetGraph?: boolean }

/** Emits the nodes of one module on input `x` and returns the name of its output value. */
export type ExportRule<M extends Module = Module> = (m: M, params: Params, x: Value, path: string, ctx: ExportContext) => string;

/** Adds one rule to a table (the built-in lists in export-*.ts take one). */
export type AddRule = <M extends Module>(ctor: abstract new (...args: never[]) => M, rule: ExportRule<M>) => void;

type RuleTable = Map<abstract new (...args: never[]) => Module, ExportRule>;

/** The built-in rules, from the explicit lists of each module family. */
function builtinRules(): RuleTable {
  const table: RuleTable = new Map();
  const add: AddRule = (ctor, rule) => void table.set(ctor, rule as ExportRule);
  for (const addFamily of [addLayerRules, addConvRules, addRecurrentRules, addContainerRules, addHypernetRules, addQuantRules]) addFamily(add);
  return table;
}

// Exact constructors: a user's subclass (new behaviour) never silently inherits its parent's rule.
const rules: RuleTable = builtinRules();

/**
 * Registers the ONNX export rule of a module class of your own (matched by exact constructor).
 * @example registerOnnxRule(Square, (_m, _p, x, path, { b }) => b.node('Mul', [x.name, x.name], {}, path)[0]!);
 */
export function registerOnnxRule<M extends Module>(ctor: abstract new (...args: never[]) => M, rule: ExportRule<M>): void {
  rules.set(ctor, rule as ExportRule);
}

/** The type name used in messages (toJSON's type, else the class name). */
function typeOf(m: Module): string {
  try {
    return m.toJSON().type;
  } catch {
    return m.constructor.name;
  }
}

/** The shape `m` gives on `x` (run once on zeros of the probe batch; also checks the module runs there). */
function probe(m: Module, params: Params, x: Value, path: string): number[] {
  try {
    return [...noGrad(() => m.apply(params, zeros([...x.shape]))).shape];
  } catch (e) {
    throw new Error(`exportOnnx: module ${path || '(root)'} (${typeOf(m)}) fails on an input of shape [N, ${x.shape.slice(1).join(', ')}]: ${(e as Error).message}`, { cause: e });
  }
}

/**
 * An ExportContext over `b`: walks the tree, recording modules without a rule instead of stopping.
 * @example const out = exportContext(new OnnxGraphBuilder(17)).emit(net, net.params, { name: 'input', shape: [2, 4] }, '');
 */
export function exportContext(b: OnnxGraphBuilder, settings: ExportSettings = {}, override?: (path: string, key: string) => string | undefined): ExportContext {
  const ctx: ExportContext = {
    b, ...settings,
    key: (path, key) => (path ? `${path}.${key}` : key),
    param: (path, key, value) => override?.(path, key) ?? b.weight(ctx.key(path, key), value),
    withParams: (more) => exportContext(b, settings, (path, key) => more(path, key) ?? override?.(path, key)),
    emit(m, params, x, path) {
      const shape = probe(m, params, x, path);
      const rule = rules.get(m.constructor as abstract new (...args: never[]) => Module);
      if (!rule) {
        b.reject(path, typeOf(m), 'no ONNX export rule for this module type');
        return { name: b.fresh(`unsupported:${path}`), shape };
      }
      return { name: rule(m, params, x, path, ctx), shape };
    },
  };
  return ctx;
}

/** The module types with an export rule, sorted (for error messages and docs). @example supportedTypes().includes('Linear') // true */
export function supportedTypes(): string[] {
  return [...rules.keys()].map((c) => c.name).sort();
}
