// The quick start's schedule is the tiny recipe plus named overrides; this pins it to the
// settings the quick start trains with (the same as ever but for pictures drawn at 48 px) (its finished-model check compares the
// saved config as JSON, so even key order matters).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parsePretrainConfig } from '../../src/train/config.js';
import { FROZEN_ENCODER_OVERRIDES, frozenEncoderTrain } from '../../src/train/presets.js';
import { quickstartConfig } from '../../src/jobs/quickstart.js';
import { getRecipe } from '../../src/model/build/recipes.js';

test("quickstartConfig: tiny recipe, 45:45:10, 16 × 256 tokens, 8 images, lr 3e-3, encoder frozen, pictures drawn at the encoder's 48 px", () => {
  const before = parsePretrainConfig({
    recipe: 'tiny',
    data: { mixture: { interleaved: 45, caption: 45, text: 10 }, seed: 3, renderSize: 48 },
    encoder: { clipSteps: 200, clipBatchSize: 64, clipLr: 1e-3 },
    train: {
      steps: 600,
      batchSize: 16,
      seqLen: 256,
      maxImages: 8,
      lr: 3e-3,
      warmupSteps: 30,
      minLrRatio: 0.1,
      checkpointEvery: 100,
      seed: 3,
      freeze: ['vision'],
    },
  });
  assert.equal(JSON.stringify(quickstartConfig(600, 200, 3)), JSON.stringify(before));
});

test('the frozen-encoder schedule differs from the tiny recipe only in the named overrides', () => {
  const recipe = getRecipe('tiny').train as unknown as Record<string, unknown>;
  const derived = frozenEncoderTrain('tiny') as unknown as Record<string, unknown>;
  const changed = Object.keys(derived).filter((k) => JSON.stringify(derived[k]) !== JSON.stringify(recipe[k]));
  assert.deepEqual(changed.sort(), Object.keys(FROZEN_ENCODER_OVERRIDES).sort());
});

test('quickstartConfig: the learning rates and batch given land in the CLIP stage and in pretraining, and nothing else moves', () => {
  const base = quickstartConfig(600, 200, 3);
  const tuned = quickstartConfig(600, 200, 3, { clipLr: 2e-3, lr: 6e-3, batchSize: 8 });
  assert.deepEqual([tuned.encoder.clipLr, tuned.train.lr, tuned.train.batchSize], [2e-3, 6e-3, 8]);
  assert.deepEqual({ ...tuned, encoder: base.encoder, train: base.train }, base);
  assert.deepEqual({ ...tuned.train, lr: base.train.lr, batchSize: base.train.batchSize }, base.train);
  assert.deepEqual({ ...tuned.encoder, clipLr: base.encoder.clipLr }, base.encoder);
});
