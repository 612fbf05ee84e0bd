// A loaded model keeps each picture's preprocessed pixels for reuse (few-shot pool pictures
// recur across prompts). The cache must be invisible: a picture scored after another was
// cached gets exactly the score a fresh model gives it, and different pictures stay different.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { RgbImage } from '../../src/data/document.js';
import { renderScene } from '../../src/data/world/render.js';
import { generateScene } from '../../src/data/world/scene.js';
import { initParams } from '../../src/engine/param_store.js';
import { Rng } from '../../src/engine/rng.js';
import { loadModel } from '../../src/model/infer/load.js';
import { saveModelDir } from '../../src/model/io/model_dir.js';
import { buildMultimodalTraining } from '../../src/model/build/multimodal.js';
import { recipeModel } from '../../src/model/build/recipes.js';
import { worldTokenizer } from '../../src/train/world_data.js';

test('reused picture objects score exactly as fresh ones; distinct pictures are not mixed up', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mm1-pixels-'));
  try {
    const tokenizer = worldTokenizer();
    const cfg = recipeModel('tiny', tokenizer.vocabSize);
    await saveModelDir(join(dir, 'model'), { config: cfg, weights: initParams(buildMultimodalTraining(cfg, { B: 1, T: 16, N: 1 }).g, 3), tokenizer });
    const rng = new Rng(9);
    const [x, y] = [renderScene(generateScene(rng), 64), renderScene(generateScene(rng), 64)];
    const copy = (im: RgbImage): RgbImage => ({ ...im, data: im.data.slice() });
    const ask = (image: RgbImage) => ({
      context: {
        segments: [
          { kind: 'image' as const, image },
          { kind: 'text' as const, text: 'a' },
        ],
      },
      continuation: ' red square',
    });

    const fresh = await loadModel(join(dir, 'model'));
    const [freshY] = await fresh.logLikelihood([ask(copy(y))]);
    await fresh.release();

    const reused = await loadModel(join(dir, 'model'));
    const [first] = await reused.logLikelihood([ask(x)]);
    const [cachedX, cachedY] = await reused.logLikelihood([ask(x), ask(y)]);
    await reused.release();

    assert.equal(cachedY.logProb, freshY.logProb, 'y after x was cached scores as on a fresh model');
    assert.equal(cachedX.logProb, first.logProb, 'x from the cache scores as the first time');
    assert.notEqual(cachedX.logProb, cachedY.logProb, 'two different pictures must give different scores');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
