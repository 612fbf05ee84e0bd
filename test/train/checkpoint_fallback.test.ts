// A newest checkpoint damaged after it was written (truncated weights, broken state.json)
// is skipped with a warning naming it, and the previous one is used; none loading is an
// error naming every checkpoint tried.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkpointPath, loadLatestGoodCheckpoint, saveCheckpoint } from '../../src/engine/checkpoint.js';

function saveAt(runDir: string, step: number): void {
  const w = { dtype: 'float32' as const, shape: [4], data: new Float32Array([step, step, step, step]) };
  saveCheckpoint(checkpointPath(runDir, step), { model: { w }, state: { step, config: {}, dataCursor: null, rng: {}, metrics: {} } });
}

test('a truncated newest checkpoint falls back to the previous one with a warning', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mm1-fallback-'));
  try {
    saveAt(dir, 2);
    saveAt(dir, 4);
    const warnings: string[] = [];
    assert.equal(loadLatestGoodCheckpoint(dir, (m) => warnings.push(m))!.state.step, 4, 'intact: the newest');
    truncateSync(join(checkpointPath(dir, 4), 'model.safetensors'), 20);
    const ck = loadLatestGoodCheckpoint(dir, (m) => warnings.push(m))!;
    assert.equal(ck.state.step, 2);
    assert.deepEqual([...(ck.model.tensors.get('w')!.data as Float32Array)], [2, 2, 2, 2]);
    assert.match(warnings.join('\n'), /step-000004: cannot be loaded .*trying the previous checkpoint/);
    assert.match(warnings.join('\n'), /resuming from .*step-000002 instead/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('no checkpoint: null; every checkpoint damaged: an error naming each', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mm1-fallback-'));
  try {
    assert.equal(
      loadLatestGoodCheckpoint(dir, () => {}),
      null,
    );
    saveAt(dir, 2);
    saveAt(dir, 4);
    writeFileSync(join(checkpointPath(dir, 4), 'state.json'), '{"format": "mm1-chec');
    truncateSync(join(checkpointPath(dir, 2), 'model.safetensors'), 3);
    assert.throws(() => loadLatestGoodCheckpoint(dir, () => {}), /no checkpoint can be loaded:\n.*step-000004.*not valid JSON.*\n.*step-000002/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
