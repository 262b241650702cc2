// The control panel: labelled selects, sliders and checkboxes bound to state fields, shown only where they apply.
import type { PlaygroundState } from './host.js';
import { BOUNDARY_FNS, DATASETS } from './datasets.js';

type S = PlaygroundState;
type Set = (patch: Partial<S>) => void;
interface Binding { update(s: S): void }

let uid = 0;
function labelled(text: string, input: HTMLElement, hint = ''): HTMLElement {
  const id = `c${++uid}`;
  input.id = id;
  const row = document.createElement('div');
  row.className = 'control';
  const label = document.createElement('label');
  label.htmlFor = id; label.textContent = text;
  row.append(label, input);
  if (hint) { const h = document.createElement('span'); h.className = 'muted hint'; h.textContent = hint; row.append(h); }
  return row;
}

/** A bank of controls with a visibility rule each. */
export class Controls {
  readonly root = document.createElement('div');
  private bindings: Binding[] = [];

  constructor(private readonly set: Set) {
    this.root.className = 'controls';
  }

  /** A fieldset with a legend; `visible` decides when it shows. */
  group(legend: string, visible: (s: S) => boolean = () => true): HTMLFieldSetElement {
    const fs = document.createElement('fieldset'), lg = document.createElement('legend');
    lg.textContent = legend; fs.append(lg);
    this.root.append(fs);
    this.bindings.push({ update: (s) => { fs.hidden = !visible(s); } });
    return fs;
  }

  select<K extends keyof S>(parent: HTMLElement, text: string, key: K, options: (s: S) => Array<[string, string]>, visible: (s: S) => boolean = () => true): void {
    const sel = document.createElement('select');
    sel.dataset.key = String(key);
    const row = labelled(text, sel);
    parent.append(row);
    sel.onchange = () => {
      const v = typeof this.lastState?.[key] === 'number' ? Number(sel.value) : sel.value;
      this.set({ [key]: v } as Partial<S>);
    };
    let shown = '';
    this.bindings.push({
      update: (s) => {
        const opts = options(s), sig = JSON.stringify(opts);
        if (sig !== shown) { sel.replaceChildren(...opts.map(([v, t]) => Object.assign(document.createElement('option'), { value: v, textContent: t }))); shown = sig; }
        sel.value = String(s[key]);
        row.hidden = !visible(s);
      },
    });
  }

  range<K extends keyof S>(parent: HTMLElement, text: string, key: K, min: number, max: number, step: number, opts: { log?: boolean; visible?: (s: S) => boolean; fmt?: (v: number) => string } = {}): void {
    const input = document.createElement('input');
    input.type = 'range'; input.dataset.key = String(key);
    const toSlider = (v: number) => (opts.log ? Math.log10(v) : v), fromSlider = (v: number) => (opts.log ? Number((10 ** v).toPrecision(2)) : v);
    input.min = String(toSlider(min)); input.max = String(toSlider(max)); input.step = String(opts.log ? 0.05 : step);
    const out = document.createElement('output');
    const row = labelled(text, input);
    row.append(out);
    parent.append(row);
    const fmt = opts.fmt ?? ((v: number) => String(v));
    input.oninput = () => { out.textContent = fmt(fromSlider(Number(input.value))); };
    input.onchange = () => this.set({ [key]: fromSlider(Number(input.value)) } as Partial<S>);
    this.bindings.push({
      update: (s) => {
        const v = s[key] as number;
        input.value = String(toSlider(v)); out.textContent = fmt(v);
        input.setAttribute('aria-valuetext', fmt(v));
        row.hidden = !(opts.visible?.(s) ?? true);
      },
    });
  }

  checkbox<K extends keyof S>(parent: HTMLElement, text: string, key: K, visible: (s: S) => boolean = () => true): void {
    const input = document.createElement('input');
    input.type = 'checkbox'; input.dataset.key = String(key);
    const row = labelled(text, input);
    row.classList.add('check');
    parent.append(row);
    input.onchange = () => this.set({ [key]: input.checked } as Partial<S>);
    this.bindings.push({ update: (s) => { input.checked = Boolean(s[key]); row.hidden = !visible(s); } });
  }

  private lastState: S | null = null;
  /** Shows the state's values (and hides what does not apply). */
  update(s: S): void {
    this.lastState = s;
    for (const b of this.bindings) b.update(s);
  }
}

const opt = (...names: string[]): Array<[string, string]> => names.map((n) => [n, n]);
const adaptive = (s: S) => ['adam', 'adamw', 'nadam', 'adamax'].includes(s.optimizer);

