// One worker per run, however many are given it: a scheduler (GNU parallel, a Slurm array, a
// Kubernetes Indexed Job, or `mm1 ablate` itself) may hand the same run to two workers on one
// shared cache, and two trainers in one run directory would corrupt each other's checkpoints.
// The worker that creates <runDir>/lock.json first (O_EXCL: atomic on local filesystems and on
// NFS v3+) owns the run; the others see who holds it.
//
// Stale locks: the owner rewrites the file's mtime every HEARTBEAT_MS. A lock is stale when its
// owner is on this host and its pid is gone, or when its mtime is older than STALE_MS (the owner
// stopped heartbeating: killed, or its machine lost). A stale lock is taken over by renaming it
// aside (only one worker's rename of a given file succeeds) and locking afresh.
import { hostname } from 'node:os';
import { linkSync, openSync, readFileSync, renameSync, statSync, unlinkSync, utimesSync, writeSync, closeSync } from 'node:fs';
import { join } from 'node:path';

export const LOCK_FILE = 'lock.json';
/** How often the owner touches its lock. */
export const HEARTBEAT_MS = 30_000;
/** A lock untouched this long is stale: 20 missed heartbeats, generous for a loaded shared filesystem. */
export const STALE_MS = 10 * 60_000;

export interface LockOwner {
  pid: number;
  host: string;
  /** ISO time the run was locked. */
  started: string;
}

export type LockAttempt = { acquired: true; lock: RunLock } | { acquired: false; owner: LockOwner; file: string };

export class RunLock {
  private timer: NodeJS.Timeout;

  private constructor(
    readonly file: string,
    readonly owner: LockOwner,
  ) {
    this.timer = setInterval(() => this.touch(), HEARTBEAT_MS);
    this.timer.unref();
  }

  /** Locks `runDir` for this process, taking over a stale lock; otherwise says who holds it. */
  static acquire(runDir: string, now: () => Date = () => new Date()): LockAttempt {
    const file = join(runDir, LOCK_FILE);
    for (let attempt = 0; attempt < 3; attempt++) {
      const owner: LockOwner = { pid: process.pid, host: hostname(), started: now().toISOString() };
      if (createExclusive(file, `${JSON.stringify(owner)}\n`)) return { acquired: true, lock: new RunLock(file, owner) };
      const held = readLock(file);
      if (!held) continue; // released between our create and our read: try again
      if (!isStale(held.owner, held.mtimeMs, now().getTime())) return { acquired: false, owner: held.owner, file };
      takeOver(file, held.text);
    }
    const held = readLock(file);
    if (held) return { acquired: false, owner: held.owner, file };
    throw new Error(`${file}: could not lock the run after 3 attempts (other workers keep taking it); rerun the command`);
  }

  /** Keeps the lock fresh; also called by the heartbeat timer. */
  touch(): void {
    const t = new Date();
    try {
      utimesSync(this.file, t, t);
    } catch {
      // Removed under us (by hand, or judged stale): the next owner's checks stand; nothing to do.
    }
  }

  release(): void {
    clearInterval(this.timer);
    try {
      const held = readLock(this.file);
      if (held && held.owner.pid === this.owner.pid && held.owner.host === this.owner.host && held.owner.started === this.owner.started) unlinkSync(this.file);
    } catch {
      // Already gone.
    }
  }
}

/** Who holds `runDir`, when anyone does (stale or not). */
export function lockOwner(runDir: string): LockOwner | undefined {
  return readLock(join(runDir, LOCK_FILE))?.owner;
}

/**
 * Who holds `runDir` and is still working on it: undefined when no lock is there or the lock is
 * stale (a killed session's worker). A pool deciding which run to hand out must use this one: a
 * stale lock is taken over the moment a worker starts the run, so deferring the run for it only
 * pushes it (and its study's report) to the end of the pool.
 */
export function liveLockOwner(runDir: string, nowMs = Date.now()): LockOwner | undefined {
  const found = readLock(join(runDir, LOCK_FILE));
  return found && !isStale(found.owner, found.mtimeMs, nowMs) ? found.owner : undefined;
}

/** The stale-lock rule (see the file comment). */
export function isStale(owner: LockOwner, mtimeMs: number, nowMs: number): boolean {
  if (owner.host === hostname() && !pidAlive(owner.pid)) return true;
  return nowMs - mtimeMs > STALE_MS;
}

export function describeOwner(o: LockOwner): string {
  return `pid ${o.pid} on ${o.host} since ${o.started}`;
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: alive but another user's.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function createExclusive(file: string, text: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  }
  try {
    writeSync(fd, text);
  } finally {
    closeSync(fd);
  }
  return true;
}

function readLock(file: string): { owner: LockOwner; text: string; mtimeMs: number } | undefined {
  try {
    const mtimeMs = statSync(file).mtimeMs;
    const text = readFileSync(file, 'utf8');
    // A lock being written (created, not yet filled) reads as empty: treat it as fresh and held.
    const owner = text.trim() === '' ? { pid: -1, host: '(being written)', started: new Date(mtimeMs).toISOString() } : (JSON.parse(text) as LockOwner);
    return { owner, text, mtimeMs: text.trim() === '' ? Date.now() : mtimeMs };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`${file} is not a readable lock (${(err as Error).message}); if no worker is running this run, delete the file`, { cause: err });
  }
}

/**
 * Moves the stale lock aside. Between judging it stale and the rename another worker may have
 * taken it over and locked afresh; then the file we moved is that worker's live lock, and it is
 * put back (link fails if a third lock appeared meanwhile, which then stands).
 */
function takeOver(file: string, staleText: string): void {
  const aside = `${file}.stale-${process.pid}-${Date.now()}`;
  try {
    renameSync(file, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  if (readFileSync(aside, 'utf8') !== staleText) {
    try {
      linkSync(aside, file);
    } catch {
      // A newer lock is in place; it stands.
    }
  }
  unlinkSync(aside);
}
