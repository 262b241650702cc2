// The benchmark page: times MLP epochs on each backend in Chromium (bundled and served by bench/browser/run.ts).
import { prepareBackends, timeEpochs, type EpochFigure } from './workload.js';

const params = new URL(location.href).searchParams;
const epochs = Number(params.get('epochs') ?? '3');
const out: { isolated: boolean; figures: EpochFigure[]; missing: string[]; error?: string; userAgent: string } = {
  isolated: globalThis.crossOriginIsolated, figures: [], missing: [], userAgent: navigator.userAgent,
};
try {
  const { names, missing } = await prepareBackends();
  out.missing = missing;
  for (const name of names) out.figures.push(timeEpochs(name, epochs, () => performance.now()));
} catch (err) {
  out.error = err instanceof Error ? `${err.message}\n${err.stack}` : String(err);
}
(globalThis as { bench?: unknown }).bench = out;