/** Builds every control of the playground. @example const c = buildControls(set); c.update(state) */
export function buildControls(set: Set): Controls {
  const c = new Controls(set);
  const data = c.group('Data');
  c.select(data, 'Problem', 'problem', () => [['binary', 'Binary classification'], ['multiclass', 'Multiclass (3–5 classes)'], ['regression', 'Regression']]);
  c.select(data, 'Dataset', 'dataset', (s) => DATASETS[s.problem].map((d) => [d.name, d.label]));
  c.select(data, 'Boundary f(x)', 'boundaryFn', () => Object.keys(BOUNDARY_FNS).map((k) => [k, { sin: '3 sin x', parabola: 'x²/4 − 3', cubic: '0.03 x³', abs: '|x| − 2' }[k]!]), (s) => s.dataset === 'boundary');
  c.select(data, 'Classes', 'classes', () => opt('3', '4', '5'), (s) => s.problem === 'multiclass');
  c.range(data, 'Noise', 'noise', 0, 50, 5, { fmt: (v) => `${v}%` });
  c.range(data, 'Training data', 'trainRatio', 10, 90, 10, { fmt: (v) => `${v}%` });
  c.range(data, 'Seed', 'seed', 0, 20, 1);

  const train = c.group('Training');
  c.range(train, 'Learning rate', 'learningRate', 1e-4, 3, 0, { log: true });
  c.range(train, 'Batch size', 'batchSize', 1, 30, 1);
  c.select(train, 'Optimizer', 'optimizer', () => [['sgd', 'SGD'], ['momentum', 'Momentum'], ['nesterov', 'Nesterov'], ['adagrad', 'Adagrad'], ['rmsprop', 'RMSprop'], ['adam', 'Adam'], ['adamw', 'AdamW'], ['nadam', 'Nadam'], ['adamax', 'AdaMax']]);
  c.range(train, 'Momentum μ', 'momentum', 0, 0.99, 0.01, { visible: (s) => s.optimizer === 'momentum' || s.optimizer === 'nesterov' });
  c.range(train, 'β₁', 'beta1', 0, 0.99, 0.01, { visible: adaptive });
  c.range(train, 'β₂', 'beta2', 0.9, 0.9999, 0.0001, { visible: adaptive });
  c.range(train, 'RMSprop α', 'rmsAlpha', 0.5, 0.999, 0.001, { visible: (s) => s.optimizer === 'rmsprop' });
  c.range(train, 'ε', 'eps', 1e-10, 1e-2, 0, { log: true, visible: (s) => s.optimizer !== 'sgd' && s.optimizer !== 'momentum' && s.optimizer !== 'nesterov' });
  c.range(train, 'Weight decay', 'weightDecay', 0, 0.5, 0.005, { visible: (s) => s.optimizer === 'adamw' });
  c.select(train, 'Regularization', 'regularization', () => [['none', 'None'], ['l1', 'L1'], ['l2', 'L2']]);
  c.range(train, 'Regularization rate', 'regRate', 0, 0.1, 0.001, { visible: (s) => s.regularization !== 'none' });
  c.range(train, 'Clip gradient norm', 'clipNorm', 0, 10, 0.1, { fmt: (v) => (v === 0 ? 'off' : String(v)) });

  const net = c.group('Network');
  c.select(net, 'Initialisation', 'init', () => [['he', 'He (Kaiming)'], ['glorot', 'Glorot (Xavier)'], ['lecun', 'LeCun'], ['uniform', 'Uniform ±0.5']]);
  c.checkbox(net, 'Batch norm', 'batchNorm');
  c.checkbox(net, 'Residual links', 'residual');
  c.range(net, 'Dropout', 'dropout', 0, 0.8, 0.05, { fmt: (v) => (v === 0 ? 'off' : String(v)) });

  const head = c.group('Head and loss');
  c.select(head, 'Binary loss', 'binaryLoss', () => [['bce', 'sigmoid + cross-entropy'], ['hinge', 'hinge on raw scores']], (s) => s.problem === 'binary');
  c.select(head, 'Multiclass loss', 'multiclassLoss', () => [['cross_entropy', 'softmax + cross-entropy'], ['multi_margin', 'multiclass hinge']], (s) => s.problem === 'multiclass');
  c.range(head, 'Temperature τ', 'temperature', 0.1, 10, 0, { log: true, visible: (s) => s.problem === 'multiclass' });
  c.select(head, 'Output', 'regressionActivation', () => [['identity', 'identity'], ['relu', 'ReLU'], ['softplus', 'softplus'], ['tanh', 'tanh rescaled to [a, b]']], (s) => s.problem === 'regression');
  c.range(head, 'a', 'rangeA', -3, 0, 0.1, { visible: (s) => s.problem === 'regression' && s.regressionActivation === 'tanh' });
  c.range(head, 'b', 'rangeB', 0.1, 3, 0.1, { visible: (s) => s.problem === 'regression' && s.regressionActivation === 'tanh' });
  c.select(head, 'Regression loss', 'regressionLoss', () => [['mse', 'MSE'], ['mae', 'MAE'], ['huber', 'Huber (δ = 1)']], (s) => s.problem === 'regression');

  const view = c.group('View');
  c.checkbox(view, 'Show test data', 'showTest');
  c.checkbox(view, 'Discretize output', 'discretize');
  return c;
}
