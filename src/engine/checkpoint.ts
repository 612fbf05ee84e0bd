// A checkpoint is a directory written all at once or not at all:
//   model.safetensors      weights (HF-compatible: metadata format 'pt')
//   optimizer.safetensors  optimiser state, e.g. adam.m.<name>, adam.v.<name> (optional)
//   state.json             step, config, data cursor, RNG state, metrics, mm1 version
// Everything goes into <dir>.tmp-<pid>, is fsynced, and the directory is renamed into place,
// so a crash leaves the previous checkpoint loadable and never a half-written one.
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fsyncDir, writeFileSynced } from './atomic_write.js';
import { encodeSafetensors, readSafetensors, type SafetensorsFile, type TensorsIn } from './safetensors.js';
import { mm1Version } from '../version.js';

/** What the training loop needs besides tensors to resume exactly. */
export interface CheckpointState {
  step: number;
  /** The run's validated config (plain JSON). */
  config: unknown;
  /** The data pipeline's resume position; opaque here. */
  dataCursor: unknown;
  /** Named RNG states (Rng.state), e.g. { data: 123, dropout: 456 }. */
  rng: Record<string, number>;
  /** Summary metrics at this step, e.g. { loss: 2.31 }. */
  metrics: Record<string, number>;
}

export interface StateFile extends CheckpointState {
  format: 'mm1-checkpoint';
  formatVersion: 1;
  mm1Version: string;
  savedAt: string;
  /** The tensor files this checkpoint has; loading fails if one is absent. */
  files: string[];
}

export interface Checkpoint {
  model: TensorsIn;
  optimizer?: TensorsIn;
  state: CheckpointState;
}

export interface LoadedCheckpoint {
  dir: string;
  model: SafetensorsFile;
  optimizer: SafetensorsFile | null;
  state: StateFile;
}

const MODEL = 'model.safetensors';
const OPTIMIZER = 'optimizer.safetensors';
const STATE = 'state.json';
const STEP_DIR = /^step-(\d+)$/;
const LEFTOVER = /^(.+)\.(tmp|old)-(\d+)$/; // .tmp-<pid>: garbage; .old-<pid>: a replaced checkpoint

/** runDir/checkpoints/step-000100 */
export function checkpointPath(runDir: string, step: number): string {
  return join(runDir, 'checkpoints', `step-${String(step).padStart(6, '0')}`);
}

