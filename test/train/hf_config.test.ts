// model.vision.hf / model.llm.hf in a run config: the directories are found, the keys an HF
// component still takes are applied, and a shape key beside `hf` is refused by name.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { parsePretrainConfig } from '../../src/train/config.js';
import { hfBackboneDirs, resolveModelConfig } from '../../src/train/model_setup.js';
import { readHfBackbones } from '../../src/model/io/hf_backbones.js';
import { tempDir } from '../data/fixtures.js';
import { tinyLlm, writeClipDir, writeLlmDir } from '../helpers/hf_dirs.js';

const train = { steps: 1, batchSize: 1, seqLen: 32, maxImages: 1, lr: 1e-3 };

test('a run config with HF directories builds the model from their configs, with the tunable keys applied', () => {
  const dir = tempDir('hf-config');
  const [vision, llm] = [writeClipDir(join(dir, 'clip')), writeLlmDir(join(dir, 'llm'))];
  const config = parsePretrainConfig({
    recipe: 'tiny',
    model: { vision: { hf: vision, featureLayer: -2 }, llm: { hf: llm, maxPositions: 128 }, connector: { kind: 'avgpool', tokens: 4 } },
    train,
  });
  assert.deepEqual(hfBackboneDirs(config), { vision, llm });
  const hf = readHfBackbones(hfBackboneDirs(config), { featureLayer: -2 });
  const model = resolveModelConfig(config, hf.llm!.tokenizer.vocabSize, hf);
  assert.deepEqual([model.vision.width, model.vision.featureLayer, model.vision.imageSize], [32, -2, 32]);
  assert.deepEqual([model.llm.width, model.llm.maxPositions, model.llm.vocabSize], [48, 128, hf.llm!.config.vocabSize]);
  assert.deepEqual(model.image, { square: 'crop', resize: 36, mean: [0.5, 0.4, 0.3], std: [0.2, 0.25, 0.3] });
});

test('a shape key beside hf is refused by name, with the keys that may be set', () => {
  assert.throws(
    () => parsePretrainConfig({ recipe: 'tiny', model: { vision: { hf: 'x', width: 64 } }, train }, 'run.json'),
    /run\.json: model\.vision\.width cannot be set with model\.vision\.hf: the tower's shape comes from x\/config\.json\. Remove it \(settable with hf: featureLayer, postNorm\)/,
  );
  assert.throws(() => parsePretrainConfig({ recipe: 'tiny', model: { llm: { hf: 3 } }, train }, 'run.json'), /model\.llm\.hf must be a directory path/);
});

test("an HF embedding table larger than the tokenizer (Qwen2's padding) sizes the model", () => {
  const dir = tempDir('hf-config-padded');
  const llm = writeLlmDir(join(dir, 'llm'), { llm: { ...tinyLlm(320), qkvBias: true, tieEmbeddings: true } });
  const config = parsePretrainConfig({ recipe: 'tiny', model: { llm: { hf: llm } }, train });
  const hf = readHfBackbones(hfBackboneDirs(config));
  assert.ok(hf.llm!.tokenizer.vocabSize < 320);
  assert.equal(resolveModelConfig(config, hf.llm!.tokenizer.vocabSize, hf).llm.vocabSize, 320);
});
