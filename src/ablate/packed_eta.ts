// How long N workers take to finish what is left: the runs under way (each with its remaining
// seconds) and the queued runs (each with its estimated seconds), each queued run going, in the
// order the pool hands runs out, to the worker that frees up first; the ETA is when the last
// worker finishes. Dividing the remaining seconds by N reads low near the end: with one long run
// left it says half that run's time while the other worker has nothing to do. Packing in the
// pool's own order (plan order, not longest first) keeps the figure to what the pool will do.

/**
 * Seconds until `workers` workers have finished `running` (seconds left of each run under way, at
 * most one per worker) and then `queued` (seconds of each run not started, in hand-out order).
 */
export function packedSeconds(running: readonly number[], queued: readonly number[], workers: number): number {
  if (!Number.isSafeInteger(workers) || workers < 1) throw new Error(`workers must be a whole number ≥ 1, got ${workers}`);
  if (running.length > workers) throw new Error(`${running.length} runs under way on ${workers} workers: each worker runs one run at a time`);
  const freeAt = [...running.map((s) => Math.max(0, s)), ...Array<number>(workers - running.length).fill(0)];
  for (const seconds of queued) {
    const first = freeAt.indexOf(Math.min(...freeAt));
    freeAt[first] += seconds;
  }
  return Math.max(...freeAt);
}

/**
 * Two one-thread workers finish two equal runs in 0.80 of the wall one two-thread process takes
 * for them (docs/performance.md, `bench/study_workers.ts`, idle 2-core machine), so each run takes
 * 2 × 0.80 = 1.6 × its one-process time beside the other.
 */
export const TWO_WORKER_WALL_RATIO = 0.8;

/**
 * How much longer a run takes in a pool of `workers` workers than alone in one process (the cost
 * model's seconds): 1 for one worker; for N ≥ 2, N × 0.80, i.e. the pool does 1 / 0.80 of one
 * process's work per second whatever N. Measured for N = 2 on 2 cores only: on more cores it reads
 * high, and finished runs correct it (EtaEstimator's calibration).
 */
export function poolSlowdown(workers: number): number {
  if (!Number.isSafeInteger(workers) || workers < 1) throw new Error(`workers must be a whole number ≥ 1, got ${workers}`);
  return workers === 1 ? 1 : workers * TWO_WORKER_WALL_RATIO;
}
