// A run directory is claimed once, by the job that starts the run, before any of its work:
// a busy directory is refused before the CLIP stage, a resume must bring the saved settings,
// and runTraining trains in the claimed directory without claiming it again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkpointPath, saveCheckpoint } from '../../src/engine/checkpoint.js';
import { parsePretrainConfig } from '../../src/train/config.js';
import { resolveModelConfig } from '../../src/train/model_setup.js';
import { pretrain } from '../../src/train/pretrain.js';
import { ClaimedRunDir } from '../../src/train/run_dir.js';
import { runTraining } from '../../src/train/run_training.js';
import { worldSources, worldTokenizer } from '../../src/train/world_data.js';

const micro = (clipSteps: number) =>
  parsePretrainConfig({
    recipe: 'tiny',
    model: {
      vision: { imageSize: 32, width: 32, depth: 1, heads: 2, mlpHidden: 64 },
      llm: { width: 48, depth: 1, heads: 2, mlpHidden: 96, maxPositions: 128 },
    },
    encoder: { clipSteps, clipBatchSize: 4 },
    train: { steps: 4, batchSize: 2, seqLen: 96, maxImages: 3, lr: 3e-3, checkpointEvery: 1000 },
  });

/** A run directory that already holds a checkpoint of a run started with `config`. */
function busyRunDir(dir: string, config: unknown): void {
  ClaimedRunDir.claim(dir, config, false);
  const w = { dtype: 'float32' as const, shape: [1], data: new Float32Array([0]) };
  saveCheckpoint(checkpointPath(dir, 2), { model: { w }, state: { step: 2, config, dataCursor: null, rng: {}, metrics: {} } });
}

test('claim: a fresh directory records the settings; a busy one needs --resume with the same settings', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mm1-rundir-'));
  try {
    const out = join(dir, 'run');
    const run = ClaimedRunDir.claim(out, { a: 1 }, false);
    assert.equal(run.path, out);
    assert.deepEqual(run.runConfig, { a: 1 });
    assert.deepEqual(JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')), { a: 1 });
    ClaimedRunDir.claim(out, { a: 2 }, false); // no checkpoint yet: nothing to protect, the new settings win
    busyRunDir(out, { a: 2 });
    assert.throws(() => ClaimedRunDir.claim(out, { a: 2 }, false), /already holds a run with checkpoints; pass --resume/);
    assert.throws(() => ClaimedRunDir.claim(out, { a: 3 }, true), /settings differ .*\n {2}a: the run has 2, this command gives 3\n/);
    assert.equal(ClaimedRunDir.claim(out, { a: 2 }, true).path, out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('pretrain refuses a busy directory before its CLIP stage', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mm1-rundir-'));
  try {
    busyRunDir(dir, micro(3));
    await assert.rejects(pretrain({ config: micro(3), out: dir, quiet: true }), /already holds a run with checkpoints/);
    assert.ok(!existsSync(join(dir, 'clip')), 'the CLIP stage should not have started');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('runTraining does not claim the directory again (run.json is written by the claim only)', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mm1-rundir-'));
  try {
    const config = micro(0);
    const tokenizer = worldTokenizer();
    const run = ClaimedRunDir.claim(dir, config, false);
    rmSync(join(dir, 'run.json'));
    // Starting weights that cover nothing: runTraining stops at the first tensor, after the
    // point where it used to re-claim and before any session is built.
    const job = {
      run,
      model: resolveModelConfig(config, tokenizer.vocabSize),
      tokenizer,
      train: config.train,
      sources: worldSources(config.data),
      dataSeed: 0,
      init: new Map(),
      initCoverage: 'all' as const,
      quiet: true,
      label: 'test',
    };
    await assert.rejects(runTraining(job), /the starting model has no tensor/);
    assert.ok(!existsSync(join(dir, 'run.json')), 'runTraining wrote run.json: it claimed the directory a second time');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
