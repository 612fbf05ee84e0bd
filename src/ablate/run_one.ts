// One run of a study, start to finish, safe beside other workers on the same cache: used by
// `mm1 ablate <study>` for each run in turn and by `mm1 ablate run <key>` (one scheduler task).
// A finished run (result.json) is never redone; an unfinished one is locked (run_lock.ts) before
// the runner touches its directory, so a second worker given it learns who has it instead.
import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { RunCache, RunIdentity } from './cache.js';
import { describeOwner, RunLock, type LockOwner } from './run_lock.js';
import { parseRunResult, type RunResult, type Runner } from './runner.js';

export interface RunToDo {
  key: string;
  identity: RunIdentity;
  /** Recorded in config.json beside the identity: study, scale, variant, axes. */
  about: Record<string, unknown>;
}

export type RunOutcome =
  | { status: 'finished'; result: RunResult; dir: string }
  | { status: 'cached'; result: RunResult; dir: string }
  | { status: 'locked'; owner: LockOwner; dir: string };

/** How long a worker sleeps between looks at a stage another worker holds. */
const SHARED_STAGE_POLL_MS = 5_000;

/**
 * The file that marks a shared stage of the ablation runner (jobs/ablation_runner.ts) finished:
 * from then on runs only read it, so its lock is released and later runs take it unlocked. A
 * stage not listed stays locked until the run that made it ends. Each is the stage's last write:
 * the CLIP stage writes vision.safetensors, text_tower.safetensors, then settings.json, and
 * reuses its weights only once settings.json is there, so a run let in at vision.safetensors
 * would train the stage a second time.
 */
export const STAGE_DONE_FILE: Record<string, string> = { clip: 'settings.json', pretrain: join('model', 'config.json') };

/** Whether the shared `stage` in `dir` is made (its STAGE_DONE_FILE is there): runs then only read it. */
export function stageDone(stage: string, dir: string): boolean {
  const marker = STAGE_DONE_FILE[stage];
  return marker !== undefined && existsSync(join(dir, marker));
}

/**
 * Runs `todo` unless it is finished (cached) or another worker holds it (locked). The runner's
 * log lines go to <runDir>/run.log and to `onLog`. A runner error propagates after the lock is
 * released, leaving the directory for the next attempt to resume.
 */
export async function runOne(
  todo: RunToDo,
  cache: RunCache,
  runner: Runner,
  onLog?: (msg: string) => void,
  /** How often to look again at a shared stage another worker holds (default 5 s; tests use less). */
  stagePollMs = SHARED_STAGE_POLL_MS,
): Promise<RunOutcome> {
  const done = cache.read(todo.key);
  if (done) return { status: 'cached', result: done, dir: cache.dir(todo.key) };
  const dir = cache.begin(todo.key, todo.identity, todo.about);
  const attempt = RunLock.acquire(dir);
  if (!attempt.acquired) return { status: 'locked', owner: attempt.owner, dir };
  const lock = attempt.lock;
  const stageLocks: { stage: string; dir: string; lock: RunLock }[] = [];
  // Release each stage as soon as it is finished, so runs sharing it (every run with the same
  // encoder and seed shares its CLIP stage) go on in parallel.
  const releaseFinished = setInterval(() => {
    for (const s of stageLocks.filter((x) => stageDone(x.stage, x.dir))) {
      s.lock.release();
      stageLocks.splice(stageLocks.indexOf(s), 1);
    }
  }, stagePollMs);
  releaseFinished.unref();
  try {
    // Finished by another worker between our first look and our lock.
    const finished = cache.read(todo.key);
    if (finished) return { status: 'cached', result: finished, dir };
    const log = (msg: string) => {
      appendFileSync(join(dir, 'run.log'), `${new Date().toISOString()} ${msg}\n`);
      onLog?.(msg);
    };
    // A stage shared by several runs (the CLIP stage, the highres study's one pretraining) is
    // locked like a run until it is finished (STAGE_DONE_FILE) or this run ends; a worker whose
    // run needs a stage another holds waits for it, keeping its own lock fresh, then reuses it.
    const sharedDir = (stage: string, inputs: unknown): string => {
      const stageDir = cache.sharedDir(stage, inputs, todo.identity.salt);
      mkdirSync(stageDir, { recursive: true });
      for (;;) {
        if (stageDone(stage, stageDir)) return stageDir;
        const got = RunLock.acquire(stageDir);
        if (got.acquired) {
          stageLocks.push({ stage, dir: stageDir, lock: got.lock });
          return stageDir;
        }
        log(`waiting for the shared ${stage} stage in ${stageDir}, held by ${describeOwner(got.owner)}`);
        lock.touch();
        sleepSync(stagePollMs);
      }
    };
    const raw = await runner(structuredClone({ ...todo.identity.config, seed: todo.identity.seed }), dir, { log, sharedDir });
    const result = parseRunResult(raw, `the result of run ${todo.key}`);
    cache.complete(todo.key, result);
    return { status: 'finished', result, dir };
  } finally {
    clearInterval(releaseFinished);
    for (const s of stageLocks) s.lock.release();
    lock.release();
  }
}

/** Blocks this thread: a runner asks for its shared stage synchronously (RunSignal.sharedDir). */
function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
