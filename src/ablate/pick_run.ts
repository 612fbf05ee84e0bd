// Which run a free worker of `mm1 ablate --workers N` starts next. Plans are seed-major, so in
// plan order the second worker would take the second variant of seed 0 and wait while the first
// makes seed 0's CLIP stage. A worker therefore prefers the first run in plan order whose shared
// stages are made or free, and takes the first run anyway when every run would wait (it then
// waits inside its process, as `mm1 ablate run` does). A run is handed out once: candidates are
// only runs no worker holds, has finished or has failed.
import type { LockOwner } from './run_lock.js';

/** A shared stage directory (RunCache.sharedDir) a run asks for. */
export interface StageDir {
  stage: string;
  dir: string;
}

export interface StageState {
  /** Whether the stage is made (run_one.ts stageDone): its runs only read it. */
  done(s: StageDir): boolean;
  /** Who holds the stage's lock and is alive, if anyone (a worker of another process may be making it); a stale lock is no one's. */
  holder(s: StageDir): LockOwner | undefined;
}

/** The stages a run makes (or would): those before the first made one, outermost first. */
export function stagesToMake(stages: readonly StageDir[], state: Pick<StageState, 'done'>): StageDir[] {
  const made = stages.findIndex((s) => state.done(s));
  return made === -1 ? [...stages] : stages.slice(0, made);
}

/**
 * Whether a run would wait for a stage being made: by one of this invocation's running runs
 * (`making`: their stage dirs) or by whoever holds the stage's lock. Stages are listed outermost
 * first (Runner.sharedStages): a made stage needs none after it.
 */
export function waitsForStage(stages: readonly StageDir[], making: ReadonlySet<string>, state: StageState): boolean {
  return stagesToMake(stages, state).some((s) => making.has(s.dir) || state.holder(s) !== undefined);
}

/** The first candidate (in plan order) that would not wait for a stage, else the first candidate. */
export function pickRun<R>(candidates: readonly R[], stagesOf: (run: R) => readonly StageDir[], making: ReadonlySet<string>, state: StageState): R | undefined {
  return candidates.find((run) => !waitsForStage(stagesOf(run), making, state)) ?? candidates[0];
}
