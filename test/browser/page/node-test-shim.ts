// `node:test` inside a browser page: records test()/after() calls so a suite written for Node's runner runs in Chromium.
type Fn = () => unknown;
interface Registered { name: string; skip?: string | boolean; fn: Fn }

const tests: Registered[] = [];
const afters: Fn[] = [];

/** Records a test (`test(name, fn)` or `test(name, { skip }, fn)`). */
export function test(name: string, a: Fn | { skip?: string | boolean }, b?: Fn): void {
  if (typeof a === 'function') tests.push({ name, fn: a });
  else tests.push({ name, skip: a.skip, fn: b! });
}

/** Records a hook run after every test. */
export function after(fn: Fn): void {
  afters.push(fn);
}

/** One test's outcome as the page reports it. */
export interface Outcome { name: string; status: 'pass' | 'fail' | 'skip'; detail?: string }

/**
 * Runs the recorded tests whose names match `filter`, in order, then the after() hooks.
 * @example const outcomes = await runRecorded(/^wasm/);
 */
export async function runRecorded(filter: RegExp = /./): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const t of tests.filter((x) => filter.test(x.name))) {
    if (t.skip) {
      outcomes.push({ name: t.name, status: 'skip', detail: String(t.skip) });
      continue;
    }
    try {
      await t.fn();
      outcomes.push({ name: t.name, status: 'pass' });
    } catch (err) {
      outcomes.push({ name: t.name, status: 'fail', detail: err instanceof Error ? err.message : String(err) });
    }
  }
  for (const fn of afters) await fn();
  return outcomes;
}
