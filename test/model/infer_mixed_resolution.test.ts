// MM1's mixed-resolution few-shot prompts (mixed_resolution.ts): with highResLast = N a sub-image
// model gives only the last N pictures of a prompt their full set (overview + g² crops) and the
// earlier ones the overview alone. Checked on a tiny model with a 2×2 grid (k = 16 tokens a crop,
// 80 a full picture): the token runs, where each crop's pixels and tokens land in the graph's
// feeds, scores against the default path and against the same weights without sub-images, and
// that the few-shot fit counts the shorter prompts.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { RgbImage } from '../../src/data/document.js';
import { modelPreprocess, overviewPixels, preprocessImage } from '../../src/data/subimage.js';
import { renderScene } from '../../src/data/world/render.js';
import { generateScene } from '../../src/data/world/scene.js';
import { initParams } from '../../src/engine/param_store.js';
import { Rng } from '../../src/engine/rng.js';
import { runEval } from '../../src/eval/index.js';
import { buildMultimodalTraining } from '../../src/model/build/multimodal.js';
import { recipeModel } from '../../src/model/build/recipes.js';
import type { LikelihoodRequest } from '../../src/model/infer/api.js';
import { loadModel } from '../../src/model/infer/load.js';
import { checkHighResLast, fullSets, shrinkImageRuns } from '../../src/model/infer/mixed_resolution.js';
import { checkPrompts, imageSlotsNeeded, layoutRows, type PromptImageSlots } from '../../src/model/infer/prompt_layout.js';
import { saveModelDir } from '../../src/model/io/model_dir.js';
import { worldTokenizer } from '../../src/train/world_data.js';

const tokenizer = worldTokenizer();
const I = tokenizer.special.image;
const base = { ...recipeModel('tiny', tokenizer.vocabSize) };
const k = base.connector.tokens; // 16
const grid2 = { ...base, subImageGrid: 2, llm: { ...base.llm, maxPositions: 256 } };
const T = 5 * k; // a full picture: overview + 2×2 crops
const dir = mkdtempSync(join(tmpdir(), 'mm1-mixedres-'));
after(() => rmSync(dir, { recursive: true, force: true }));

// One set of weights, saved as a 2×2 sub-image model and as the same model without sub-images
// (the tower encodes each crop alone, so its parameters do not depend on the grid).
const weights = initParams(buildMultimodalTraining(grid2, { B: 1, T: 16, N: 1 }).g, 5);
const subDir = join(dir, 'sub');
const flatDir = join(dir, 'flat');
await saveModelDir(subDir, { config: grid2, weights, tokenizer });
await saveModelDir(flatDir, { config: { ...grid2, subImageGrid: 0 }, weights, tokenizer });

const rng = new Rng(4);
const [x, y, z] = [0, 1, 2].map(() => renderScene(generateScene(rng), 64));
/** A 2-shot prompt: two shots and the query, one picture each. */
const twoShot = (pics: RgbImage[] = [x, y, z]): LikelihoodRequest => ({
  context: {
    segments: pics.flatMap((image, i) => [
      { kind: 'image' as const, image },
      { kind: 'text' as const, text: i < 2 ? 'a red square.' : 'a' },
    ]),
  },
  continuation: ' red square',
});

