// Training progress for the terminal: a live bar per epoch on a TTY, one plain line per epoch otherwise.
import type { Callback, EpochLog, TrainContext } from '../../train/callbacks.js';

const fmt = (v: number | undefined): string => (v === undefined ? '-' : Math.abs(v) >= 1e6 ? v.toExponential(3) : Math.abs(v) >= 100 ? v.toFixed(1) : v.toFixed(4));

/** One line summarising an epoch: loss, main metric, validation figures, time. */
export function epochLine(log: EpochLog, epochs: number, metric: string): string {
  const parts = [`epoch ${String(log.epoch).padStart(String(epochs).length)}/${epochs}`, `loss ${fmt(log.loss)}`];
  if (log.metrics[metric] !== undefined) parts.push(`${metric} ${fmt(log.metrics[metric])}`);
  if (log.valLoss !== undefined) parts.push(`val_loss ${fmt(log.valLoss)}`);
  if (log.valMetrics?.[metric] !== undefined) parts.push(`val_${metric} ${fmt(log.valMetrics[metric])}`);
  parts.push(`${log.ms} ms`);
  return parts.join('  ');
}

/**
 * Progress output as a callback. On a TTY it redraws `[=====>    ] 12/45 loss 0.31 ETA 2s` while an
 * epoch runs (loss: the running mean of the epoch's batch losses so far); in pipes and CI it prints
 * only the per-epoch lines (loss: the epoch's mean training loss).
 * @example fit({ model, head, optimizer, x, y, callbacks: [progressCallback((s) => process.stderr.write(s), true, 'accuracy')] });
 */
export function progressCallback(write: (s: string) => void, isTTY: boolean, metric: string): Callback {
  let start = 0, last = 0, lossSum = 0, seen = 0;
  return {
    onEpochBegin() { start = Date.now(); last = 0; lossSum = 0; seen = 0; },
    onBatchEnd(ctx: TrainContext) {
      // The running mean of this epoch's batch losses (the last batch alone is noise).
      lossSum += ctx.batchLoss; seen++;
      if (!isTTY) return;
      const now = Date.now();
      if (now - last < 100 && ctx.batch < ctx.batches) return;
      last = now;
      const done = ctx.batch, width = 24;
      const filled = Math.round((done / ctx.batches) * width);
      const eta = ((now - start) / done) * (ctx.batches - done) / 1000;
      const bar = '='.repeat(Math.max(0, filled - 1)) + (filled > 0 ? '>' : '') + ' '.repeat(width - filled);
      write(`\r\x1b[Kepoch ${ctx.epoch}/${ctx.epochs} [${bar}] ${done}/${ctx.batches} loss ${fmt(lossSum / seen)} ETA ${eta.toFixed(1)}s`);
    },
    onEpochEnd(ctx: TrainContext, log: EpochLog) {
      write(`${isTTY ? '\r\x1b[K' : ''}${epochLine(log, ctx.epochs, metric)}\n`);
    },
  };
}
