// The experiment plan of scripts/tune-experiments.ts: which experiments run on which task, their
// options from the command line, and the report (markdown sections and one JSON object).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Task, tasks, writeWineCsv } from './tasks.js';
import { type Say, ashaVsRandom, study, tpeVsRandom, tunedVsDefaults } from './experiments.js';

export type Experiment = 'tuned' | 'samplers' | 'asha';
export const EXPERIMENTS: readonly Experiment[] = ['tuned', 'samplers', 'asha'];

/** The experiments each task runs unless --experiments says otherwise. */
export const DEFAULT_PLAN: Readonly<Record<string, Experiment[]>> = {
  iris: ['tuned', 'samplers'], wine: ['tuned', 'samplers'], digits: ['tuned', 'samplers', 'asha'], fashion_mnist: ['tuned', 'asha'],
};

export interface RunOptions {
  quick: boolean;
  /** Task names (all four when empty). */
  only: string[];
  /** Sampler seeds of the TPE-vs-random and ASHA comparisons. */
  seeds: number;
  /** Fresh training seeds of the final evaluation (1..n). */
  evalSeeds: number;
  /** Replaces each task's DEFAULT_PLAN. */
  experiments: Experiment[] | null;
  /** Replaces the budget's trials per study (tuned-vs-defaults and TPE vs random). */
  trials: number | null;
  /** Replaces the budget's folds per trial (tuned-vs-defaults and TPE vs random; 1: the fixed validation split). */
  cv: number | null;
}

export interface RunReport { markdown: string[]; results: Record<string, Record<string, unknown>> }

/**
 * Parses the command line: `[--quick] [--only iris,wine] [--seeds 5] [--eval-seeds 10] [--trials N] [--cv K] [--experiments tuned,samplers,asha]`.
 * @example parseArgs(['--quick', '--only', 'iris']).only // ['iris']
 */
export function parseArgs(argv: readonly string[]): RunOptions {
  const o: RunOptions = { quick: false, only: [], seeds: 5, evalSeeds: 10, experiments: null, trials: null, cv: null };
  let evalSet = false, seedsSet = false;
  const names = tasks('').map((t) => t.name);
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!, value = (): string => { const v = argv[++i]; if (v === undefined) throw new Error(`${flag}: expected a value`); return v; };
    const count = (): number => { const v = value(); if (!/^\d+$/.test(v) || Number(v) < 1) throw new Error(`${flag} ${v}: expected an integer >= 1`); return Number(v); };
    if (flag === '--quick') o.quick = true;
    else if (flag === '--only') o.only = value().split(',').map((n) => { if (!names.includes(n)) throw new Error(`--only: unknown task ${JSON.stringify(n)}; tasks: ${names.join(', ')}`); return n; });
    else if (flag === '--seeds') { o.seeds = count(); seedsSet = true; }
    else if (flag === '--eval-seeds') { o.evalSeeds = count(); evalSet = true; }
    else if (flag === '--trials') o.trials = count();
    else if (flag === '--cv') o.cv = count();
    else if (flag === '--experiments') o.experiments = value().split(',').map((e) => { if (!EXPERIMENTS.includes(e as Experiment)) throw new Error(`--experiments: unknown experiment ${JSON.stringify(e)}; experiments: ${EXPERIMENTS.join(', ')}`); return e as Experiment; });
    else throw new Error(`unknown argument ${JSON.stringify(flag)}; usage: npx tsx scripts/tune-experiments.ts [--quick] [--only iris,wine] [--seeds 5] [--eval-seeds 10] [--trials N] [--cv K] [--experiments tuned,samplers,asha]`);
  }
  if (o.quick && !seedsSet) o.seeds = 2;
  if (o.quick && !evalSet) o.evalSeeds = 2;
  return o;
}

async function runTask(task: Task, plan: Experiment[], o: RunOptions, say: Say, report: RunReport): Promise<void> {
  const chosen = o.quick ? task.quick : task.full;
  const budget = { ...chosen, ...(o.trials === null ? {} : { trials: o.trials }), ...(o.cv === null ? {} : { cv: o.cv }) };
  const results: Record<string, unknown> = {};
  let tpe0 = null;
  if (plan.includes('tuned')) { // first, so its figures come early; its seed-0 TPE study is the samplers' seed 0
    tpe0 = await study(task, budget, 'tpe', 0, 'space', say);
    const r = await tunedVsDefaults(task, tpe0, o.evalSeeds, say);
    results.tuned = r.result;
    report.markdown.unshift(r.markdown);
    say(`done:\n${r.markdown}`);
  }
  if (plan.includes('samplers')) {
    const r = await tpeVsRandom(task, budget, o.seeds, say, tpe0);
    results.samplers = r.result;
    report.markdown.push(r.markdown);
    say(`done:\n${r.markdown}`);
  }
  if (plan.includes('asha')) {
    const r = await ashaVsRandom(task, budget, o.seeds, say);
    results.asha = r.result;
    report.markdown.push(r.markdown);
    say(`done:\n${r.markdown}`);
  }
  report.results[task.name] = results;
}

/**
 * Runs the chosen experiments task by task; markdown sections come per task (tuned first).
 * @example const report = await runExperiments(parseArgs(['--quick', '--only', 'iris']), console.error);
 */
export async function runExperiments(o: RunOptions, say: Say): Promise<RunReport> {
  const dir = mkdtempSync(join(tmpdir(), 'neurite-tune-exp-'));
  const report: RunReport = { markdown: [], results: {} };
  try {
    const all = tasks(await writeWineCsv(dir));
    for (const task of all.filter((t) => o.only.length === 0 || o.only.includes(t.name))) {
      const part: RunReport = { markdown: [], results: report.results };
      await runTask(task, o.experiments ?? DEFAULT_PLAN[task.name]!, o, say, part);
      report.markdown.push(...part.markdown);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return report;
}
