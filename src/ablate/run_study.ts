// Runs a study: every variant × seed, one at a time (the machine has 2 cores and each run
// already uses both), reusing cached runs, then aggregates, judges MM1's claims and writes the
// report. A failing run stops the study; finished runs stay cached, so rerunning the same
// command continues where it stopped. A run another worker holds (run_lock.ts: e.g. a
// scheduler running the plan's commands on the same cache) is waited for, not run twice.
// `reportOnly` runs nothing: the report is assembled from the finished runs and names the rest.
import { setTimeout as sleep } from 'node:timers/promises';
import { aggregate, type AggregatedResults, type RunRecord } from './aggregate.js';
import { codeSalt, defaultCacheDir, RunCache } from './cache.js';
import { fmtDuration } from './format.js';
import { evalSeedOf, planRuns, seedList, type PlannedRun } from './plan.js';
import { writeStudyReport, type EvaluatedClaim, type MissingRun, type ReportFiles } from './report.js';
import { runOne, type RunToDo } from './run_one.js';
import { describeOwner, lockOwner, type LockOwner } from './run_lock.js';
import type { Runner } from './runner.js';
import { calibratesEta, EtaCalibration, etaWords, predictStart, stateEtaSeconds, type PoolState } from './packed_eta.js';
import type { Scale, Study } from './study.js';

export type StudyEvent =
  /** A run whose result.json already exists. */
  | { type: 'cached'; index: number; total: number; run: PlannedRun; wallSeconds: number }
  | { type: 'start'; index: number; total: number; run: PlannedRun; etaSeconds?: number; etaCalibrated?: boolean }
  /** Another worker holds the run; this one waits for its result. */
  | { type: 'waiting'; index: number; total: number; run: PlannedRun; owner: LockOwner }
  | { type: 'done'; index: number; total: number; run: PlannedRun; wallSeconds: number; etaSeconds?: number; etaCalibrated?: boolean };

export interface RunStudyOptions {
  scale: Scale;
  /** Output directory: report.md, report.html, figures/, study.json (and runs/<key>/ unless cacheDir is set). */
  outDir: string;
  /** Where runs are cached, one directory per run (default <outDir>/runs); studies may share one. */
  cacheDir?: string;
  /** Trains and evaluates one run; not needed with `reportOnly`. */
  runner?: Runner;
  /** Run nothing: report on the finished runs and list the missing ones. */
  reportOnly?: boolean;
  /** Seeds per variant (default: the study's count for the scale). */
  seeds?: number;
  /** First training seed (default 0): seeds are firstSeed … firstSeed + seeds − 1. */
  firstSeed?: number;
  /** Overrides the study's eval seed (default: the variants' `eval.seed`, 0). */
  evalSeed?: number;
  /** Cache salt (default codeSalt()): changing it makes every run fresh. */
  salt?: string;
  /** The command shown in the report (default: the equivalent `mm1 ablate` command). */
  command?: string;
  onEvent?: (e: StudyEvent) => void;
  /** Runner log lines (they also go to <runDir>/run.log). */
  onLog?: (run: PlannedRun, msg: string) => void;
  /** Clock for the report date (tests pin it). */
  now?: () => Date;
  /** How often to look again at a run another worker holds (default 10 s). */
  pollMs?: number;
  /**
   * Runs this invocation's worker processes finished (workers.ts): the report counts them as run
   * now, not as cached. Without it every run found finished counts as cached.
   */
  freshKeys?: ReadonlySet<string>;
  /** When this invocation began (Date.now()), for the report's elapsed time; default: now. */
  startedAt?: number;
  /** Milliseconds now, for the runs' wall times (the ETA's calibration) and the elapsed time (default Date.now; tests drive it). */
  clock?: () => number;
}

export interface StudyOutcome {
  results: AggregatedResults;
  claims: EvaluatedClaim[];
  runs: RunRecord[];
  freshRuns: number;
  cachedRuns: number;
  /** Sum of the runs' own wall times, cached ones included: what the numbers cost. */
  computeSeconds: number;
  /** Wall time of this invocation. */
  elapsedSeconds: number;
  /** Runs without a result (only with reportOnly). */
  missing: MissingRun[];
  files: ReportFiles;
}

/** What a worker needs to run one planned run, and what config.json records about it. */
export function runToDo(study: Study, scale: Scale, run: PlannedRun, salt: string): RunToDo {
  return {
    key: run.key,
    identity: { config: run.variant.config, seed: run.seed, salt },
    about: { study: study.name, scale, variant: run.variant.id, axes: run.variant.axes },
  };
}

