import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { atomicWriteFile } from '../../src/engine/atomic_write.js';
import { checkpointPath, latestCheckpoint, loadCheckpoint, pruneCheckpoints, saveCheckpoint, type CheckpointState } from '../../src/engine/checkpoint.js';
import { tensor } from '../helpers/host.js';

const DEAD_PID = 999_999_999; // above Linux's pid_max, so never a live process
const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

function state(step: number): CheckpointState {
  return { step, config: { recipe: 'tiny', lr: 1e-3 }, dataCursor: { shard: 3, offset: step }, rng: { data: 17 + step }, metrics: { loss: 2.5 } };
}

function save(runDir: string, step: number, value = step): string {
  const dir = checkpointPath(runDir, step);
  saveCheckpoint(dir, {
    model: { w: tensor('float32', [2, 2], new Float32Array(4).fill(value)) },
    optimizer: { 'adam.m.w': tensor('float32', [2, 2], new Float32Array(4).fill(-value)), 'adam.step': tensor('int64', [], BigInt64Array.of(BigInt(step))) },
    state: state(step),
  });
  return dir;
}

test('a checkpoint round-trips weights, optimiser state and state.json', () => {
  const runDir = mkdtempSync(join(tmpdir(), 'mm1-ckpt-'));
  const before = Date.now();
  const dir = save(runDir, 100);
  const after = Date.now();
  assert.equal(dir, join(runDir, 'checkpoints', 'step-000100'));
  assert.deepEqual(readdirSync(dir).sort(), ['model.safetensors', 'optimizer.safetensors', 'state.json']);
  const ckpt = loadCheckpoint(dir);
  assert.deepEqual(ckpt.model.tensors.get('w')!.data, new Float32Array(4).fill(100));
  assert.deepEqual(ckpt.model.metadata, { format: 'pt', producer: 'mm1', step: '100', recipe: 'tiny' });
  assert.deepEqual(ckpt.optimizer!.tensors.get('adam.m.w')!.data, new Float32Array(4).fill(-100));
  assert.deepEqual(ckpt.optimizer!.tensors.get('adam.step')!.data, BigInt64Array.of(100n));
  const { format, formatVersion, mm1Version, savedAt, files, ...rest } = ckpt.state;
  assert.deepEqual(rest, state(100));
  assert.equal(format, 'mm1-checkpoint');
  assert.equal(formatVersion, 1);
  assert.equal(mm1Version, pkg.version);
  // savedAt is the time of this save (an ISO date written during the call), not a stale one.
  assert.ok(Date.parse(savedAt) >= before && Date.parse(savedAt) <= after, `savedAt ${savedAt}`);
  assert.deepEqual(files, ['model.safetensors', 'optimizer.safetensors']);
});

test('saving over an existing checkpoint replaces it and leaves nothing behind', () => {
  const runDir = mkdtempSync(join(tmpdir(), 'mm1-ckpt-'));
  save(runDir, 5, 1);
  save(runDir, 5, 2);
  assert.deepEqual(loadCheckpoint(checkpointPath(runDir, 5)).model.tensors.get('w')!.data, new Float32Array(4).fill(2));
  assert.deepEqual(readdirSync(join(runDir, 'checkpoints')), ['step-000005']);
});

test('a model-only checkpoint has no optimizer file, and a missing listed file is reported', () => {
  const runDir = mkdtempSync(join(tmpdir(), 'mm1-ckpt-'));
  const dir = checkpointPath(runDir, 1);
  saveCheckpoint(dir, { model: { w: tensor('float32', [1], Float32Array.of(1)) }, state: state(1) });
  assert.equal(loadCheckpoint(dir).optimizer, null);
  const full = save(runDir, 2);
  renameSync(join(full, 'optimizer.safetensors'), join(runDir, 'elsewhere'));
  assert.throws(() => loadCheckpoint(full), /step-000002: state.json lists optimizer.safetensors but it is missing/);
  assert.throws(() => loadCheckpoint(runDir), /no state.json, so this is not a complete mm1 checkpoint/);
});

test('latestCheckpoint picks the highest step numerically and cleans up after dead writers', () => {
  const runDir = mkdtempSync(join(tmpdir(), 'mm1-ckpt-'));
  assert.equal(latestCheckpoint(runDir), null);
  save(runDir, 99);
  save(runDir, 100);
  const root = join(runDir, 'checkpoints');
  mkdirSync(join(root, 'step-5000000')); // no state.json: not a checkpoint
  mkdirSync(join(root, `step-000200.tmp-${DEAD_PID}`)); // a half-written newer one
  writeFileSync(join(root, `step-000200.tmp-${DEAD_PID}`, 'model.safetensors'), 'partial');
  mkdirSync(join(root, `step-000300.tmp-${process.ppid}`)); // a live writer's work in progress
  const warnings: string[] = [];
  assert.equal(
    latestCheckpoint(runDir, (w) => warnings.push(w)),
    join(root, 'step-000100'),
  );
  assert.equal(warnings.length, 2, warnings.join('\n'));
  assert.match(warnings.join('\n'), new RegExp(`step-000200.tmp-${DEAD_PID}: removed, left behind by a writer that stopped`));
  assert.match(warnings.join('\n'), /step-5000000: skipped, it has no state.json/);
  assert.ok(!existsSync(join(root, `step-000200.tmp-${DEAD_PID}`)));
  assert.ok(existsSync(join(root, `step-000300.tmp-${process.ppid}`)), 'a live process keeps its temp dir');
  save(runDir, 1_234_567);
  assert.equal(
    latestCheckpoint(runDir, () => {}),
    join(root, 'step-1234567'),
  );
});

test('latestCheckpoint restores a checkpoint set aside by a replacement that died halfway', () => {
  const runDir = mkdtempSync(join(tmpdir(), 'mm1-ckpt-'));
  const dir = save(runDir, 7);
  // The state right after the first rename of a replacement: old aside, new still a temp dir.
  renameSync(dir, `${dir}.old-${DEAD_PID}`);
  mkdirSync(`${dir}.tmp-${DEAD_PID}`);
  const warnings: string[] = [];
  assert.equal(
    latestCheckpoint(runDir, (w) => warnings.push(w)),
    dir,
  );
  assert.equal(loadCheckpoint(dir).state.step, 7);
  assert.equal(warnings.length, 2);
  assert.deepEqual(readdirSync(join(runDir, 'checkpoints')), ['step-000007']);
});

test('pruneCheckpoints keeps the newest n', () => {
  const runDir = mkdtempSync(join(tmpdir(), 'mm1-ckpt-'));
  for (const step of [10, 20, 30, 40]) save(runDir, step);
  const removed = pruneCheckpoints(runDir, 2);
  assert.deepEqual(removed, [checkpointPath(runDir, 20), checkpointPath(runDir, 10)]);
  assert.deepEqual(readdirSync(join(runDir, 'checkpoints')).sort(), ['step-000030', 'step-000040']);
});

test('atomicWriteFile replaces content and leaves no temp file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mm1-atomic-'));
  const path = join(dir, 'metrics.json');
  atomicWriteFile(path, 'first');
  atomicWriteFile(path, [Buffer.from('sec'), Buffer.from('ond')]);
  assert.equal(readFileSync(path, 'utf8'), 'second');
  assert.deepEqual(readdirSync(dir), ['metrics.json']);
  assert.throws(() => atomicWriteFile(join(dir, 'no-such-dir', 'x'), 'x'), /ENOENT/);
});
