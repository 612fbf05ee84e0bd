// Recipes: every one validates and builds; the bench recipe is exactly the specified model;
// MM1-3B on paper has ~3.0–3.6B parameters; the tiny recipe trains fast.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IGNORE_INDEX, type PackedBatch } from '../../src/data/packed_batch.js';
import { initParams } from '../../src/engine/param_store.js';
import { Rng } from '../../src/engine/rng.js';
import { TrainStep } from '../../src/engine/train_step.js';
import { batchFeeds } from '../../src/model/build/batch_feeds.js';
import { buildMultimodalTraining, modelTokensPerImage } from '../../src/model/build/multimodal.js';
import { countModelParams, getRecipe, RECIPES, recipeModel } from '../../src/model/build/recipes.js';
import { Generator } from '../../src/model/infer/generate.js';

test('every recipe validates and builds its graph; vocabularies come from the tokenizer unless fixed', () => {
  assert.deepEqual(Object.keys(RECIPES).sort(), ['bench', 'mm1-3b', 'small', 'tiny']);
  for (const name of Object.keys(RECIPES)) assert.ok(countModelParams(recipeModel(name, 500)).total > 0);
  assert.throws(() => recipeModel('tiny'), /takes its vocabulary size from the tokenizer/);
  assert.equal(recipeModel('tiny', 321).llm.vocabSize, 321);
  assert.throws(() => getRecipe('huge'), /unknown recipe 'huge'; choose one of: tiny, bench, small, mm1-3b/);
});

test('bench recipe is the specified model', () => {
  const c = recipeModel('bench');
  assert.deepEqual(
    [
      c.vision.imageSize,
      c.vision.patchSize,
      c.vision.width,
      c.vision.depth,
      c.vision.heads,
      c.vision.mlpHidden,
      c.vision.activation,
      c.vision.classToken,
      c.vision.postNorm,
    ],
    [64, 8, 192, 4, 3, 768, 'gelu_tanh', false, true],
  );
  assert.deepEqual([c.connector.kind, c.connector.tokens], ['avgpool', 16]);
  assert.deepEqual(
    [c.llm.vocabSize, c.llm.width, c.llm.depth, c.llm.heads, c.llm.mlpHidden, c.llm.tieEmbeddings, c.llm.qkvBias],
    [2048, 256, 4, 4, 704, false, false],
  );
  const t = getRecipe('bench').train;
  assert.deepEqual([t.batchSize, t.seqLen, t.maxImages, t.weightDecay, t.clipNorm], [8, 256, 1, 0.1, 1]);
  // Hand count. ViT: patch conv 192·3·8·8, positions 64·192, per block 2 LN (4·192) + qkvo (4·(192²+192)) + MLP (2·192·768 + 768 + 192), final LN.
  const vit = 192 * 192 + 64 * 192 + 4 * (4 * 192 + 4 * (192 * 192 + 192) + 2 * 192 * 768 + 768 + 192) + 2 * 192;
  const connector = 192 * 256 + 256;
  const llm = 2 * 2048 * 256 + 4 * (2 * 256 + 4 * 256 * 256 + 3 * 256 * 704) + 256;
  assert.deepEqual(countModelParams(c), { vision: vit, connector, llm, total: vit + connector + llm });
});

test('mm1-3b on paper: ViT-H/14 at 378, C-Abstractor with 144 tokens, ~3.0–3.6B parameters', () => {
  const c = recipeModel('mm1-3b');
  assert.equal(modelTokensPerImage(c), 144);
  const n = countModelParams(c);
  assert.ok(n.vision > 6.2e8 && n.vision < 6.4e8, `ViT-H has ~632M parameters, got ${n.vision}`);
  assert.ok(n.total > 3.0e9 && n.total < 3.6e9, `total ${n.total}`);
});

test('tiny recipe: training steps on its default batch shape run and lower the loss on a repeated batch', async () => {
  const cfg = recipeModel('tiny', 512);
  const tr = getRecipe('tiny').train;
  const { batchSize: B, seqLen: T, maxImages: N } = tr;
  const m = buildMultimodalTraining(cfg, { B, T, N });
  const ts = await TrainStep.create(m.g, m.loss, initParams(m.g, 1), { optimizer: { kind: 'adamw', weightDecay: tr.weightDecay }, clipNorm: tr.clipNorm });
  const k = modelTokensPerImage(cfg);
  const S = cfg.vision.imageSize;
  const rng = new Rng(1);
  const tokens = Int32Array.from({ length: B * T }, () => 10 + rng.int(500));
  const index = new Int32Array(B * T).fill(-1);
  for (let b = 0; b < B; b++) for (let i = 0; i < N * k; i++) [index[b * T + 1 + i], tokens[b * T + 1 + i]] = [b * N * k + i, 3];
  const batch: PackedBatch = {
    B,
    T,
    N,
    tokensPerImage: k,
    tokens,
    targets: tokens.map((v, p) => (index[p] >= 0 || p % T === T - 1 ? IGNORE_INDEX : tokens[p + 1])),
    segments: new Int32Array(B * T).fill(1),
    positions: Int32Array.from({ length: B * T }, (_, p) => p % T),
    imageTokenIndex: index,
    images: Float32Array.from({ length: B * N * 3 * S * S }, () => rng.normal()),
    imageShape: [3, S, S],
    imageCount: new Int32Array(B).fill(N),
  };
  const feeds = batchFeeds(batch, cfg);
  const first = await ts.run(feeds, 1e-3);
  assert.ok(Math.abs(first.loss - Math.log(512)) < 0.5, `initial loss ${first.loss} should be near ln 512`);
  // Step speed is measured by `npm run bench`, not asserted here (a busy machine would fail it).
  let last = first;
  for (let i = 0; i < 5; i++) last = await ts.run(feeds, 1e-3);
  await ts.release();
  assert.ok(last.loss < first.loss - 0.1, `5 more steps on the same batch should lower the loss: ${first.loss} -> ${last.loss}`);
});

test('tiny recipe with the real ViT + connector: generation from an image prompt, KV cache == re-run', async () => {
  const cfg = recipeModel('tiny', 64);
  const params = initParams(buildMultimodalTraining(cfg, { B: 1, T: 8, N: 1 }).g, 4);
  const gen = new Generator(cfg, params, { imageToken: 3, maxLen: 64 });
  const k = modelTokensPerImage(cfg);
  const rng = new Rng(2);
  const image = Float32Array.from({ length: 3 * cfg.vision.imageSize ** 2 }, () => rng.normal());
  const prompts = [{ tokens: [1, ...new Array(k).fill(3), 9, 10], images: [image] }, { tokens: [1, 5] }];
  const a = await gen.generate(prompts, { maxNewTokens: 6 });
  const b = await gen.generate(prompts, { maxNewTokens: 6, useCache: false });
  assert.deepEqual(a, b);
  await gen.release();
});
