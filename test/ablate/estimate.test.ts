// The dry-run cost model: the base run's stages by hand, and each shared stage counted once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE_STAGE_SECONDS, estimatePlan, imageEvalItems, stageSeconds, totalSeconds, visionCost } from '../../src/ablate/estimate.js';
import { planRuns } from '../../src/ablate/plan.js';
import { findStudy } from '../../src/ablate/studies/index.js';

const near = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-6, `${what}: ${a} vs ${b}`);
const plan = (study: string, seeds = 3) => planRuns(findStudy(study), 'default', seeds, 'x').map((p) => p.config);

test('the base run is the calibration: 800 CLIP steps + 1,000 pretraining steps + the evaluation of 1,400 image items + start-up', () => {
  // The eight world sets at a limit of 300: 200 + 100 + 100 + 300 + 200 + 200 + 100 + 200.
  assert.equal(imageEvalItems(300), 1400);
  assert.equal(imageEvalItems(200), 1300, 'a limit of 200 evaluated all but 100 of VQAv2');
  const [base] = plan('seeds', 1);
  const s = stageSeconds(base, 'default');
  const b = BASE_STAGE_SECONDS;
  near(s.clip, 800 * b.clipStep, 'CLIP');
  near(s.pretrain, 1000 * b.pretrainStep, 'pretraining');
  near(s.evaluation, b.evaluation, 'evaluation');
  assert.equal(s.sft, 0);
  near(totalSeconds(s), b.overhead + 800 * b.clipStep + 1000 * b.pretrainStep + b.evaluation, 'total');
  // A plan generates the evaluation items once, whatever its number of runs (3 seeds share nothing else).
  const seeds = plan('seeds');
  near(estimatePlan(seeds, [], 'default').seconds, seeds.reduce((a, c) => a + totalSeconds(stageSeconds(c, 'default')), 0) + b.evalItems, 'three seeds');
  // The encoder's cost by its multiply-adds: 128 px has 4× the patches, and attention over them grows faster.
  near(visionCost({ imageSize: 64, patchSize: 8, width: 64, depth: 3, mlpHidden: 256 }), 1, 'base encoder');
  assert.ok(visionCost({ imageSize: 128, patchSize: 8, width: 64, depth: 3, mlpHidden: 256 }) > 4);
});

test('a CLIP stage is counted once per encoder and seed, and not at all when a finished run made it', () => {
  const connector = plan('connector');
  const alone = estimatePlan(connector, [], 'default');
  // 5 variants × 3 seeds, one encoder: 3 CLIP stages, 12 reused.
  assert.equal(alone.sharedClip, 12);
  const oneClip = stageSeconds(connector[0], 'default').clip;
  near(alone.stages.clip, 3 * oneClip, 'three CLIP stages');
  // After the seeds study (the base run at seeds 0–2), the connector study trains no CLIP stage.
  const after = estimatePlan(
    connector.filter((c) => !plan('seeds').some((b) => JSON.stringify(b) === JSON.stringify(c))),
    plan('seeds'),
    'default',
  );
  assert.equal(after.stages.clip, 0);
  // Each encoder of the encoder study is its own stage: 4 encoders × 3 seeds, nothing reused.
  assert.equal(estimatePlan(plan('encoder'), [], 'default').sharedClip, 0);
});

test('the highres variants pretrain once per seed and fine-tune each', () => {
  const highres = plan('highres');
  const e = estimatePlan(highres, [], 'default');
  assert.equal(e.sharedPretrain, 6, '3 variants × 3 seeds share 3 pretrainings');
  near(e.stages.pretrain, 3 * stageSeconds(highres[0], 'default').pretrain, 'three pretrainings');
  near(
    e.stages.sft,
    highres.reduce((a, c) => a + stageSeconds(c, 'default').sft, 0),
    'every fine-tuning',
  );
  assert.ok(e.stages.sft > 0);
});