/** Records each run's config in the cache (config.json), which is all `mm1 ablate run <key>` reads: what --plan and --workers do first. */
export function recordRuns(study: Study, scale: Scale, plan: readonly PlannedRun[], salt: string, cache: RunCache): void {
  for (const run of plan) {
    const todo = runToDo(study, scale, run, salt);
    cache.begin(todo.key, todo.identity, todo.about);
  }
}

/** `s` as one word for a POSIX shell: as is when it is plain, else in single quotes. */
export function shellWord(s: string): string {
  return /^[\w./:@=-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The `mm1 ablate` command that reproduces a study, with every choice spelled out. */
export function ablateCommand(o: {
  /** The study name, or several separated by spaces. */
  study: string;
  scale: Scale;
  /** Left out when undefined (several studies, each with its own default). */
  seeds?: number;
  firstSeed?: number;
  evalSeed?: number;
  out: string;
  cache?: string;
  saltExtra?: string;
  /** The execution provider, named when it is not the CPU (the numbers can differ in the last digits). */
  device?: string;
}): string {
  const quote = shellWord;
  return [
    'mm1 ablate',
    o.study,
    '--scale',
    o.scale,
    ...(o.seeds !== undefined ? ['--seeds', String(o.seeds)] : []),
    ...(o.firstSeed ? ['--first-seed', String(o.firstSeed)] : []),
    ...(o.evalSeed !== undefined ? ['--eval-seed', String(o.evalSeed)] : []),
    '--out',
    quote(o.out),
    ...(o.cache ? ['--cache', quote(o.cache)] : []),
    ...(o.device && o.device !== 'cpu' ? ['--device', o.device] : []),
    ...(o.saltExtra ? ['--salt', quote(o.saltExtra)] : []),
  ].join(' ');
}

export async function runStudy(study: Study, opts: RunStudyOptions): Promise<StudyOutcome> {
  const clock = opts.clock ?? Date.now;
  const t0 = opts.startedAt ?? clock();
  const seeds = opts.seeds ?? study.seeds[opts.scale];
  const salt = opts.salt ?? codeSalt();
  const plan = planRuns(study, opts.scale, seeds, salt, { firstSeed: opts.firstSeed, evalSeed: opts.evalSeed });
  const seedIds = seedList(seeds, opts.firstSeed);
  const cache = new RunCache(opts.cacheDir ?? defaultCacheDir(opts.outDir));
  const emit = opts.onEvent ?? (() => {});
  const total = plan.length;

  // Look everything up first, so ETAs count only the runs still to do.
  const found = plan.map((run) => cache.read(run.key));
  const records: RunRecord[] = [];
  // The ETA is the pool's with one worker (packed_eta.ts): each run left priced by the cost model in
  // plan order (a shared stage charged to the first run that needs it, none when a finished run made
  // it), × wall ÷ prediction over the runs this invocation finished, the recent ones weighing more
  // (EtaCalibration: half the weight three runs back). Cached runs do not calibrate: their wall
  // seconds were taken in another invocation, maybe on another machine, under another load or
  // beside other workers; only the runs timed here say how fast this process goes.
  const calibration = new EtaCalibration();
  const doneConfigs = () => plan.filter((r) => records.some((rec) => rec.key === r.key)).map((r) => r.config);
  const etaSeconds = (running: PoolState['running'], queued: readonly PlannedRun[]) =>
    stateEtaSeconds({ running, coldWorkers: 0, queued: queued.map((r) => r.config), done: doneConfigs() }, opts.scale, 1, calibration.factor);
  // The process generates the evaluation items before its first run (estimate.ts BASE_STAGE_SECONDS.evalItems).
  let warm = false;
  plan.forEach((run, i) => {
    const result = found[i];
    if (!result) return;
    records.push({ variantId: run.variant.id, seed: run.seed, key: run.key, dir: cache.dir(run.key), result, cached: !opts.freshKeys?.has(run.key) });
    emit({ type: 'cached', index: i + 1, total, run, wallSeconds: result.wallSeconds });
  });
  let todo = plan.filter((_, i) => !found[i]);

  const runner = opts.reportOnly ? undefined : opts.runner;
  if (!opts.reportOnly && !runner) throw new Error('runStudy: a runner is needed to run a study (or pass reportOnly: true to report on finished runs)');
  const missing: MissingRun[] = [];
  for (const [i, run] of plan.entries()) {
    if (found[i]) continue;
    if (!runner) {
      const owner = lockOwner(cache.dir(run.key));
      missing.push({ variant: run.variant.id, seed: run.seed, key: run.key, ...(owner ? { heldBy: describeOwner(owner) } : {}) });
      continue;
    }
    const predicted = predictStart([], run.config, doneConfigs(), opts.scale, 1, !warm);
    warm = true;
    const queued = todo.filter((r) => r !== run);
    const eta = etaSeconds([{ config: run.config, predicted, elapsed: 0 }], queued);
    emit({ type: 'start', index: i + 1, total, run, etaSeconds: eta, etaCalibrated: calibration.runs > 0 });
    const started = clock();
    let outcome;
    let waiting = false;
    try {
      for (;;) {
        outcome = await runOne(runToDo(study, opts.scale, run, salt), cache, runner, (msg) => opts.onLog?.(run, msg));
        if (outcome.status !== 'locked') break;
        if (!waiting) emit({ type: 'waiting', index: i + 1, total, run, owner: outcome.owner });
        waiting = true;
        await sleep(opts.pollMs ?? 10_000);
      }
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      throw new Error(
        `run ${i + 1} of ${total} (variant '${run.variant.id}', seed ${run.seed}, dir ${cache.dir(run.key)}) failed: ${msg}\n` +
          `${records.filter((r) => !r.cached).length} runs finished in this invocation and all earlier ones are cached; rerun the same command to continue.`,
        { cause: err },
      );
    }
    const { result, dir } = outcome;
    // A run another worker finished counts as cached: this invocation did not pay for it.
    const fresh = outcome.status === 'finished';
    records.push({ variantId: run.variant.id, seed: run.seed, key: run.key, dir, result, cached: !fresh });
    if (fresh && calibratesEta(result)) calibration.observe(predicted, Math.max(0, (clock() - started) / 1000));
    todo = todo.filter((r) => r !== run);
    emit({ type: 'done', index: i + 1, total, run, wallSeconds: result.wallSeconds, etaSeconds: etaSeconds([], todo), etaCalibrated: calibration.runs > 0 });
  }

  const variants = plan.filter((p) => p.seed === seedIds[0]).map((p) => p.variant);
  const results = aggregate(variants, records);
  const claims = study.claims.map((claim) => {
    try {
      return { claim, outcome: claim.evaluate(results) };
    } catch (err) {
      throw new Error(`study '${study.name}', claim '${claim.id}' could not be evaluated: ${(err as Error).message}`, { cause: err });
    }
  });
  const computeSeconds = records.reduce((a, r) => a + r.result.wallSeconds, 0);
  const freshRuns = records.filter((r) => !r.cached).length;
  const elapsedSeconds = (clock() - t0) / 1000;
  const files = await writeStudyReport(
    {
      study,
      scale: opts.scale,
      seeds,
      seedList: seedIds,
      evalSeed: evalSeedOf(variants),
      salt,
      command:
        opts.command ??
        ablateCommand({
          study: study.name,
          scale: opts.scale,
          seeds,
          firstSeed: opts.firstSeed,
          evalSeed: opts.evalSeed,
          out: opts.outDir,
          cache: opts.cacheDir,
        }),
      date: (opts.now ?? (() => new Date()))(),
      results,
      claims,
      computeSeconds,
      elapsedSeconds,
      freshRuns,
      cachedRuns: records.length - freshRuns,
      warnings: plan.flatMap((p) =>
        (records.find((rec) => rec.key === p.key)?.result.warnings ?? []).map((message) => ({ variant: p.variant.label, seed: p.seed, message })),
      ),
      missing,
      missingHint: missing.length > 0 ? `mm1 ablate run <key> --cache ${opts.cacheDir ?? defaultCacheDir(opts.outDir)}` : undefined,
    },
    opts.outDir,
  );
  return { results, claims, runs: records, freshRuns, cachedRuns: records.length - freshRuns, computeSeconds, elapsedSeconds, missing, files };
}

/** One line per run for the console: "[ 3/18] res64-small seed 0: done in 2m10s | ETA 31m" ("ETA ~40m (cost model until a run finishes)" before). */
export function progressLine(e: StudyEvent): string {
  const width = String(e.total).length;
  const head = `[${String(e.index).padStart(width)}/${e.total}] ${e.run.variant.id} seed ${e.run.seed}`;
  const eta = 'etaSeconds' in e && e.etaSeconds !== undefined ? ` | ${etaWords(e.etaSeconds, e.etaCalibrated ?? true)}` : '';
  if (e.type === 'cached') return `${head}: cached (${fmtDuration(e.wallSeconds)} when it ran)`;
  if (e.type === 'start') return `${head}: running (${e.run.variant.label})${eta}`;
  if (e.type === 'waiting') return `${head}: held by another worker (${describeOwner(e.owner)}); waiting for its result`;
  return `${head}: done in ${fmtDuration(e.wallSeconds)}${eta}`;
}
