// A small model directory for the web tests: the tiny recipe with fresh weights and the
// world tokenizer (what `mm1 quickstart` trains), saved as a run would save it.
import { join } from 'node:path';
import sharp from 'sharp';
import { renderScene } from '../../src/data/world/render.js';
import { generateScene } from '../../src/data/world/scene.js';
import { initParams } from '../../src/engine/param_store.js';
import { Rng } from '../../src/engine/rng.js';
import { saveModelDir } from '../../src/model/io/model_dir.js';
import { buildMultimodalTraining } from '../../src/model/build/multimodal.js';
import { recipeModel } from '../../src/model/build/recipes.js';
import { worldTokenizer } from '../../src/train/world_data.js';

export async function tinyModelDir(parent: string): Promise<string> {
  const tokenizer = worldTokenizer(2);
  const config = recipeModel('tiny', tokenizer.vocabSize);
  const dir = join(parent, 'model');
  await saveModelDir(dir, { config, weights: initParams(buildMultimodalTraining(config, { B: 1, T: 16, N: 1 }).g, 7), tokenizer, extra: { trainedSteps: 0 } });
  return dir;
}

/** A held-out world picture as a PNG file, at the tiny recipe's 48 px. */
export async function worldPicturePng(path: string, seed = 5): Promise<string> {
  const im = renderScene(generateScene(new Rng(seed), { version: 2, split: 'heldout' }), 48);
  await sharp(im.data, { raw: { width: im.width, height: im.height, channels: 3 } })
    .png()
    .toFile(path);
  return path;
}
