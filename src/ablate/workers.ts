// `mm1 ablate <study> --workers N`: a study's runs in N child processes on one machine and one
// cache. Each child is `mm1 ablate run - --cache DIR` (worker_child.ts), handed one run key at a
// time, so the locks, the shared stages and resuming are the ones a scheduler's workers use
// (run_one.ts); a child that dies is replaced for the next run. This file hands out the runs
// (pick_run.ts: a stage another worker is making is not waited for while other runs are ready),
// draws one progress display, keeps going when a run fails, forwards Ctrl-C / SIGTERM, and
// writes the report through runStudy, the one-process path, which finds every run in the cache.
// Several studies (`mm1 ablate A B … --workers N`) share one pool (pool_plan.ts: a run they share
// is run once): a study's last run no longer leaves the other workers idle until the next study
// starts, and each study's report is written as soon as its own last run has finished.
//
// Why: a run on two ONNX Runtime threads leaves ~30% of the second core idle (single-threaded
// data, evaluation's host work, waits between kernels), while a one-thread run costs the same CPU
// (docs/performance.md). So each child gets MM1_ORT_THREADS = max(1, floor(cores / N)) unless the
// user set it. One-thread runs repeat bit for bit; they differ from two-thread runs in the last
// digits, as two-thread runs differ from each other.
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Device } from '../engine/device.js';
import { ortThreads } from '../engine/session.js';
import { StoppedBySignal } from '../train/interrupt.js';
import { codeSalt, defaultCacheDir, RunCache } from './cache.js';
import { fmtDuration } from './format.js';
import { stagesToMake, pickRun, type StageDir, type StageState } from './pick_run.js';
import { calibratesEta, EtaCalibration, etaWords, predictStart, stateEtaSeconds } from './packed_eta.js';
import type { PlannedRun } from './plan.js';
import { poolPlan, type PoolRun, type PoolStudy } from './pool_plan.js';
import { stageDone } from './run_one.js';
import { liveLockOwner } from './run_lock.js';
import { runStudy, type RunStudyOptions, type StudyOutcome } from './run_study.js';
import type { Study } from './study.js';
import { sameProgramWorker, WorkerProcess, type ChildCommand, type ChildOutcome } from './worker_child.js';

/** One pool of workers for one or several studies (runStudiesInWorkers). */
export interface PoolOptions extends Omit<
  RunStudyOptions,
  'onEvent' | 'onLog' | 'reportOnly' | 'freshKeys' | 'startedAt' | 'clock' | 'runner' | 'outDir' | 'seeds' | 'command'
> {
  /** Child processes at a time (≥ 1). */
  workers: number;
  /** The runner the children use: its sharedStages order the runs; each report passes it to runStudy. */
  runner: NonNullable<RunStudyOptions['runner']>;
  /** The runs' cache; needed with several studies (one study: its default, <out>/runs). */
  cacheDir?: string;
  /** Where worker-logs/ goes; needed with several studies (one study: its --out). */
  logDir?: string;
  /** Named on each child's command line unless it is the CPU. */
  device?: Device;
  /** The command that resumes the studies, shown when runs failed. */
  resumeCommand: string;
  /** One line per event of the combined progress display. */
  onLine?: (line: string) => void;
  /** Each study's outcome as soon as its report is written (when its last run has finished). */
  onReport?: (entry: PoolStudy, outcome: StudyOutcome) => void;
  /** The children's environment before MM1_ORT_THREADS is decided (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** The worker command (default: this program's `ablate run - --cache DIR`). */
  workerCommand?: (cacheDir: string) => ChildCommand;
}

/** `mm1 ablate <study> --workers N`: one study, its report and worker logs in outDir. */
export interface WorkersOptions extends Omit<PoolOptions, 'logDir' | 'onReport'>, Pick<RunStudyOptions, 'outDir' | 'seeds' | 'command'> {}

/** MM1_ORT_THREADS for each of `workers` children: the user's when set, else max(1, floor(cores / workers)); and a sentence saying which. */
export function workerThreads(workers: number, env: NodeJS.ProcessEnv = process.env, cores = availableParallelism()): { threads: number; why: string } {
  if (env.MM1_ORT_THREADS !== undefined) return { threads: ortThreads(env), why: 'MM1_ORT_THREADS as you set it' };
  const threads = Math.max(1, Math.floor(cores / workers));
  return { threads, why: `max(1, floor(${cores} cores / ${workers} workers)); set MM1_ORT_THREADS to choose` };
}

