// How long N workers take to finish what is left: the runs under way (each with its remaining
// seconds) and the queued runs (each with its estimated seconds), each queued run going, in the
// order the pool hands runs out, to the worker that frees up first; the ETA is when the last
// worker finishes. Dividing the remaining seconds by N reads low near the end: with one long run
// left it says half that run's time while the other worker has nothing to do. Packing in the
// pool's own order (plan order, not longest first) keeps the figure to what the pool will do.
//
// Each run's seconds are the cost model's (estimate.ts estimateRuns: its own stages, a shared
// stage charged to the first run that needs it) × poolSlowdown(N), then × the calibration the
// finished runs give, the recent ones weighing more (EtaCalibration). Session 10's ETA took the
// one-process total before a run had finished (no share for the other workers: 1 / 0.80 = 1.25 ×
// high on 2 workers) and then the first finished runs' seconds per training step for every run,
// though runs differ several-fold per step (a 704-token connector run, a run that makes its CLIP
// stage against one that reuses it): it swung.
// The one-process path (run_study.ts) is this pool with one worker: packing is then the sum.
import { BASE_STAGE_SECONDS, estimateRuns } from './estimate.js';
import { fmtDuration } from './format.js';
import type { AblationRunConfig, RunResult } from './runner.js';
import type { Scale } from './study.js';

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
 * How many later finished runs halve a finished run's weight in EtaCalibration. Sessions 11–12: a
 * pool's first runs are slow (two CLIP-making runs beside each other, a loaded machine), and a plain
 * sum kept them for the whole study (ETA ~1.4 × the time left on mixture). Fixed at 3 from the
 * code before the replay; bench/eta_replay.ts: median |ln(ETA ÷ truth)| over the recorded studies
 * 0.86 × the plain sum's, by a rule written before it ran (docs/ablate.md).
 */
export const CALIBRATION_HALF_LIFE_RUNS = 3;

/**
 * Whether a finished run's wall time says how fast the pool runs: only a run done in one attempt.
 * A run resumed from an earlier session's checkpoints is priced as a whole run but finishes in
 * part of one (session 13: a resumed 23-minute run "done in 3m04s" pulled a 3h38m ETA to 51 min),
 * so it does not calibrate. Runners that do not count attempts (no `extra.attempts`) calibrate.
 */
export function calibratesEta(result: RunResult | undefined): boolean {
  const attempts = result?.extra?.attempts;
  return typeof attempts !== 'number' || attempts <= 1;
}

/**
 * What the finished runs say about the predictions: their wall seconds ÷ the seconds predicted
 * for them when they started, each summed with weight 2^(−age / 3), age 0 for the run finished
 * last (so a long run weighs more than a short one, and a run three runs back half as much as the
 * last). 1 before any run has finished. It absorbs the machine (load, core count) and the cost
 * model's error as they are now, run mix permitting: it is one factor for every run.
 */
export class EtaCalibration {
  private observedSeconds = 0;
  private predictedSeconds = 0;
  /** Runs observed. */
  runs = 0;

  observe(predicted: number, wall: number): void {
    if (!(predicted > 0) || !(wall >= 0)) throw new Error(`a finished run needs predicted > 0 and wall ≥ 0 seconds, got ${predicted} and ${wall}`);
    // Every run seen so far ages by one: its weight × 2^(−1/3), both sums alike, so the ratio is the weighted one.
    const keep = 2 ** (-1 / CALIBRATION_HALF_LIFE_RUNS);
    this.observedSeconds = this.observedSeconds * keep + wall;
    this.predictedSeconds = this.predictedSeconds * keep + predicted;
    this.runs++;
  }

  /** Weighted observed ÷ weighted predicted seconds over the runs seen; 1 before any. */
  get factor(): number {
    return this.runs === 0 ? 1 : this.observedSeconds / this.predictedSeconds;
  }
}

/**
 * The pool's ETA: the runs under way (`predicted` seconds when they started, `elapsed` since) and
 * the queued runs' predicted seconds, every prediction × `factor`, packed onto `workers` workers.
 */
