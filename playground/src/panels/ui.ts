// Small DOM builders shared by the lecture panels: labelled controls, outputs, and a cancellable step loop.
import { yieldToEventLoop } from 'neurite';

type Attrs = Record<string, string | number | boolean | undefined>;

/** An element with attributes (`class`, `data-*`, `aria-*` …) and children. @example el('p', { class: 'note' }, 'hi') */
export function el<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === false) continue;
    e.setAttribute(k, v === true ? '' : String(v));
  }
  e.append(...children);
  return e;
}

/** A button calling `onClick`. @example button('Swap', () => swap(), { 'data-testid': 'swap' }) */
export function button(label: string, onClick: () => void, attrs: Attrs = {}): HTMLButtonElement {
  const b = el('button', { type: 'button', ...attrs }, label);
  b.addEventListener('click', onClick);
  return b;
}

let uid = 0;
/** A fresh id for label/for pairs. */
export function freshId(prefix: string): string {
  uid += 1;
  return `${prefix}-${uid}`;
}

/** A labelled <select>; `onChange` gets the chosen value. @example select('Preset', [['sigmoid', '6 × sigmoid']], v => …) */
export function select(label: string, options: readonly (readonly [string, string])[], onChange: (v: string) => void, attrs: Attrs = {}): { root: HTMLElement; input: HTMLSelectElement } {
  const id = freshId('sel');
  const input = el('select', { id, ...attrs }, ...options.map(([v, text]) => el('option', { value: v }, text)));
  input.addEventListener('change', () => onChange(input.value));
  return { root: el('span', { class: 'ctl' }, el('label', { for: id }, label), input), input };
}

/** A labelled checkbox. @example checkbox('clip ‖g‖ to 1', false, on => …) */
export function checkbox(label: string, checked: boolean, onChange: (on: boolean) => void, attrs: Attrs = {}): { root: HTMLElement; input: HTMLInputElement } {
  const id = freshId('chk');
  const input = el('input', { id, type: 'checkbox', checked, ...attrs });
  input.addEventListener('change', () => onChange(input.checked));
  return { root: el('span', { class: 'ctl' }, input, el('label', { for: id }, label)), input };
}

/** A labelled range slider showing its value. @example slider('N', 1, 100, 1, 10, v => …) */
export function slider(label: string, min: number, max: number, step: number, value: number, onInput: (v: number) => void, attrs: Attrs = {}): { root: HTMLElement; input: HTMLInputElement } {
  const id = freshId('rng');
  const input = el('input', { id, type: 'range', min, max, step, value, ...attrs });
  const shown = el('output', { for: id }, String(value));
  input.addEventListener('input', () => { shown.textContent = input.value; onInput(Number(input.value)); });
  return { root: el('span', { class: 'ctl' }, el('label', { for: id }, label), input, shown), input };
}

/** A canvas of CSS size w×h with an accessible description. */
export function canvas(w: number, h: number, label: string, attrs: Attrs = {}): HTMLCanvasElement {
  return el('canvas', { width: w, height: h, role: 'img', 'aria-label': label, ...attrs });
}

/** A cancellable loop: `step()` runs repeatedly, yielding to the page about every 16 ms, until it returns false or `stop()`. */
export interface Loop { stop(): void; readonly running: boolean; done: Promise<void> }

/** What {@link runLoop} runs. */
export interface LoopSpec {
  /** One unit of work; return false when finished. */
  step(): boolean;
  /** Drawing, after each batch of steps (about one frame's worth), so it stays off the per-step path. */
  frame(): void;
  /** A thrown step: shown by the panel (the loop stops). */
  onError(e: unknown): void;
}

/**
 * Runs `spec.step` until it returns false or the loop is stopped, yielding to the event loop after
 * each ~16 ms batch, so the page stays responsive while a panel trains.
 * @example const loop = runLoop({ step: () => trainer.step() > 0, frame: draw, onError: show });
 */
export function runLoop(spec: LoopSpec, budgetMs = 16): Loop {
  let stopped = false, running = true;
  const done = (async () => {
    try {
      while (!stopped) {
        const t0 = performance.now();
        let more = true;
        while (more && !stopped && performance.now() - t0 < budgetMs) more = spec.step();
        spec.frame();
        if (!more) break;
        await yieldToEventLoop();
      }
    } catch (e) {
      spec.onError(e);
    } finally {
      running = false;
    }
  })();
  return { stop: () => { stopped = true; }, get running() { return running; }, done };
}

/** An error as one line for a panel's status text. */
export function errorText(e: unknown): string {
  return e instanceof Error ? `${e.name}: ${e.message}` : String(e);
}