/** Where worker `worker` (1-based) writes its output, every run it ran in turn. */
export function workerLogFile(outDir: string, worker: number): string {
  return join(outDir, 'worker-logs', `worker-${worker}.log`);
}

interface Active {
  worker: number;
  run: PoolRun;
  started: number;
  /** Its seconds by the cost model when it started, uncalibrated (the ETA scales them; EtaCalibration compares them with its wall). */
  predicted: number;
  result: Promise<{ active: Active; outcome: ChildOutcome }>;
}

/** How long a run another process holds is left before this invocation asks for it again. */
const HELD_RETRY_MS = 10_000;

export async function runStudyInWorkers(study: Study, opts: WorkersOptions): Promise<StudyOutcome> {
  const { outDir, seeds, command, ...pool } = opts;
  const [outcome] = await runStudiesInWorkers([{ study, outDir, seeds, command }], { ...pool, logDir: outDir });
  return outcome;
}

/**
 * `mm1 ablate A B … --workers N`: every run of the studies in one pool of N workers, a run the
 * studies share run once; each study's report is written by runStudy, the one-process path, as
 * soon as its last run has finished, so it is the report that study alone writes from the cache.
 * Returns the outcomes in the studies' order.
 */
export async function runStudiesInWorkers(studies: readonly PoolStudy[], opts: PoolOptions): Promise<StudyOutcome[]> {
  if (!Number.isSafeInteger(opts.workers) || opts.workers < 1) throw new Error(`workers must be a whole number ≥ 1, got ${opts.workers}`);
  if (studies.length === 0) throw new Error('runStudiesInWorkers: no study given');
  const several = studies.length > 1;
  if (several && (!opts.cacheDir || !opts.logDir))
    throw new Error('runStudiesInWorkers: several studies share one cache and one worker-logs folder; give cacheDir and logDir');
  const startedAt = Date.now();
  const say = opts.onLine ?? (() => {});
  const salt = opts.salt ?? codeSalt();
  const cacheDir = opts.cacheDir ?? defaultCacheDir(studies[0].outDir);
  const logDir = opts.logDir ?? studies[0].outDir;
  const cache = new RunCache(cacheDir);
  const { runs: plan, keysOf } = poolPlan(studies, opts.scale, salt, { firstSeed: opts.firstSeed, evalSeed: opts.evalSeed }, cache);
  const total = plan.length;
  const finished = new Set(plan.filter((r) => cache.read(r.key)).map((r) => r.key));
  const fresh = new Set<string>();
  const failed = new Map<string, { run: PoolRun; reason: string; log: string }>();
  const heldUntil = new Map<string, number>();
  const reports = new Map<PoolStudy, StudyOutcome>();
  const reportErrors = new Map<PoolStudy, unknown>();

  const { threads, why } = workerThreads(opts.workers, opts.env);
  const env = { ...(opts.env ?? process.env), MM1_ORT_THREADS: String(threads) };
  const command = (opts.workerCommand ?? ((dir) => sameProgramWorker(dir, opts.device && opts.device !== 'cpu' ? ['--device', opts.device] : [])))(cacheDir);
  const processes = new Map<number, WorkerProcess>();
  const workerFor = (worker: number): WorkerProcess => {
    let p = processes.get(worker);
    if (!p?.alive) processes.set(worker, (p = new WorkerProcess(command, env, workerLogFile(logDir, worker))));
    return p;
  };
  const shared = several ? `, ${plan.filter((r) => r.owners.length > 1).length} of them in more than one study` : '';
  say(
    `${opts.workers} workers, each run a process with MM1_ORT_THREADS=${threads} (${why}); ${finished.size} of ${total} runs cached${shared}; ` +
      `logs in ${join(logDir, 'worker-logs')}`,
  );

  const stagesOf = (run: PlannedRun): StageDir[] =>
    (opts.runner.sharedStages?.(run.config) ?? []).map(({ stage, inputs }) => ({ stage, dir: cache.sharedDir(stage, inputs, salt) }));
  const stageState: StageState = { done: (s) => stageDone(s.stage, s.dir), holder: (s) => liveLockOwner(s.dir) };
  const doneConfigs = () => plan.filter((r) => finished.has(r.key)).map((r) => r.config);
  const calibration = new EtaCalibration();
  // Worker processes that have run a run: a fresh one first generates the evaluation items (~20 s).
  const warmed = new WeakSet<WorkerProcess>();

  const active = new Map<number, Active>();
  let stopping: NodeJS.Signals | undefined;
  const onSignal = (sig: NodeJS.Signals) => {
    // The first signal asks each child to checkpoint and stop; a second one makes them quit now.
    if (!stopping) say(`${sig === 'SIGINT' ? 'Ctrl-C' : sig}: asking ${active.size} running runs to checkpoint and stop (again to stop them at once)`);
    stopping = sig;
    for (const p of processes.values()) {
      p.close();
      if (p.alive) p.process.kill(sig);
    }
  };
  const handlers = (['SIGINT', 'SIGTERM'] as const).map((sig) => [sig, () => onSignal(sig)] as const);
  for (const [sig, h] of handlers) process.on(sig, h);

  const name = (run: PoolRun) => (several ? `${run.owners[0].study.name}/${run.variant.id}` : run.variant.id);
  const status = () => {
    const running = [...active.values()]
      .sort((a, b) => a.worker - b.worker)
      .map((a) => `worker ${a.worker}: ${name(a.run)} seed ${a.run.seed} (${fmtDuration((Date.now() - a.started) / 1000)})`);
    const left = plan.filter((r) => !finished.has(r.key) && !failed.has(r.key));
    // The runs under way and the queue (in hand-out order) packed onto the workers, calibrated by the finished runs, recent ones weighing more (packed_eta.ts).
    const now = Date.now();
    const underWay = [...active.values()];
    const queued = left.filter((r) => !underWay.some((a) => a.run.key === r.key));
    // An idle worker whose process has not run yet generates the evaluation items before its first queued run.
    const cold = Array.from({ length: opts.workers }, (_, i) => i + 1).filter((w) => {
      const p = processes.get(w);
      return !active.has(w) && !(p && warmed.has(p));
    }).length;
    // The same function gives --dry-run's pool figure (ablate_dry_run.ts): nothing under way, every worker cold.
    const seconds = stateEtaSeconds(
      {
        running: underWay.map((a) => ({ config: a.run.config, predicted: a.predicted, elapsed: (now - a.started) / 1000 })),
        coldWorkers: cold,
        queued: queued.map((r) => r.config),
        done: doneConfigs(),
      },
      opts.scale,
      opts.workers,
      calibration.factor,
    );
    const etaText = etaWords(seconds, calibration.runs > 0, opts.workers);
    return `${running.length > 0 ? ` | ${running.join(', ')}` : ''}${left.length > 0 ? ` | ${etaText}` : ''}`;
  };
  const head = (run: PoolRun) => `[${String(finished.size).padStart(String(total).length)}/${total} done] ${name(run)} seed ${run.seed}`;

  const start = (worker: number, run: PoolRun) => {
    const child = workerFor(worker);
    const others = [...active.values()].map((x) => x.run.config);
    const predicted = predictStart(others, run.config, doneConfigs(), opts.scale, opts.workers, !warmed.has(child));
    warmed.add(child);
    const a: Active = { worker, run, started: Date.now(), predicted, result: Promise.resolve(undefined as never) };
    a.result = child.run(run.key, `run ${run.key} (${name(run)}, seed ${run.seed})`).then((outcome) => ({ active: a, outcome }));
    active.set(worker, a);
    say(`${head(run)}: started on worker ${worker}, pid ${child.process.pid} (${run.variant.label})${status()}`);
  };

  const settle = ({ active: a, outcome }: { active: Active; outcome: ChildOutcome }) => {
    active.delete(a.worker);
    const { run } = a;
    const wall = (Date.now() - a.started) / 1000;
    const result = outcome.status === 'finished' ? cache.read(run.key) : undefined;
    if (outcome.status === 'finished' && result) {
      finished.add(run.key);
      if (outcome.fresh) fresh.add(run.key);
      // Only runs this pool ran say how fast it goes; a run another process finished ran elsewhere.
      if (outcome.fresh && calibratesEta(result)) calibration.observe(a.predicted, Math.max(0, wall));
      say(`${head(run)}: ${outcome.fresh ? `done in ${fmtDuration(wall)}` : 'finished by another process'} (worker ${a.worker})${status()}`);
    } else if (outcome.status === 'held') {
      heldUntil.set(run.key, Date.now() + (opts.pollMs ?? HELD_RETRY_MS));
      say(`${head(run)}: held by another process (${outcome.holder}); will look again${status()}`);
    } else if (stopping) {
      say(`${head(run)}: stopped (worker ${a.worker}); it resumes from its last checkpoint when the study is rerun`);
    } else {
      const reason = outcome.status === 'failed' ? outcome.reason : `said it finished but ${cache.dir(run.key)} has no result.json`;
      const log = workerLogFile(logDir, a.worker);
      failed.set(run.key, { run, reason, log });
      say(`${head(run)}: FAILED (${run.key}): ${reason}; log ${log}${status()}`);
    }
  };

  // A study whose runs have all finished gets its report now, from the cache, while the pool goes on.
  const writeDueReports = async () => {
    for (const entry of studies) {
      if (reports.has(entry) || reportErrors.has(entry) || !keysOf.get(entry)!.every((k) => finished.has(k))) continue;
      try {
        // opts.cacheDir as given: with one study and no cacheDir, the report's command names no --cache, as `mm1 ablate <study>` does.
        const outcome = await runStudy(entry.study, {
          ...opts,
          outDir: entry.outDir,
          seeds: entry.seeds,
          command: entry.command,
          salt,
          runner: opts.runner,
          freshKeys: fresh,
          startedAt,
        });
        reports.set(entry, outcome);
        if (several) say(`report of ${entry.study.name} (${reports.size} of ${studies.length} studies): ${outcome.files.markdown}`);
        opts.onReport?.(entry, outcome);
      } catch (err) {
        if (!several) throw err;
        reportErrors.set(entry, err);
        say(`report of ${entry.study.name} FAILED: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  };

  try {
    for (;;) {
      if (!stopping) {
        for (let worker = 1; worker <= opts.workers; worker++) {
          if (active.has(worker)) continue;
          const busy = new Set([...active.values()].map((a) => a.run.key));
          const candidates = plan.filter((r) => !finished.has(r.key) && !failed.has(r.key) && !busy.has(r.key) && (heldUntil.get(r.key) ?? 0) <= Date.now());
          const making = new Set([...active.values()].flatMap((a) => stagesToMake(stagesOf(a.run), stageState).map((s) => s.dir)));
          const next = pickRun(candidates, stagesOf, making, stageState);
          if (!next) break;
          heldUntil.delete(next.key);
          start(worker, next);
        }
        await writeDueReports();
      }
      const waitingForHeld = !stopping && heldUntil.size > 0;
      if (active.size === 0 && !waitingForHeld) break;
      const soonest = Math.min(...heldUntil.values()) - Date.now();
      const tick = waitingForHeld ? sleep(Math.max(0, soonest)).then(() => undefined) : new Promise<undefined>(() => {});
      const done = await Promise.race([...[...active.values()].map((a) => a.result), tick]);
      if (done) settle(done);
    }
  } finally {
    for (const [sig, h] of handlers) process.off(sig, h);
    // Idle workers exit when their stdin closes; wait for them, so none outlives the pool.
    await Promise.all(
      [...processes.values()].map((p) => {
        p.close();
        return p.alive ? new Promise((done) => p.process.once('close', done)) : Promise.resolve();
      }),
    );
  }

  const written = several && reports.size > 0 ? `; reports written for ${[...reports.keys()].map((e) => e.study.name).join(', ')}` : '';
  if (stopping) {
    throw new StoppedBySignal(
      stopping,
      `stopped by ${stopping === 'SIGINT' ? 'Ctrl-C' : stopping}: ${fresh.size} runs finished in this invocation, ${finished.size} of ${total} in all${written}; ` +
        `rerun to continue (unfinished runs resume from their checkpoints): ${opts.resumeCommand}`,
    );
  }
  if (failed.size > 0 || reportErrors.size > 0) {
    const lines = [...failed.values()].map(
      ({ run, reason, log }) =>
        `  ${name(run)} seed ${run.seed} (${run.key}${several ? `, in ${run.owners.map((o) => o.study.name).join(', ')}` : ''}): ${reason}\n` +
        `    log: ${log}; run log: ${join(cache.dir(run.key), 'run.log')}`,
    );
    const reportLines = [...reportErrors].map(([entry, err]) => `  report of ${entry.study.name}: ${err instanceof Error ? err.message : String(err)}`);
    throw new Error(
      [
        ...(failed.size > 0 ? [`${failed.size} of ${total} runs failed; the other ${finished.size} finished and are cached${written}:`, ...lines] : []),
        ...(reportErrors.size > 0 ? [`${reportErrors.size} reports could not be written (every run finished and is cached):`, ...reportLines] : []),
        failed.size > 0
          ? `Rerun to retry the failed runs (each resumes from its last checkpoint; finished runs are reused): ${opts.resumeCommand}`
          : `Rerun to write them once the cause is fixed (finished runs are reused): ${opts.resumeCommand}`,
      ].join('\n'),
    );
  }
  return studies.map((entry) => reports.get(entry)!);
}
