// Assembles report.html's input from a finished `neurite train` run: header facts, config, layer
// summary, test-set views of the kept model, and the gradient-flow heat map with layer names.
import { arch, cpus, platform } from 'node:os';
import type { Module } from '../../../nn/module.js';
import type { ModelBundle } from '../../../io/model.js';
import type { GradientFlowRecord } from '../../../train/gradient-flow.js';
import { gradientNormSvg, layerLabel } from '../../../train/gradient-flow.js';
import type { RunStatus } from '../run-folder.js';
import type { RunData } from '../data-source.js';
import { layerRows } from '../../../analysis/layer-rows.js';
import { testViews, type TestViews } from './evaluation.js';
import type { RunHeader } from './sections.js';

/** What a run hands the report beyond history and metrics. */
export interface RunReportContext {
  dir: string;
  status: RunStatus;
  config: unknown;
  model: Module;
  data: RunData;
  /** The kept model (absent when a run diverged before its first epoch). */
  final?: ModelBundle;
  seconds: number;
  backend: string;
  flow: readonly GradientFlowRecord[];
}

/** This machine in one line: `2 × AMD EPYC 7B13, linux x64, Node v20.20.0`. */
function machine(): string {
  const cores = cpus();
  return `${cores.length} × ${cores[0]?.model.trim() ?? 'unknown CPU'}, ${platform()} ${arch()}, Node ${process.version}`;
}

/** The task as the report names it: the head kind (binary, multiclass, regression, vector_regression). */
const taskOf = (b: ModelBundle | undefined, data: RunData): string => b?.head.toJSON().kind ?? data.task;

/**
 * Header, config, layers, test views and gradient-flow SVG for reportHtml.
 * @example reportHtml({ title: 'run', history: result.history, metric: 'accuracy', metrics: { test: { accuracy: 0.9 } }, ...runReportParts(ctx) })
 */
export function runReportParts(c: RunReportContext): { header: RunHeader; config: unknown; layers?: [string, string, number][]; views?: TestViews; gradientSvg?: string } {
  const { data } = c;
  const header: RunHeader = {
    folder: c.dir, status: c.status.status, epochs: c.status.epochs, seconds: c.seconds, task: taskOf(c.final, data), dataset: data.name, backend: c.backend, machine: machine(),
    ...('reason' in c.status && c.status.reason ? { reason: c.status.reason } : {}),
    sizes: { train: data.train.x.shape[0]!, validation: data.val?.x.shape[0] ?? 0, test: data.test.x.shape[0]! },
  };
  const layers = summaryRows(c.model, c.final, data);
  const views = c.final ? testViews(c.final, data.test, data.classNames ?? []) : undefined;
  return {
    header, config: c.config, ...(layers ? { layers } : {}), ...(views ? { views } : {}),
    ...(c.flow.length ? { gradientSvg: gradientNormSvg(c.flow, { labels: (l) => layerLabel(c.model, l) }) } : {}),
  };
}

/** The layer table on two (scaled) training rows; undefined when the model cannot be run layer by layer. */
function summaryRows(model: Module, final: ModelBundle | undefined, data: RunData): [string, string, number][] | undefined {
  const x = data.train.x.slice([0], [Math.min(2, data.train.x.shape[0]!)]);
  try {
    return layerRows(model, final?.scaler ? final.scaler.transform(x) : x);
  } catch {
    return undefined; // e.g. a hypernetwork conditioned on part of its input: the summary is left out, not guessed
  }
}