export function poolEtaSeconds(running: readonly { predicted: number; elapsed: number }[], queued: readonly number[], workers: number, factor: number): number {
  // 0 is possible: runs that took no measurable time (a stand-in runner) say the rest takes none.
  if (!(factor >= 0)) throw new Error(`the calibration factor must be ≥ 0, got ${factor}`);
  return packedSeconds(
    running.map((r) => r.predicted * factor - r.elapsed),
    queued.map((s) => s * factor),
    workers,
  );
}

/**
 * Cost-model seconds of each of `runs` on a worker beside `workers` − 1 others, handed out in this
 * order after `before` (the runs under way): a shared stage is charged to the first of `before`
 * and `runs` that needs it, and to none when a `done` run made it (estimate.ts estimateRuns).
 */
export function predictRuns(
  before: readonly AblationRunConfig[],
  runs: readonly AblationRunConfig[],
  done: readonly AblationRunConfig[],
  scale: Scale,
  workers: number,
): number[] {
  const slowdown = poolSlowdown(workers);
  return estimateRuns([...before, ...runs], done, scale)
    .slice(before.length)
    .map((s) => s * slowdown);
}

/** What a worker process spends before its first run generating the evaluation items, beside `workers` − 1 others. */
export function coldStartSeconds(workers: number): number {
  return BASE_STAGE_SECONDS.evalItems * poolSlowdown(workers);
}

/**
 * A run's price as it starts (uncalibrated; EtaCalibration later compares it with the wall): its
 * cost-model seconds after the runs under way (`before`), plus the evaluation items when its worker
 * process is `cold` (has not run a run yet). The pool and the one-process path both price runs so.
 */
export function predictStart(
  before: readonly AblationRunConfig[],
  run: AblationRunConfig,
  done: readonly AblationRunConfig[],
  scale: Scale,
  workers: number,
  cold: boolean,
): number {
  return predictRuns(before, [run], done, scale, workers)[0] + (cold ? coldStartSeconds(workers) : 0);
}

/** What the pool (or one process: `workers` 1) has left, as the ETA prices it. */
export interface PoolState {
  /** Runs under way: their configs, their predicted seconds when they started (uncalibrated) and the seconds since. */
  running: readonly { config: AblationRunConfig; predicted: number; elapsed: number }[];
  /** Idle workers whose process has not run a run yet: each generates the evaluation items before its first queued run. */
  coldWorkers: number;
  /** Runs not started, in hand-out order. */
  queued: readonly AblationRunConfig[];
  /** Finished runs (cached or run now): the shared stages they made are not charged again. */
  done: readonly AblationRunConfig[];
}

/**
 * The ETA of every path, from one formula: the queued runs priced in hand-out order after the runs
 * under way (predictRuns), a cold idle worker's item generation ahead of its queue, all × `factor`
 * (EtaCalibration), packed onto the workers. `--dry-run`'s pool figure is this with nothing under
 * way, every worker cold and factor 1: the live pool's first ETA.
 */
export function stateEtaSeconds(state: PoolState, scale: Scale, workers: number, factor: number): number {
  const cold = state.queued.length > 0 ? state.coldWorkers : 0;
  return poolEtaSeconds(
    [...state.running, ...Array.from({ length: cold }, () => ({ predicted: coldStartSeconds(workers), elapsed: 0 }))],
    predictRuns(
      state.running.map((r) => r.config),
      state.queued,
      state.done,
      scale,
      workers,
    ),
    workers,
    factor,
  );
}

/**
 * The ETA on a progress line, the same words on every path: `~` and the reason until a run of this
 * invocation has finished (`calibrated`); `pool` names the workers the cost model was priced for.
 */
export function etaWords(seconds: number, calibrated: boolean, pool?: number): string {
  const forPool = pool !== undefined ? ` for ${pool} worker${pool === 1 ? '' : 's'}` : '';
  return calibrated ? `ETA ${fmtDuration(seconds)}` : `ETA ~${fmtDuration(seconds)} (cost model${forPool} until a run finishes)`;
}
