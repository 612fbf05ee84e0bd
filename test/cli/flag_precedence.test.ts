// Settings layer as defaults < --config file < flags given: a flag wins over the file, and a
// flag not given leaves the file's value alone.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { evalConfig } from '../../src/cli/commands/eval.js';
import { pretrainConfig, sftConfig } from '../../src/cli/commands/pretrain.js';
import { getRecipe } from '../../src/model/build/recipes.js';

const dir = mkdtempSync(join(tmpdir(), 'mm1-flags-'));
const configFile = (name: string, value: unknown): string => {
  writeFileSync(join(dir, name), JSON.stringify(value));
  return join(dir, name);
};

test('pretrain: --mixture and --synthetic-captions win over the config file; what is not given comes from it', () => {
  const config = configFile('pretrain.json', {
    recipe: 'tiny',
    data: { mixture: { interleaved: 10, caption: 80, text: 10, syntheticCaptionShare: 0.5 } },
    train: { steps: 7, lr: 0.01 },
  });
  const fromFile = pretrainConfig({ config });
  assert.deepEqual(fromFile.data.mixture, { interleaved: 10, caption: 80, text: 10, syntheticCaptionShare: 0.5 });
  assert.equal(fromFile.train.steps, 7);
  assert.equal(fromFile.train.batchSize, getRecipe('tiny').train.batchSize, 'the recipe fills what the file leaves out');

  const flagged = pretrainConfig({ config, mixture: { interleaved: 50, caption: 50, text: 0 }, syntheticCaptions: 0.1, steps: 3 });
  assert.deepEqual(flagged.data.mixture, { interleaved: 50, caption: 50, text: 0, syntheticCaptionShare: 0.1 });
  assert.equal(flagged.train.steps, 3);
  assert.equal(flagged.train.lr, 0.01, 'a flag not given leaves the file alone');
});

test("pretrain: --recipe wins over the file's recipe; without flags or file, the recipe and MM1's mixture", () => {
  const config = configFile('recipe.json', { recipe: 'small', train: { steps: 5 } });
  assert.equal(pretrainConfig({ config }).recipe, 'small');
  assert.equal(pretrainConfig({ config, recipe: 'tiny' }).recipe, 'tiny');
  const plain = pretrainConfig({});
  assert.deepEqual(plain.data.mixture, { interleaved: 45, caption: 45, text: 10, syntheticCaptionShare: 0 });
  assert.equal(plain.train.steps, 600);
  assert.equal(plain.train.lr, getRecipe('tiny').train.lr);
});

test('sft: --sub-images and --data win over the config file', () => {
  const config = configFile('sft.json', {
    init: 'runs/a/model',
    subImageGrid: 3,
    data: { source: 'llava', path: 'conv.json', imageRoot: 'img', seed: 4 },
    train: { steps: 9 },
  });
  const fromFile = sftConfig({ config });
  assert.equal(fromFile.subImageGrid, 3);
  assert.deepEqual(fromFile.data, { source: 'llava', path: 'conv.json', imageRoot: 'img', seed: 4, renderSize: 128, version: 2 });
  assert.equal(fromFile.init, 'runs/a/model');

  const flagged = sftConfig({ config, subImages: 0, data: 'world', model: 'runs/b/model' });
  assert.equal(flagged.subImageGrid, 0, '--sub-images 0 is given, so it wins');
  assert.equal(flagged.data.source, 'world');
  assert.equal(flagged.data.seed, 4, 'the data seed the flag does not set stays');
  assert.equal(flagged.init, 'runs/b/model');
  assert.equal(flagged.train.steps, 9);
  assert.throws(() => sftConfig({}), /--model <dir>/);

  const otherFile = sftConfig({ config, data: 'more.json' });
  assert.deepEqual([otherFile.data.path, otherFile.data.imageRoot], ['more.json', 'img'], "the file's image root stays unless --image-root is given");
  assert.equal(sftConfig({ config, imageRoot: 'pics' }).data.imageRoot, 'pics');
  assert.equal(sftConfig({ model: 'm', data: 'conv.json' }).data.imageRoot, '.', 'as before: a LLaVA file without a root reads images from .');
});

test('eval: flags win over the config file', () => {
  const config = configFile('eval.json', { model: 'runs/a/model', tasks: ['world-coco'], shots: [0, 8], seed: 3, data: { coco: 'a.json:img/' } });
  const fromFile = evalConfig({ config });
  assert.deepEqual([fromFile.tasks, fromFile.shots, fromFile.seed, fromFile.batchSize], [['world-coco'], [0, 8], 3, 16]);
  const flagged = evalConfig({ config, tasks: 'world-vqav2,world-gqa', shots: [4], data: ['nocaps=b.json:img/'] });
  assert.deepEqual([flagged.tasks, flagged.shots, flagged.seed], [['world-vqav2', 'world-gqa'], [4], 3]);
  assert.deepEqual(flagged.data, { coco: 'a.json:img/', nocaps: 'b.json:img/' });
  assert.throws(() => evalConfig({}), /--model <dir>/);
});
