// The multimodal model end to end on a toy task whose answer is only in the image; the
// data contract (batchFeeds) and per-component freezing / learning rates.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initParams } from '../../src/engine/param_store.js';
import { Rng } from '../../src/engine/rng.js';
import { TrainStep, type TrainStepOptions } from '../../src/engine/train_step.js';
import { buildMultimodalTraining } from '../../src/model/build/multimodal.js';
import { batchFeeds } from '../../src/model/build/batch_feeds.js';
import { componentLrScale, componentOf, freezeFilter } from '../../src/model/build/components.js';
import { brightnessBatch, mean, standInTower, tinyConfig } from './fixtures.js';

async function train(steps: number, blank: boolean, seed = 1): Promise<number[]> {
  const cfg = tinyConfig();
  const m = buildMultimodalTraining(cfg, { B: 16, T: 6, N: 1 }, standInTower(cfg));
  const ts = await TrainStep.create(m.g, m.loss, initParams(m.g, seed), { optimizer: { kind: 'adamw', weightDecay: 0 }, clipNorm: 1, threads: 1 });
  const rng = new Rng(seed + 100);
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) losses.push((await ts.run(m.feeds(brightnessBatch(cfg, 16, rng, blank)), 3e-3)).loss);
  await ts.release();
  return losses;
}

test('learns image brightness -> answer token (loss < 0.05); with blanked images it cannot (loss > 1.2)', async () => {
  const seen = await train(150, false);
  const blind = await train(150, true);
  const tail = (xs: number[]) => mean(xs.slice(-15));
  assert.ok(seen[0] > 2, `initial loss ${seen[0]} should be near ln 24 = 3.18`);
  assert.ok(tail(seen) < 0.05, `with images the loss should fall below 0.05, got ${tail(seen)}`);
  // Without the image the best possible is the entropy of 4 equally likely answers, ln 4 = 1.386.
  assert.ok(tail(blind) > 1.2, `blanked images: loss ${tail(blind)} should stay near ln 4`);
});

async function firstStepDeltas(opts: Partial<TrainStepOptions>, lr: number) {
  const cfg = tinyConfig();
  const m = buildMultimodalTraining(cfg, { B: 4, T: 6, N: 1 }, standInTower(cfg));
  const params = initParams(m.g, 2);
  const before = new Map([...params].map(([k, v]) => [k, Float32Array.from(v.data as Float32Array)]));
  const ts = await TrainStep.create(m.g, m.loss, params, { optimizer: { kind: 'adamw', weightDecay: 0 }, threads: 1, ...opts });
  const rng = new Rng(9);
  await ts.run(batchFeeds(brightnessBatch(cfg, 4, rng), cfg), lr);
  await ts.release();
  const maxDelta = new Map<string, number>();
  for (const [k, v] of ts.params) {
    const a = v.data as Float32Array,
      b = before.get(k)!;
    let d = 0;
    for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
    maxDelta.set(k, d);
  }
  return maxDelta;
}

test('freezing the vision tower leaves its parameters bit-identical while the rest trains', async () => {
  const delta = await firstStepDeltas({ trainable: freezeFilter(['vision']) }, 1e-2);
  for (const [k, d] of delta) {
    if (componentOf(k) === 'vision') assert.equal(d, 0, `${k} is frozen but moved by ${d}`);
    else if (k.endsWith('weight') && !k.includes('norm')) assert.ok(d > 0, `${k} should train`);
  }
});

test('componentLrScale: AdamW steps of the vision tower shrink by its factor; 0 leaves it unchanged', async () => {
  // Adam's first step moves each weight by lr·lrScale·g/(|g| + eps) ≈ ±lr·lrScale, whatever
  // the gradient's size; the forward of step 1 does not depend on the scales.
  const lr = 1e-3;
  const full = await firstStepDeltas({}, lr);
  const scaled = await firstStepDeltas({ group: componentLrScale({ vision: 0.1, connector: 0 }) }, lr);
  const w = 'vision.patch.weight';
  assert.ok(Math.abs(full.get(w)! - lr) < 0.01 * lr, `vision delta ${full.get(w)} should be ≈ lr`);
  assert.ok(Math.abs(scaled.get(w)! / full.get(w)! - 0.1) < 0.01, `scaled/full = ${scaled.get(w)! / full.get(w)!}, expected 0.1`);
  assert.equal(scaled.get('connector.proj.weight'), 0);
  assert.equal(scaled.get('llm.lm_head.weight'), full.get('llm.lm_head.weight'), 'the LLM keeps lrScale 1');
  assert.throws(() => componentLrScale({ visoin: 0.1 } as never), /unknown component 'visoin'/);
  assert.throws(() => componentOf('encoder.x'), /belongs to no component/);
});

test('batchFeeds: splice index, int64 ids, and a tokensPerImage mismatch refused before anything runs', () => {
  const cfg = tinyConfig();
  const batch = brightnessBatch(cfg, 2, new Rng(1));
  const f = batchFeeds(batch, cfg);
  assert.equal(f.tokens.dtype, 'int64');
  assert.deepEqual(f.images.shape, [2, 3, 8, 8]);
  // Row 1's first image token (position 6) takes image row 4 of [text (12); image (8)] = row 16.
  assert.deepEqual(Array.from(f.splice_index.data as BigInt64Array, Number), [12, 13, 14, 15, 4, 5, 16, 17, 18, 19, 10, 11]);
  assert.throws(() => batchFeeds({ ...batch, tokensPerImage: 5 }, cfg), /5 tokens per image but the model makes 4 \(connector.tokens 4 × 1 crops\)/);
  assert.throws(
    () => batchFeeds({ ...batch, imageTokenIndex: batch.imageTokenIndex.map((i) => (i === 7 ? 8 : i)) }),
    /imageTokenIndex\[\d+\] = 8, but the batch has only 8/,
  );
});
