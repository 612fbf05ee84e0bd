import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { flatten } from '../../src/ablate/config_paths.js';
import { planRuns } from '../../src/ablate/plan.js';
import { runStudy } from '../../src/ablate/run_study.js';
import { estimatePlan } from '../../src/ablate/estimate.js';
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
        // MM1 reports its SFT numbers zero-shot; the pretraining studies at 0, 4 and 8 shots.
        assert.deepEqual(p.config.eval && (p.config.eval as { shots: number[] }).shots, study.name.startsWith('sft-') ? [0] : [0, 4, 8]);
      }
    }
  }
});

test('the grids are the ones the brief asks for', () => {
  const axes = (name: string) =>
    findStudy(name)
      .variants('smoke')
      .map((v) => v.axes);
  // Encoder: 2 × 2, resolution × size.
  assert.deepEqual(
    axes('encoder').map((a) => `${a.resolution}/${a.encoder}`),
    ['32/small', '32/large', '128/small', '128/large'],
  );
  // Connector: plus-shaped, C-Abstractor at 4 / 16 / 64 tokens and every type at 16.
  assert.deepEqual(
    axes('connector').map((a) => `${a.connector}-${a.tokens}`),
    ['cabstractor-4', 'cabstractor-16', 'cabstractor-64', 'avgpool-16', 'attnpool-16'],
  );
  assert.equal(axes('mixture').length, 5);
  const highres = findStudy('highres')
    .variants('smoke')
    .map((v) => flatten(v.config));
  assert.deepEqual(
    highres.map((c) => [c['sft.imageSize'], c['sft.subImageGrid']]),
    [
      [32, 0],
      [64, 0],
      [32, 2],
    ],
  );
  assert.throws(
    () => findStudy('nope'),
    /unknown study 'nope'; choose one of: encoder, connector, mixture, highres, highres-mixedres, sft-connector, sft-mixture, seeds/,
  );
});

test('smoke studies take minutes, and every study runs 3 seeds at default scale', () => {
  for (const study of STUDIES) {
    const minutes =
      estimatePlan(
        planRuns(study, 'smoke', study.seeds.smoke, 'x').map((p) => p.config),
        [],
        'smoke',
      ).seconds / 60;
    assert.ok(minutes <= 20, `${study.name} smoke: ${minutes.toFixed(0)} min`);
    assert.equal(study.seeds.default, 3, `${study.name}: 3 seeds at default scale`);
  }
});

test('fair comparisons: every variant packs 8 images per training sequence and has a context for 8-shot prompts of its images', () => {
  const lengths = (name: string) =>
    findStudy(name)
      .variants('default')
      .map((v) => flatten(v.config));
  const connector = lengths('connector');
  // 8 × (tokens + 24) rounded up to 32, at least 256: 4 → 256, 16 → 320, 64 → 704.
  assert.deepEqual(
    connector.map((c) => [c['model.connector.tokens'], c['train.seqLen'], c['train.maxImages']]),
    [4, 16, 64, 16, 16].map((t) => [t, { 4: 256, 16: 320, 64: 704 }[t], 8]),
  );
  // A context for 9 images of its own: 9 × (64 + 32) = 864 → 896; smaller ones fit in 512.
  assert.deepEqual(
    connector.map((c) => c['model.llm.maxPositions']),
    [512, 512, 896, 512, 512],
  );
  // Highres: sub-image sets are 5 × 16 = 80 tokens: 9 × 112 = 1008 → 1024 for every variant (they share pretraining); SFT 4 × (80 + 24) = 416.
  const highres = lengths('highres');
  assert.deepEqual(
    highres.map((c) => [c['model.llm.maxPositions'], c['sft.seqLen'], c['sft.maxImages']]),
    [
      [1024, 256, 4],
      [1024, 256, 4],
      [1024, 416, 4],
    ],
  );
  // Training positions must fit the RoPE table: a 704-token sequence in a 512-position model fails in ONNX Runtime's Gather.
  for (const study of STUDIES) {
    for (const c of lengths(study.name))
      assert.ok(
        Number(c['model.llm.maxPositions']) >= Math.max(Number(c['train.seqLen']), Number(c['sft.seqLen'] ?? 0)),
        `${study.name}: ${JSON.stringify(c)}`,
      );
  }
  for (const name of ['encoder', 'mixture', 'seeds'])
    assert.deepEqual([...new Set(lengths(name).map((c) => `${c['train.seqLen']}/${c['model.llm.maxPositions']}/${c['eval.seed']}`))], ['320/512/0'], name);
});

test("each study's claims point the way MM1 does: all reproduced in an MM1-like world, all refuted in the reversed one", async () => {
  for (const study of STUDIES) {
    for (const sign of [1, -1]) {
      const outcome = await runStudy(study, {
        scale: 'smoke',
        outDir: mkdtempSync(join(tmpdir(), 'mm1-study-')),
        runner: syntheticRunner({ sign }),
        salt: 'x',
      });
      const expected = sign > 0 ? 'reproduced' : 'not reproduced';
      for (const { claim, outcome: o } of outcome.claims) assert.equal(o.verdict, expected, `${study.name}/${claim.id} (sign ${sign}): ${o.evidence}`);
    }
  }
});

test('highres-mixedres differs from highres only in the sub-image variant’s eval.highResLast, so the other runs are shared', () => {
  for (const scale of SCALES) {
    const plain = planRuns(findStudy('highres'), scale, 3, 'x');
    const mixed = planRuns(findStudy('highres-mixedres'), scale, 3, 'x');
    assert.deepEqual(
      mixed.map((p) => `${p.variant.id}/${p.seed}`),
      plain.map((p) => `${p.variant.id}/${p.seed}`),
    );
    mixed.forEach((m, i) => {
      const a = flatten(plain[i].config);
      const b = flatten(m.config);
      if (m.variant.id === 'sub-images') {
        assert.equal(b['eval.highResLast'], 1, `${scale}: the sub-image variant shows only the query at high resolution`);
        assert.notEqual(m.key, plain[i].key);
        delete b['eval.highResLast'];
        assert.deepEqual(b, a, 'nothing else changes');
      } else {
        assert.equal(m.key, plain[i].key, `${scale} ${m.variant.id}: the same run as highres's, so its cache serves both`);
      }
    });
  }
});