test('fullSets and shrinkImageRuns: the last N pictures keep their runs, earlier ones keep k placeholders', () => {
  assert.deepEqual(fullSets(3, 1), [false, false, true]);
  assert.deepEqual(fullSets(3, 0), [false, false, false]);
  assert.deepEqual(fullSets(3, 5), [true, true, true]);
  assert.deepEqual(fullSets(3, undefined), [true, true, true]);
  const run = (n: number) => new Array<number>(n).fill(I);
  const ids = [1, ...run(T), 7, ...run(T), 8, ...run(T), 9];
  const runs = [{ at: 1 }, { at: 2 + T }, { at: 3 + 2 * T }];
  assert.deepEqual(shrinkImageRuns(ids, runs, [false, false, true], I, T, k), [1, ...run(k), 7, ...run(k), 8, ...run(T), 9]);
  assert.deepEqual(shrinkImageRuns(ids, runs, [true, true, true], I, T, k), ids);
  assert.throws(() => shrinkImageRuns(ids, [{ at: 0 }, ...runs.slice(1)], [false, false, true], I, T, k), /token 0 of image 0's run is 1, not the placeholder/);
  assert.throws(() => checkHighResLast(-1, '--high-res-last'), /--high-res-last -1: expected a whole number ≥ 0 .*e\.g\. --high-res-last 1/);
  assert.throws(() => checkHighResLast(1.5, 'highResLast'), /highResLast 1\.5: expected a whole number ≥ 0/);
});

test("layout: crops are packed per row, each picture's placeholders reach its own crops, and full sets land where they always did", () => {
  const pre = modelPreprocess(grid2);
  const [px, py, pz] = [x, y, z].map((im) => preprocessImage(im, pre));
  const per = 3 * 48 * 48;
  const slots = (prompts: Parameters<typeof imageSlotsNeeded>[0]): PromptImageSlots => ({
    placeholder: I,
    tokensPerImage: T,
    crops: 5,
    size: 48,
    N: imageSlotsNeeded(prompts, 5, 48),
  });
  const mixed = { tokens: [1, ...new Array<number>(2 * k + T).fill(I), 7], images: [overviewPixels(px, pre), overviewPixels(py, pre), pz] };
  const img = slots([mixed]);
  assert.equal(img.N, 2, '1 + 1 + 5 crops take 2 slots of 5, not 3');
  checkPrompts([mixed], img);
  const lay = layoutRows([mixed.tokens], [mixed.tokens.length], 128, 'right', 0, [mixed], img);
  const pixels = lay.feeds.images.data as Float32Array;
  assert.deepEqual(lay.feeds.images.shape, [10, 3, 48, 48]);
  assert.deepEqual(pixels.subarray(0, per), px.subarray(0, per), "crop 0: x's overview (overview first)");
  assert.deepEqual(pixels.subarray(per, 2 * per), py.subarray(0, per), "crop 1: y's overview");
  assert.deepEqual(pixels.subarray(2 * per, 7 * per), pz, "crops 2-6: the query's full set, as preprocessImage gives it");
  // splice_index: text rows are 0..B·P−1, image-token row r is B·P + r; crop c's tokens are rows c·k..(c+1)·k−1.
  const splice = Array.from(lay.feeds.splice_index.data as BigInt64Array, Number);
  const imageRows = splice.slice(1, 1 + 2 * k + T).map((r) => r - 128);
  assert.deepEqual(
    imageRows,
    Array.from({ length: 2 * k + T }, (_, i) => i),
    "placeholders in order take the packed crops' tokens in order",
  );
  // Full sets only: the same feeds as before packing, image i at slot i.
  const full = { tokens: [1, ...new Array<number>(2 * T).fill(I)], images: [px, py] };
  const fullLay = layoutRows([full.tokens], [full.tokens.length], 176, 'right', 0, [full], slots([full]));
  assert.deepEqual(fullLay.feeds.images.shape, [10, 3, 48, 48]);
  assert.deepEqual((fullLay.feeds.images.data as Float32Array).subarray(5 * per), py);
  assert.throws(
    () => checkPrompts([{ ...mixed, tokens: mixed.tokens.slice(1 + k) }], img),
    /for 3 images × 80 tokens per image \(2 of them the overview alone, 16 tokens\)/,
  );
  assert.throws(
    () => checkPrompts([{ ...mixed, images: [px.subarray(0, 2 * per), py, pz] }], img),
    /image 0: 13824 values, expected 34560 .* or 6912 \(the overview alone/,
  );
});

test("loadModel highResLast: k, k, (1+g²)k image tokens; N ≥ pictures is today's path; N = 0 is the overview model; no effect without sub-images", async () => {
  const open = (d: string, highResLast?: number) => loadModel(d, { threads: 1, ...(highResLast !== undefined ? { highResLast } : {}) });
  const [today, last1, last3, last0, flat, flat1] = await Promise.all([
    open(subDir),
    open(subDir, 1),
    open(subDir, 3),
    open(subDir, 0),
    open(flatDir),
    open(flatDir, 1),
  ]);
  try {
    const req = twoShot();
    const n = today.countTokens(req.context);
    assert.equal(last1.countTokens(req.context), n - 2 * (T - k), 'two shots of k tokens instead of (1+g²)k');
    assert.equal(last0.countTokens(req.context), n - 3 * (T - k));
    assert.equal(last3.countTokens(req.context), n);
    assert.equal(flat1.countTokens(req.context), flat.countTokens(req.context));
    assert.equal(flat.countTokens(req.context), n - 3 * (T - k));
    const [s, s1, s3, s0, f, f1] = await Promise.all([today, last1, last3, last0, flat, flat1].map((m) => m.logLikelihood([req])));
    assert.equal(s3[0].logProb, s[0].logProb, 'N ≥ pictures: the default path exactly');
    assert.equal(f1[0].logProb, f[0].logProb, 'no sub-images: the option changes nothing');
    // All overviews = the same weights without sub-images, whose one crop is that overview.
    assert.ok(Math.abs(s0[0].logProb - f[0].logProb) < 1e-4, `${s0[0].logProb} vs ${f[0].logProb}`);
    assert.notEqual(s1[0].logProb, s[0].logProb, 'low-res shots change the score');
    assert.notEqual(s1[0].logProb, s0[0].logProb, 'the full-set query changes the score');
    // The query's full set is the same forward as on its own: a 0-shot prompt scores as today.
    const [q, q1] = await Promise.all(
      [today, last1].map((m) =>
        m.logLikelihood([twoShot([z])].map((r) => ({ ...r, context: { segments: ('segments' in r.context ? r.context.segments : []).slice(0, 2) } }))),
      ),
    );
    assert.equal(q1[0].logProb, q[0].logProb);
    await assert.rejects(loadModel(subDir, { highResLast: -2 }), /highResLast -2: expected a whole number ≥ 0/);
  } finally {
    await Promise.all([today, last1, last3, last0, flat, flat1].map((m) => m.release()));
  }
});

test('the few-shot fit counts the shorter pictures: 4 shots fit at 256 positions mixed, not with full sets', async () => {
  const run = async (highResLast?: number) => {
    const model = await loadModel(subDir, { threads: 1, ...(highResLast !== undefined ? { highResLast } : {}) });
    try {
      const r = await runEval(model, { worldVersion: 2, tasks: ['world-vqav2'], shots: [4], limit: 2, onWarning: () => {} });
      return r.results[0].effectiveShots;
    } finally {
      await model.release();
    }
  };
  const [full, mixed] = [await run(), await run(1)];
  assert.ok(full.max < 4, `full sets: 5 × 80 image tokens cannot fit 256 positions, got ${JSON.stringify(full)}`);
  assert.equal(mixed.min, 4, `mixed: 4 × 16 + 80 image tokens fit, got ${JSON.stringify(mixed)}`);
});
