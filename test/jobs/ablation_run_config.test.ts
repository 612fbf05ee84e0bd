// What the real ablation runner hands to pretraining (pretrainConfig): every study's runs keep the
// frozen-encoder run with the default CLIP stage, and a config that sets the CLIP stage's other
// settings or the encoder's treatment in pretraining (docs/reading.md, session 7) gets them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { withOverrides } from '../../src/ablate/studies/base.js';
import { STUDIES } from '../../src/ablate/studies/index.js';
import { clipStageInputs, pretrainConfig } from '../../src/jobs/ablation_runner.js';

test('pretrainConfig: every study variant pretrains with the encoder frozen after the default CLIP stage', () => {
  for (const study of STUDIES)
    for (const scale of ['smoke', 'default'] as const)
      for (const v of study.variants(scale)) {
        const run = pretrainConfig(v.config, 0);
        const where = `${study.name}/${scale}/${v.id}`;
        // 0.8 × the pretraining steps, the CLIP batch, LR, pool and captions every study has used.
        assert.deepEqual(
          run.encoder,
          { clipSteps: Math.max(100, Math.round(run.train.steps * 0.8)), clipBatchSize: 64, clipLr: 1e-3, clipTextShare: 0, clipPool: 'mean' },
          where,
        );
        assert.deepEqual(run.train.freeze, ['vision'], where);
        assert.deepEqual(run.train.lrScale, {}, where);
      }
});

test('pretrainConfig: the CLIP stage settings and the encoder treatment a config sets reach pretraining and the stage identity', () => {
  const config = withOverrides('default', {
    'encoder.clipTextShare': 0.5,
    'encoder.clipTextCaptions': 'word',
    'encoder.clipHardNegatives': 8,
    'encoder.clipPool': 'max',
    'encoder.clipWordSteps': 800,
    'train.freeze': [],
    'train.lrScale': { vision: 0.1 },
  });
  const run = pretrainConfig(config, 3);
  assert.deepEqual(run.encoder, {
    clipSteps: 800,
    clipBatchSize: 64,
    clipLr: 1e-3,
    clipTextShare: 0.5,
    clipPool: 'max',
    clipHardNegatives: 8,
    clipTextCaptions: 'word',
    clipWordSteps: 800,
  });
  assert.deepEqual(run.train.freeze, []);
  assert.deepEqual(run.train.lrScale, { vision: 0.1 });
  assert.equal(run.train.seed, 3);
  // The shared CLIP stage is keyed on them, so it is not confused with the studies' stage.
  const studies = clipStageInputs(pretrainConfig(withOverrides('default', {}), 3));
  assert.notDeepEqual(clipStageInputs(run).encoder, studies.encoder);
  assert.equal((clipStageInputs(run).encoder as Record<string, unknown>).clipTextCaptions, 'word');
  assert.equal((clipStageInputs(run).encoder as Record<string, unknown>).clipWordSteps, 800);
});

test('pretrainConfig: a misspelt CLIP setting is refused by name instead of ignored', () => {
  assert.throws(() => pretrainConfig(withOverrides('default', { 'encoder.clipTextCaption': 'word' }), 0), /clipTextCaption/);
});
