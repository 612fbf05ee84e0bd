import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flatten } from '../../src/ablate/config_paths.js';
import { planRuns, trainingSteps } from '../../src/ablate/plan.js';
import { runStudy } from '../../src/ablate/run_study.js';
import { estimateRunSeconds } from '../../src/ablate/studies/base.js';
import { STUDIES, findStudy } from '../../src/ablate/studies/index.js';
import { SCALES } from '../../src/ablate/study.js';
import { syntheticRunner } from './synthetic_runner.js';

test('every study plans distinct runs at both scales, and only uses the agreed config sections', () => {
  for (const study of STUDIES) {
    for (const scale of SCALES) {
      const plan = planRuns(study, scale, study.seeds[scale], 'x');
      assert.equal(new Set(plan.map((p) => p.key)).size, plan.length, `${study.name}/${scale}`);
      for (const p of plan) {
        for (const key of Object.keys(flatten(p.variant.config))) assert.match(key, /^(model|data|train|sft|eval)\./, `${study.name}: ${key}`);
        assert.deepEqual(p.config.eval && (p.config.eval as { shots: number[] }).shots, [0, 4, 8]);
      }
    }
  }
});

test('the grids are the ones the brief asks for', () => {
  const axes = (name: string) => findStudy(name).variants('smoke').map((v) => v.axes);
  assert.deepEqual([...new Set(axes('encoder').map((a) => a.resolution))], [32, 64, 128]);
  assert.deepEqual([...new Set(axes('encoder').map((a) => a.encoder))], ['small', 'large']);
  assert.deepEqual([...new Set(axes('connector').map((a) => a.connector))], ['avgpool', 'attnpool', 'cabstractor']);
  assert.deepEqual([...new Set(axes('connector').map((a) => a.tokens))], [4, 16, 64]);
  assert.equal(axes('mixture').length, 5);
  const highres = findStudy('highres').variants('smoke').map((v) => flatten(v.config));
  assert.deepEqual(highres.map((c) => [c['sft.imageSize'], c['sft.subImageGrid']]), [[32, 0], [64, 0], [32, 2]]);
  assert.throws(() => findStudy('nope'), /unknown study 'nope'; choose one of: encoder, connector, mixture, highres, seeds/);
});

test('at the measured cost per run, smoke studies take minutes and default ones about an hour or less', () => {
  for (const study of STUDIES) {
    const minutes = (scale: 'smoke' | 'default') => planRuns(study, scale, study.seeds[scale], 'x').reduce((a, p) => a + estimateRunSeconds(p.config, scale), 0) / 60;
    assert.ok(minutes('smoke') <= 15, `${study.name} smoke: ${minutes('smoke').toFixed(0)} min`);
    assert.ok(minutes('default') >= 15 && minutes('default') <= 70, `${study.name} default: ${minutes('default').toFixed(0)} min`);
  }
  // Fine-tuning adds to a run's cost in proportion to its steps.
  const highres = findStudy('highres').variants('default')[0]!.config;
  assert.equal(trainingSteps(highres), 1300);
  assert.ok(Math.abs(estimateRunSeconds(highres, 'default') - 436 * 1.3) < 1e-9);
});

test("each study's claims point the way MM1 does: all reproduced in an MM1-like world, all refuted in the reversed one", async () => {
  for (const study of STUDIES) {
    for (const sign of [1, -1]) {
      const outcome = await runStudy(study, { scale: 'smoke', outDir: mkdtempSync(join(tmpdir(), 'mm1-study-')), runner: syntheticRunner({ sign }), salt: 'x' });
      const expected = sign > 0 ? 'reproduced' : 'not reproduced';
      for (const { claim, outcome: o } of outcome.claims) assert.equal(o.verdict, expected, `${study.name}/${claim.id} (sign ${sign}): ${o.evidence}`);
    }
  }
});
