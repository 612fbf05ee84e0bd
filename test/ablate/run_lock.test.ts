// Run locks: one worker per run; stale locks (dead owner on this host, or no heartbeat for
// STALE_MS) are taken over; a study waits for a run another worker holds and then reuses it.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { codeSalt, RunCache } from '../../src/ablate/cache.js';
import { planRuns } from '../../src/ablate/plan.js';
import { runOne, STAGE_DONE_FILE } from '../../src/ablate/run_one.js';
import { runStudy, runToDo, type StudyEvent } from '../../src/ablate/run_study.js';
import { isStale, liveLockOwner, LOCK_FILE, lockOwner, RunLock, STALE_MS } from '../../src/ablate/run_lock.js';
import { findStudy } from '../../src/ablate/studies/index.js';
import { syntheticRunner } from './synthetic_runner.js';

/** A pid that is certainly not running: a child that has already exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '0']).pid;
}

test('the first worker locks a run; a second sees who holds it until the first releases', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mm1-lock-'));
  const first = RunLock.acquire(dir);
  assert.ok(first.acquired);
  const lock = JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8'));
  assert.deepEqual(Object.keys(lock), ['pid', 'host', 'started']);
  assert.equal(lock.pid, process.pid);
  const second = RunLock.acquire(dir);
  assert.ok(!second.acquired && second.owner.pid === process.pid && second.owner.host === hostname(), 'a live owner keeps the lock');
  first.lock.release();
  assert.ok(!existsSync(join(dir, LOCK_FILE)));
  const third = RunLock.acquire(dir);
  assert.ok(third.acquired);
  third.lock.release();
});

test('liveLockOwner: a killed session’s lock is no one’s, so a pool does not defer the run for it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mm1-lock-'));
  assert.equal(liveLockOwner(dir), undefined, 'no lock');
  writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: deadPid(), host: hostname(), started: '2026-01-01T00:00:00.000Z' }));
  assert.ok(lockOwner(dir), 'the stale lock is still there to see');
  assert.equal(liveLockOwner(dir), undefined, 'dead pid on this host: not held');
  rmSync(join(dir, LOCK_FILE));
  const held = RunLock.acquire(dir);
  assert.ok(held.acquired);
  assert.equal(liveLockOwner(dir)?.pid, process.pid, 'a live, heartbeating owner holds it');
  assert.equal(liveLockOwner(dir, Date.now() + STALE_MS + 1000), undefined, 'silent for longer than STALE_MS: not held');
  held.lock.release();
});

test('stale rule: a dead owner on this host, or no heartbeat for STALE_MS anywhere', () => {
  const now = Date.now();
  assert.equal(isStale({ pid: deadPid(), host: hostname(), started: '' }, now, now), true, 'dead pid here: stale at once');
  assert.equal(isStale({ pid: process.pid, host: hostname(), started: '' }, now - STALE_MS - 1, now), true, 'alive but silent too long: stale');
  assert.equal(isStale({ pid: 1, host: 'elsewhere', started: '' }, now - STALE_MS + 1000, now), false, 'another host, heartbeat fresh: held');
  assert.equal(isStale({ pid: 1, host: 'elsewhere', started: '' }, now - STALE_MS - 1, now), true);

  const dir = mkdtempSync(join(tmpdir(), 'mm1-lock-'));
  writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: deadPid(), host: hostname(), started: '2026-01-01T00:00:00.000Z' }));
  const took = RunLock.acquire(dir);
  assert.ok(took.acquired, 'the dead worker’s lock is taken over');
  assert.equal(JSON.parse(readFileSync(join(dir, LOCK_FILE), 'utf8')).pid, process.pid);
  took.lock.release();

  writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: 4242, host: 'other-node', started: '2026-01-01T00:00:00.000Z' }));
  assert.ok(!RunLock.acquire(dir).acquired, 'a fresh lock from another host holds');
  const old = new Date(Date.now() - STALE_MS - 60_000);
  utimesSync(join(dir, LOCK_FILE), old, old);
  const after = RunLock.acquire(dir);
  assert.ok(after.acquired, 'a lock from another host without heartbeat for STALE_MS is taken over');
  after.lock.release();
});

test('runOne: a held run is not run; a finished one is not rerun', async () => {
  const study = findStudy('connector');
  const salt = codeSalt('lock-test');
  const [run] = planRuns(study, 'smoke', 1, salt);
  const cache = new RunCache(mkdtempSync(join(tmpdir(), 'mm1-lock-cache-')));
  const todo = runToDo(study, 'smoke', run, salt);
  const runner = syntheticRunner();
  const dir = cache.begin(todo.key, todo.identity, todo.about);
  writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: process.pid, host: hostname(), started: '2026-01-01T00:00:00.000Z' }));
  const held = await runOne(todo, cache, runner);
  assert.equal(held.status, 'locked');
  assert.equal(runner.calls.length, 0);
  rmSync(join(dir, LOCK_FILE));
  assert.equal((await runOne(todo, cache, runner)).status, 'finished');
  assert.ok(!existsSync(join(dir, LOCK_FILE)), 'released after the run');
  assert.equal((await runOne(todo, cache, runner)).status, 'cached');
  assert.equal(runner.calls.length, 1);
  assert.deepEqual(cache.planned(todo.key).identity, todo.identity, 'the run can be started again by its key alone');
  assert.throws(() => cache.planned('not-a-key'), /'not-a-key' is not a run key \(16 hex digits, as `mm1 ablate <study> --plan` prints\)/);
  assert.throws(
    () => cache.planned('0123456789abcdef'),
    /no run 0123456789abcdef in .*: .*config\.json does not exist\. Print the study's plan with the same --cache first/,
  );
});

test('a study waits for a run another worker holds, then reports it as that worker left it', async () => {
  const study = findStudy('highres');
  const salt = codeSalt('wait-test');
  const cacheDir = mkdtempSync(join(tmpdir(), 'mm1-lock-wait-'));
  const cache = new RunCache(cacheDir);
  const plan = planRuns(study, 'smoke', 1, salt);
  const other = runToDo(study, 'smoke', plan[1], salt);
  const dir = cache.begin(other.key, other.identity, other.about);
  writeFileSync(join(dir, LOCK_FILE), JSON.stringify({ pid: process.pid, host: hostname(), started: '2026-01-01T00:00:00.000Z' }));
  // The "other worker": finishes the held run a little later and releases its lock.
  const otherRunner = syntheticRunner();
  setTimeout(() => {
    void otherRunner(structuredClone({ ...other.identity.config, seed: other.identity.seed }), dir, { log: () => {}, sharedDir: () => dir }).then((r) => {
      cache.complete(other.key, r);
      rmSync(join(dir, LOCK_FILE));
    });
  }, 100);
  const runner = syntheticRunner();
  const events: StudyEvent[] = [];
  const outcome = await runStudy(study, { scale: 'smoke', outDir: join(cacheDir, 'out'), cacheDir, salt, runner, pollMs: 20, onEvent: (e) => events.push(e) });
  assert.equal(runner.calls.length, 2, 'this worker ran the two runs nobody held');
  assert.deepEqual(
    events.filter((e) => e.type === 'waiting').map((e) => e.run.key),
    [other.key],
  );
  assert.equal(outcome.runs.length, 3);
  assert.equal(outcome.freshRuns, 2, "the waited-for run is the other worker's, not counted as run here");
});

test('a shared stage is locked for the run that uses it and released after', async () => {
  const study = findStudy('highres');
  const salt = codeSalt('stage-test');
  const [run] = planRuns(study, 'smoke', 1, salt);
  const cache = new RunCache(mkdtempSync(join(tmpdir(), 'mm1-lock-stage-')));
  const todo = runToDo(study, 'smoke', run, salt);
  let stageDir = '';
  let heldDuringRun: unknown;
  const synthetic = syntheticRunner();
  const outcome = await runOne(todo, cache, async (config, runDir, signal) => {
    stageDir = signal.sharedDir('pretrain', { steps: 1 });
    heldDuringRun = JSON.parse(readFileSync(join(stageDir, LOCK_FILE), 'utf8'));
    return synthetic(config, runDir, signal);
  });
  assert.equal(outcome.status, 'finished');
  assert.equal((heldDuringRun as { pid: number }).pid, process.pid);
  assert.equal(stageDir, cache.sharedDir('pretrain', { steps: 1 }, salt));
  assert.ok(!existsSync(join(stageDir, LOCK_FILE)), 'released when the run ended');
});

test('a finished shared stage (its STAGE_DONE_FILE present) is reused without a lock', async () => {
  const study = findStudy('connector');
  const salt = codeSalt('stage-done-test');
  const [run] = planRuns(study, 'smoke', 1, salt);
  const cache = new RunCache(mkdtempSync(join(tmpdir(), 'mm1-lock-stage-done-')));
  const stageDir = cache.sharedDir('clip', { seed: 0 }, salt);
  mkdirSync(stageDir, { recursive: true });
  writeFileSync(join(stageDir, STAGE_DONE_FILE.clip), 'weights');
  let lockedDuringRun = true;
  const synthetic = syntheticRunner();
  await runOne(runToDo(study, 'smoke', run, salt), cache, async (config, runDir, signal) => {
    assert.equal(signal.sharedDir('clip', { seed: 0 }), stageDir);
    lockedDuringRun = existsSync(join(stageDir, LOCK_FILE));
    return synthetic(config, runDir, signal);
  });
  assert.equal(lockedDuringRun, false, 'no lock on a finished stage: runs sharing it go on in parallel');
});

test('two workers whose runs share a CLIP stage train it once: the second waits, then reuses it', { timeout: 300_000 }, async () => {
  const cacheDir = mkdtempSync(join(tmpdir(), 'mm1-lock-concurrent-'));
  const stage = new RunCache(cacheDir).sharedDir('clip', { seed: 0 }, codeSalt('concurrent-stage-test'));
  /** Starts worker `index`; resolves with its output when it exits, calling `onLine` on each line it prints. */
  const worker = (index: number, onLine: (line: string) => void = () => {}) =>
    new Promise<string>((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'stage_worker.ts'), cacheDir, String(index)], {
        stdio: ['ignore', 'pipe', 'inherit'],
      });
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        for (const line of d.toString().split('\n')) onLine(line);
      });
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`stage worker ${index} exited with ${code}:\n${out}`))));
    });
  // Worker 0 takes the stage and trains; worker 1 starts once it has, and must wait for it.
  const first = worker(0);
  while (!existsSync(join(stage, 'trainings'))) await sleep(50);
  const second = worker(1, (line) => {
    if (line.includes('waiting for the shared clip stage')) writeFileSync(join(stage, 'go'), '');
  });
  const outputs = await Promise.all([first, second]);
  assert.equal(readFileSync(join(stage, 'trainings'), 'utf8').trim().split('\n').length, 1, 'the shared stage was trained once');
  assert.deepEqual(
    outputs.map((o) => o.trim().split('\n').at(-1)),
    ['finished', 'finished'],
  );
  assert.ok(!existsSync(join(stage, LOCK_FILE)), 'the stage lock is gone once both runs ended');
});