/** Writes the checkpoint to `dir` atomically, replacing any checkpoint already there. */
export function saveCheckpoint(dir: string, ckpt: Checkpoint): void {
  const tmp = `${dir}.tmp-${process.pid}`;
  const aside = `${dir}.old-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  try {
    writeContents(tmp, ckpt);
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  fsyncDir(tmp);
  // rename() cannot replace a non-empty directory, so the old one steps aside first; if we
  // die between the two renames, latestCheckpoint() moves it back.
  const replacing = existsSync(dir);
  rmSync(aside, { recursive: true, force: true });
  if (replacing) renameSync(dir, aside);
  renameSync(tmp, dir);
  fsyncDir(dirname(dir));
  if (replacing) rmSync(aside, { recursive: true, force: true });
}

function writeContents(tmp: string, ckpt: Checkpoint): void {
  const files = [MODEL, ...(ckpt.optimizer ? [OPTIMIZER] : [])];
  const recipe = (ckpt.state.config as { recipe?: unknown } | null)?.recipe;
  const metadata = { format: 'pt', producer: 'mm1', step: String(ckpt.state.step), ...(typeof recipe === 'string' ? { recipe } : {}) };
  writeFileSynced(join(tmp, MODEL), encodeSafetensors(ckpt.model, metadata));
  if (ckpt.optimizer) writeFileSynced(join(tmp, OPTIMIZER), encodeSafetensors(ckpt.optimizer, metadata));
  const state: StateFile = {
    format: 'mm1-checkpoint',
    formatVersion: 1,
    mm1Version: mm1Version(),
    savedAt: new Date().toISOString(),
    files,
    ...ckpt.state,
  };
  writeFileSynced(join(tmp, STATE), JSON.stringify(state, null, 2) + '\n');
}

/** Reads a checkpoint directory, checking that every file state.json lists is there. */
export function loadCheckpoint(dir: string): LoadedCheckpoint {
  const statePath = join(dir, STATE);
  if (!existsSync(statePath)) throw new Error(`${dir}: no ${STATE}, so this is not a complete mm1 checkpoint; use latestCheckpoint(runDir) to find one`);
  let state: StateFile;
  try {
    state = JSON.parse(readFileSync(statePath, 'utf8')) as StateFile;
  } catch (err) {
    throw new Error(`${statePath}: not valid JSON (${(err as Error).message})`);
  }
  if (state.format !== 'mm1-checkpoint' || !Number.isSafeInteger(state.step)) {
    throw new Error(
      `${statePath}: expected {format: 'mm1-checkpoint', step: integer, ...}, got format ${JSON.stringify(state.format)} step ${JSON.stringify(state.step)}`,
    );
  }
  for (const file of state.files ?? [MODEL]) {
    if (!existsSync(join(dir, file))) throw new Error(`${dir}: ${STATE} lists ${file} but it is missing; the checkpoint was altered after writing`);
  }
  const optimizer = state.files?.includes(OPTIMIZER) ? readSafetensors(join(dir, OPTIMIZER)) : null;
  return { dir, model: readSafetensors(join(dir, MODEL)), optimizer, state };
}

/**
 * The newest complete checkpoint under runDir/checkpoints, or null. Cleans up what crashed
 * writers left behind (their *.tmp-<pid> directories; a replaced checkpoint still set aside
 * is moved back), reporting each through `warn`. Directories of live processes are left alone.
 */
export function latestCheckpoint(runDir: string, warn: (message: string) => void = console.warn): string | null {
  const root = join(runDir, 'checkpoints');
  if (!existsSync(root)) return null;
  for (const name of readdirSync(root)) {
    const m = LEFTOVER.exec(name);
    if (!m || processAlive(Number(m[3]))) continue;
    const path = join(root, name);
    const base = join(root, m[1]);
    if (m[2] === 'old' && !existsSync(base)) {
      renameSync(path, base);
      warn(`${path}: restored to ${basename(base)} (a replacement of it was interrupted)`);
    } else {
      rmSync(path, { recursive: true, force: true });
      warn(`${path}: removed, left behind by a writer that stopped (process ${m[3]})`);
    }
  }
  return completeCheckpoints(root, warn)[0] ?? null;
}

/** The step-N directories under root that have a state.json, newest first. */
function completeCheckpoints(root: string, warn: (message: string) => void): string[] {
  const found: { step: number; path: string }[] = [];
  for (const name of readdirSync(root)) {
    const m = STEP_DIR.exec(name);
    const path = join(root, name);
    if (!m || !statSync(path).isDirectory()) continue;
    if (!existsSync(join(path, STATE))) {
      warn(`${path}: skipped, it has no ${STATE} (not written by saveCheckpoint?)`);
      continue;
    }
    found.push({ step: Number(m[1]), path });
  }
  return found.sort((a, b) => b.step - a.step).map((c) => c.path);
}

/**
 * The newest checkpoint of runDir that loads, or null if it has none. A newest checkpoint
 * that fails to load (damaged on disk after it was written: truncated file, bad JSON) is
 * reported through `warn` and the previous one is tried, so a run loses the steps since
 * that one instead of everything. Fails only if checkpoints exist and none loads.
 */
export function loadLatestGoodCheckpoint(runDir: string, warn: (message: string) => void = console.warn): LoadedCheckpoint | null {
  if (latestCheckpoint(runDir, warn) === null) return null;
  const candidates = completeCheckpoints(join(runDir, 'checkpoints'), () => {});
  const problems: string[] = [];
  for (const dir of candidates) {
    try {
      const ck = loadCheckpoint(dir);
      if (problems.length > 0) warn(`resuming from ${dir} instead (an older checkpoint: the steps after it will be trained again)`);
      return ck;
    } catch (err) {
      problems.push(`${dir}: ${(err as Error).message}`);
      warn(`${dir}: cannot be loaded (${(err as Error).message}); trying the previous checkpoint`);
    }
  }
  throw new Error(`${runDir}: no checkpoint can be loaded:\n  ${problems.join('\n  ')}\nStart a new --out, or restore the checkpoints from a backup.`);
}

/** Deletes all but the newest `keep` step-N checkpoints; returns the removed paths. */
export function pruneCheckpoints(runDir: string, keep: number): string[] {
  const root = join(runDir, 'checkpoints');
  if (!existsSync(root)) return [];
  const steps = readdirSync(root)
    .map((name) => ({ name, m: STEP_DIR.exec(name) }))
    .filter((e) => e.m)
    .sort((a, b) => Number(b.m![1]) - Number(a.m![1]));
  const removed: string[] = [];
  for (const { name } of steps.slice(Math.max(0, keep))) {
    // Renamed to a garbage name first, so a crash mid-delete never leaves a partial step-N.
    const garbage = join(root, `${name}.tmp-${process.pid}`);
    renameSync(join(root, name), garbage);
    rmSync(garbage, { recursive: true, force: true });
    removed.push(join(root, name));
  }
  return removed;
}

function processAlive(pid: number): boolean {
  if (pid === process.pid) return false; // our own leftovers are from a save that threw
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
