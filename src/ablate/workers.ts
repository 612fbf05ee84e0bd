// `mm1 ablate <study> --workers N`: a study's runs in N child processes on one machine and one
// cache. Each child is `mm1 ablate run - --cache DIR` (worker_child.ts), handed one run key at a
// time, so the locks, the shared stages and resuming are the ones a scheduler's workers use
// (run_one.ts); a child that dies is replaced for the next run. This file hands out the runs
// (pick_run.ts: a stage another worker is making is not waited for while other runs are ready),
// draws one progress display, keeps going when a run fails, forwards Ctrl-C / SIGTERM, and then
// writes the report through runStudy, the one-process path, which finds every run in the cache.
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
import { estimatePlan } from './estimate.js';
import { fmtDuration } from './format.js';
import { stagesToMake, pickRun, type StageDir, type StageState } from './pick_run.js';
import { planRuns, type PlannedRun } from './plan.js';
import { stageDone } from './run_one.js';
import { lockOwner } from './run_lock.js';
import { EtaEstimator, runStudy, runToDo, type RunStudyOptions, type StudyOutcome } from './run_study.js';
import type { Study } from './study.js';
import { sameProgramWorker, WorkerProcess, type ChildCommand, type ChildOutcome } from './worker_child.js';

export interface WorkersOptions extends Omit<RunStudyOptions, 'onEvent' | 'onLog' | 'reportOnly' | 'freshKeys' | 'startedAt' | 'runner'> {
  /** Child processes at a time (≥ 1). */
  workers: number;
  /** The runner the children use: its sharedStages order the runs; the final report passes it to runStudy. */
  runner: NonNullable<RunStudyOptions['runner']>;
  /** Named on each child's command line unless it is the CPU. */
  device?: Device;
  /** The command that resumes the study, shown when runs failed. */
  resumeCommand: string;
  /** One line per event of the combined progress display. */
  onLine?: (line: string) => void;
  /** The children's environment before MM1_ORT_THREADS is decided (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** The worker command (default: this program's `ablate run - --cache DIR`). */
  workerCommand?: (cacheDir: string) => ChildCommand;
}

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
  run: PlannedRun;
  started: number;
  result: Promise<{ active: Active; outcome: ChildOutcome }>;
}

/** How long a run another process holds is left before this invocation asks for it again. */
const HELD_RETRY_MS = 10_000;

