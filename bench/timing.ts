// Benchmark timing helper: warm-up, then the median rate over several timed chunks of steps.

/** What {@link medianRate} measured. */
export interface RateResult {
  /** Median steps per second over the chunks. */
  median: number;
  /** Every chunk's rate, sorted ascending. */
  chunks: number[];
  /** Steps per chunk. */
  stepsPerChunk: number;
}

/**
 * Runs `step` for at least `warmupMs` (and 3 calls), sizes a chunk to ~`chunkMs`, then times
 * `chunks` chunks; rate = steps / seconds per chunk, reported as the median (robust to noisy neighbours).
 *
 * @example
 * const r = await medianRate(() => trainStep(), { chunks: 7 });
 * console.log(r.median, 'steps/s');
 */
export async function medianRate(
  step: () => void | Promise<void>,
  opts: { warmupMs?: number; chunkMs?: number; chunks?: number } = {},
): Promise<RateResult> {
  const warmupMs = opts.warmupMs ?? 500, chunkMs = opts.chunkMs ?? 400, nChunks = opts.chunks ?? 7;
  const t0 = performance.now();
  let warm = 0;
  while (warm < 3 || performance.now() - t0 < warmupMs) { await step(); warm++; }
  const per = (performance.now() - t0) / warm;
  const stepsPerChunk = Math.max(1, Math.round(chunkMs / per));
  const rates: number[] = [];
  for (let c = 0; c < nChunks; c++) {
    const s = performance.now();
    for (let i = 0; i < stepsPerChunk; i++) await step();
    rates.push((stepsPerChunk * 1000) / (performance.now() - s));
  }
  rates.sort((a, b) => a - b);
  return { median: rates[Math.floor(nChunks / 2)]!, chunks: rates, stepsPerChunk };
}

/** Rounds to 3 significant figures for the JSON line. @example sig(1234.5) // 1230 */
export function sig(v: number): number {
  return Number(v.toPrecision(3));
}
