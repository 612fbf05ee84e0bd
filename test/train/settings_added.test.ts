// Settings added after a run began: a run.json written before `encoder.clipPool` existed (the
// file the interrupted encoder run res32-small, seed 0, left in the default-scale cache, as mm1
// at c1c8b3d wrote it) resumes under today's config for that run, because its absence meant
// "mean"; a real change of the same key, or of a key not on the list, is still refused by name.
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { codeSalt } from '../../src/ablate/cache.js';
import { planRuns } from '../../src/ablate/plan.js';
import { findStudy } from '../../src/ablate/studies/index.js';
import { checkpointPath, saveCheckpoint } from '../../src/engine/checkpoint.js';
import { pretrainConfig } from '../../src/jobs/ablation_runner.js';
import { ClaimedRunDir } from '../../src/train/run_dir.js';
import { settingsDiff } from '../../src/train/settings_diff.js';
import { ADDED_SETTINGS, stageIdentity, withAddedSettings } from '../../src/train/settings_added.js';

const OLD_RUN_JSON = join(import.meta.dirname, '..', 'fixtures', 'ablate', 'c1c8b3d_run.json');

/** A copy of the old run directory: its run.json as c1c8b3d wrote it, and a checkpoint (so a claim must resume). */
function oldRunDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mm1-oldrun-'));
  copyFileSync(OLD_RUN_JSON, join(dir, 'run.json'));
  const w = { dtype: 'float32' as const, shape: [1], data: new Float32Array([0]) };
  saveCheckpoint(checkpointPath(dir, 300), { model: { w }, state: { step: 300, config: {}, dataCursor: null, rng: {}, metrics: {} } });
  return dir;
}

/** Today's pretraining config for the run that wrote the fixture: encoder study, res32-small, seed 0, default scale. */
function todaysConfig() {
  const run = planRuns(findStudy('encoder'), 'default', 1, codeSalt()).find((p) => p.variant.id === 'res32-small')!;
  assert.equal(run.key, 'c85fe5983d0bfdf6', 'the run whose run.json the fixture is');
  return pretrainConfig(run.config, run.seed);
}

test('an old run.json lacks encoder.clipPool, and only that key: without the rule the resume would be refused', () => {
  const saved = JSON.parse(readFileSync(OLD_RUN_JSON, 'utf8'));
  assert.deepEqual(
    settingsDiff(saved, todaysConfig()).map((d) => [d.path, d.saved, d.given]),
    [['encoder.clipPool', undefined, 'mean']],
  );
});

test('the old run resumes under the config today’s ablation runner builds for it', () => {
  const dir = oldRunDir();
  try {
    assert.equal(ClaimedRunDir.claim(dir, todaysConfig(), true).path, dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a real change of the added key, or of a key the list does not name, is still refused by name', () => {
  const dir = oldRunDir();
  try {
    const today = todaysConfig();
    assert.throws(
      () => ClaimedRunDir.claim(dir, { ...today, encoder: { ...today.encoder, clipPool: 'attn' } }, true),
      /--resume: these settings differ .*\n {2}encoder\.clipPool: the run has "mean", this command gives "attn"\n/,
    );
    assert.throws(
      () => ClaimedRunDir.claim(dir, { ...today, train: { ...today.train, steps: 2000 } }, true),
      /train\.steps: the run has 1000, this command gives 2000/,
    );
    // A key missing from the saved file that the list does not name is not filled in.
    const saved = JSON.parse(readFileSync(OLD_RUN_JSON, 'utf8'));
    delete saved.train.clipNorm;
    assert.deepEqual(
      settingsDiff(withAddedSettings(saved), today).map((d) => d.path),
      ['train.clipNorm'],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('withAddedSettings fills a listed key only where its section exists; stageIdentity drops it only at its old value', () => {
  assert.deepEqual(withAddedSettings({ data: { source: 'world' }, encoder: {} }), { data: { source: 'world', version: 1 }, encoder: { clipPool: 'mean' } });
  assert.deepEqual(withAddedSettings({ data: { source: 'llava' } }), { data: { source: 'llava', version: 2 } }, 'an SFT config gains no encoder section');
  assert.deepEqual(withAddedSettings({ data: { version: 2 }, encoder: { clipPool: 'cls' } }), { data: { version: 2 }, encoder: { clipPool: 'cls' } });
  const config = { data: { version: 1 }, encoder: { clipSteps: 8, clipPool: 'mean' } };
  assert.deepEqual(stageIdentity(config), { data: { version: 1 }, encoder: { clipSteps: 8 } }, 'data.version was always hashed: kept');
  assert.deepEqual(stageIdentity({ ...config, encoder: { clipSteps: 8, clipPool: 'attn' } }), { ...config, encoder: { clipSteps: 8, clipPool: 'attn' } });
  assert.deepEqual(config.encoder, { clipSteps: 8, clipPool: 'mean' }, 'the input is not modified');
  assert.ok(ADDED_SETTINGS.every((s) => /^[a-z]+(\.[a-zA-Z]+)+$/.test(s.path)));
});