export async function runStudyInWorkers(study: Study, opts: WorkersOptions): Promise<StudyOutcome> {
  if (!Number.isSafeInteger(opts.workers) || opts.workers < 1) throw new Error(`workers must be a whole number ≥ 1, got ${opts.workers}`);
  const startedAt = Date.now();
  const say = opts.onLine ?? (() => {});
  const salt = opts.salt ?? codeSalt();
  const cacheDir = opts.cacheDir ?? defaultCacheDir(opts.outDir);
  const cache = new RunCache(cacheDir);
  const seeds = opts.seeds ?? study.seeds[opts.scale];
  const plan = planRuns(study, opts.scale, seeds, salt, { firstSeed: opts.firstSeed, evalSeed: opts.evalSeed });
  const total = plan.length;
  // Record every run's config, which is all `mm1 ablate run <key>` reads (as --plan does).
  for (const run of plan) {
    const todo = runToDo(study, opts.scale, run, salt);
    cache.begin(todo.key, todo.identity, todo.about);
  }
  const finished = new Set(plan.filter((r) => cache.read(r.key)).map((r) => r.key));
  const fresh = new Set<string>();
  const failed = new Map<string, { run: PlannedRun; reason: string; log: string }>();
  const heldUntil = new Map<string, number>();

  const { threads, why } = workerThreads(opts.workers, opts.env);
  const env = { ...(opts.env ?? process.env), MM1_ORT_THREADS: String(threads) };
  const command = (opts.workerCommand ?? ((dir) => sameProgramWorker(dir, opts.device && opts.device !== 'cpu' ? ['--device', opts.device] : [])))(cacheDir);
  const processes = new Map<number, WorkerProcess>();
  const workerFor = (worker: number): WorkerProcess => {
    let p = processes.get(worker);
    if (!p?.alive) processes.set(worker, (p = new WorkerProcess(command, env, workerLogFile(opts.outDir, worker))));
    return p;
  };
  say(
    `${opts.workers} workers, each run a process with MM1_ORT_THREADS=${threads} (${why}); ${finished.size} of ${total} runs cached; ` +
      `logs in ${join(opts.outDir, 'worker-logs')}`,
  );

  const stagesOf = (run: PlannedRun): StageDir[] =>
    (opts.runner.sharedStages?.(run.config) ?? []).map(({ stage, inputs }) => ({ stage, dir: cache.sharedDir(stage, inputs, salt) }));
  const stageState: StageState = { done: (s) => stageDone(s.stage, s.dir), holder: (s) => lockOwner(s.dir) };
  const eta = new EtaEstimator(
    (todo) =>
      estimatePlan(
        todo.map((r) => r.config),
        plan.filter((r) => finished.has(r.key)).map((r) => r.config),
        opts.scale,
      ).seconds,
  );

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

  const status = () => {
    const running = [...active.values()]
      .sort((a, b) => a.worker - b.worker)
      .map((a) => `worker ${a.worker}: ${a.run.variant.id} seed ${a.run.seed} (${fmtDuration((Date.now() - a.started) / 1000)})`);
    const left = plan.filter((r) => !finished.has(r.key) && !failed.has(r.key));
    const seconds = eta.remaining(left);
    // Observed seconds per step are per worker; before any run finishes the cost model's figure is for one process on an idle machine.
    const etaText = eta.observed ? `ETA ${fmtDuration(seconds / opts.workers)}` : `ETA ≤ ${fmtDuration(seconds)} (one-process estimate until a run finishes)`;
    return `${running.length > 0 ? ` | ${running.join(', ')}` : ''}${left.length > 0 ? ` | ${etaText}` : ''}`;
  };
  const head = (run: PlannedRun) => `[${String(finished.size).padStart(String(total).length)}/${total} done] ${run.variant.id} seed ${run.seed}`;

  const start = (worker: number, run: PlannedRun) => {
    const child = workerFor(worker);
    const a: Active = { worker, run, started: Date.now(), result: Promise.resolve(undefined as never) };
    a.result = child.run(run.key, `run ${run.key} (${run.variant.id}, seed ${run.seed})`).then((outcome) => ({ active: a, outcome }));
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
      eta.observe(run, outcome.fresh ? wall : result.wallSeconds);
      say(`${head(run)}: ${outcome.fresh ? `done in ${fmtDuration(wall)}` : 'finished by another process'} (worker ${a.worker})${status()}`);
    } else if (outcome.status === 'held') {
      heldUntil.set(run.key, Date.now() + (opts.pollMs ?? HELD_RETRY_MS));
      say(`${head(run)}: held by another process (${outcome.holder}); will look again${status()}`);
    } else if (stopping) {
      say(`${head(run)}: stopped (worker ${a.worker}); it resumes from its last checkpoint when the study is rerun`);
    } else {
      const reason = outcome.status === 'failed' ? outcome.reason : `said it finished but ${cache.dir(run.key)} has no result.json`;
      const log = workerLogFile(opts.outDir, a.worker);
      failed.set(run.key, { run, reason, log });
      say(`${head(run)}: FAILED (${run.key}): ${reason}; log ${log}${status()}`);
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
    // Idle workers exit when their stdin closes; wait for them, so none outlives the study.
    await Promise.all(
      [...processes.values()].map((p) => {
        p.close();
        return p.alive ? new Promise((done) => p.process.once('close', done)) : Promise.resolve();
      }),
    );
  }

  if (stopping) {
    throw new StoppedBySignal(
      stopping,
      `stopped by ${stopping === 'SIGINT' ? 'Ctrl-C' : stopping}: ${fresh.size} runs finished in this invocation, ${finished.size} of ${total} in all; ` +
        `rerun to continue (unfinished runs resume from their checkpoints): ${opts.resumeCommand}`,
    );
  }
  if (failed.size > 0) {
    const lines = [...failed.values()].map(
      ({ run, reason, log }) =>
        `  ${run.variant.id} seed ${run.seed} (${run.key}): ${reason}\n    log: ${log}; run log: ${join(cache.dir(run.key), 'run.log')}`,
    );
    throw new Error(
      `${failed.size} of ${total} runs failed; the other ${finished.size} finished and are cached:\n${lines.join('\n')}\n` +
        `Rerun to retry the failed runs (each resumes from its last checkpoint; finished runs are reused): ${opts.resumeCommand}`,
    );
  }
  return runStudy(study, { ...opts, salt, cacheDir, runner: opts.runner, freshKeys: fresh, startedAt });
}
