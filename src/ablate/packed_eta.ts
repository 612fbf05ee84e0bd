// How long N workers take to finish what is left: the runs under way (each with its remaining
// seconds) and the queued runs (each with its estimated seconds), each queued run going, in the
// order the pool hands runs out, to the worker that frees up first; the ETA is when the last
// worker finishes. Dividing the remaining seconds by N reads low near the end: with one long run
// left it says half that run's time while the other worker has nothing to do. Packing in the
// pool's own order (plan order, not longest first) keeps the figure to what the pool will do.
//
// Each run's seconds are the cost model's (estimate.ts estimateRuns: its own stages, a shared
// stage charged to the first run that needs it) × poolSlowdown(N), then × the calibration the
// finished runs give. Session 10's ETA took the one-process total before a run had finished (no
// share for the other workers: 1 / 0.80 = 1.25 × high on 2 workers) and then the first finished
// runs' seconds per training step for every run, though runs differ several-fold per step (a
// 704-token connector run, a run that makes its CLIP stage against one that reuses it): it swung.

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
 * high, and finished runs correct it (EtaCalibration).
 */
export function poolSlowdown(workers: number): number {
  if (!Number.isSafeInteger(workers) || workers < 1) throw new Error(`workers must be a whole number ≥ 1, got ${workers}`);
  return workers === 1 ? 1 : workers * TWO_WORKER_WALL_RATIO;
}

/**
 * What the finished runs say about the predictions: their wall seconds ÷ the seconds predicted
 * for them when they started, summed (so a long run weighs more than a short one). 1 before any
 * run has finished. It absorbs the machine (load, core count) and the cost model's error, run
 * mix permitting: it is one factor for every run.
 */
export class EtaCalibration {
  private observedSeconds = 0;
  private predictedSeconds = 0;
  /** Runs observed. */
  runs = 0;

  observe(predicted: number, wall: number): void {
    if (!(predicted > 0) || !(wall >= 0)) throw new Error(`a finished run needs predicted > 0 and wall ≥ 0 seconds, got ${predicted} and ${wall}`);
    this.observedSeconds += wall;
    this.predictedSeconds += predicted;
    this.runs++;
  }

  /** Observed ÷ predicted seconds over the runs seen; 1 before any. */
  get factor(): number {
    return this.runs === 0 ? 1 : this.observedSeconds / this.predictedSeconds;
  }
}

/**
 * The pool's ETA: the runs under way (`predicted` seconds when they started, `elapsed` since) and
 * the queued runs' predicted seconds, every prediction × `factor`, packed onto `workers` workers.
 */
export function poolEtaSeconds(running: readonly { predicted: number; elapsed: number }[], queued: readonly number[], workers: number, factor: number): number {
  if (!(factor > 0)) throw new Error(`the calibration factor must be > 0, got ${factor}`);
  return packedSeconds(
    running.map((r) => r.predicted * factor - r.elapsed),
    queued.map((s) => s * factor),
    workers,
  );
}
