// vision.stemSkip as a setting: refused where no stem token exists (no conv stem, a class token,
// a Hugging Face tower) with errors naming the key, the value and the fix; absent from every
// config that does not set it (saved configs and stage hashes unchanged); and kept through the
// session-13 A/B config's run.json and the model directory eval and serve load.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Graph } from '../../src/engine/graph.js';
import { initParams } from '../../src/engine/param_store.js';
import { parseModelConfig, splitHfBackbones, VisionConfigSchema, type VisionConfig } from '../../src/model/build/config.js';
import { buildMultimodalTraining } from '../../src/model/build/multimodal.js';
import { visionEncoder } from '../../src/model/build/vit.js';
import { hfVisionFamily } from '../../src/model/io/hf_clip.js';
import { readModelDir, saveModelDir } from '../../src/model/io/model_dir.js';
import { parsePretrainConfig } from '../../src/train/config.js';
import { resolveModelConfig } from '../../src/train/model_setup.js';
import { ClaimedRunDir } from '../../src/train/run_dir.js';
import { worldTokenizer } from '../../src/train/world_data.js';

const CONFIGS = new URL('../../experiments/reading/configs/', import.meta.url);
const readConfig = (name: string): unknown => JSON.parse(readFileSync(new URL(name, CONFIGS), 'utf8'));
const vision = { imageSize: 16, patchSize: 4, width: 8, depth: 1, heads: 2, mlpHidden: 16 };
const model = (v: Record<string, unknown>) => ({
  name: 't',
  vision: { ...vision, ...v },
  connector: { kind: 'avgpool', tokens: 4 },
  llm: { vocabSize: 10, width: 8, depth: 1, heads: 2, mlpHidden: 16 },
});

test('stemSkip is refused without the conv stem, with a class token, with an unknown value and beside an HF tower, naming the key, the value and the fix', () => {
  assert.throws(
    () => parseModelConfig(model({ stemSkip: 'concat' }), 'run.json'),
    /run\.json is invalid:\n {2}vision\.stemSkip: stemSkip 'concat' needs the convolutional stem, but stem is absent \(the patch embedding\); set model\.vision\.stem to 'conv', or remove model\.vision\.stemSkip/,
  );
  assert.throws(
    () => parseModelConfig(model({ stem: 'patch', stemSkip: 'concat' })),
    /vision\.stemSkip: .*but stem is 'patch'; set model\.vision\.stem to 'conv'/,
  );
  assert.throws(
    () => parseModelConfig(model({ stem: 'conv', stemSkip: 'concat', classToken: true })),
    /vision\.stemSkip: stemSkip 'concat' cannot be used with classToken true.*set model\.vision\.classToken to false.*or remove model\.vision\.stemSkip/,
  );
  assert.throws(() => parseModelConfig(model({ stem: 'conv', stemSkip: 'add' })), /vision\.stemSkip: .*"concat"/);
  assert.equal(parseModelConfig(model({ stem: 'conv', stemSkip: 'concat' })).vision.stemSkip, 'concat');
  // The rule sits on the vision schema; a misspelt key still finds its nearest through it.
  assert.throws(() => parseModelConfig(model({ stem: 'conv', stemskip: 'concat' })), /vision\.stemskip: unknown key; did you mean vision\.stemSkip\?/);
  // A config built in code, never parsed, meets the same rule in the builder.
  const unparsed = { ...VisionConfigSchema.parse({ ...vision, stem: 'conv' }), stem: undefined, stemSkip: 'concat' } as VisionConfig;
  const g = new Graph('x');
  assert.throws(() => visionEncoder(g, unparsed, g.input('p', [1, 3, 16, 16])), /vision: stemSkip 'concat' needs the convolutional stem/);
  // HF towers: the key cannot sit beside `hf`, and an mm1 tower with the skip (a conv stem) is not exported.
  assert.throws(
    () => splitHfBackbones({ vision: { hf: 'hf/clip', stemSkip: 'concat' } }, 'cfg'),
    /model\.vision\.stemSkip cannot be set with model\.vision\.hf/,
  );
  const skipCfg = VisionConfigSchema.parse({ ...vision, stem: 'conv', stemSkip: 'concat', preNorm: true });
  assert.throws(() => hfVisionFamily(skipCfg, 'export'), /export: .*convolutional stem/);
});

test('a config without stemSkip parses with no stemSkip key, so saved configs and CLIP-stage hashes read as before', () => {
  const run = parsePretrainConfig(readConfig('ab-words-first-max.json'));
  const resolved = resolveModelConfig(run, worldTokenizer(2).vocabSize);
  assert.ok(!('stemSkip' in resolved.vision), JSON.stringify(resolved.vision));
  assert.ok(!('stemSkip' in VisionConfigSchema.parse(vision)));
});

test("the session-13 A/B config (ab-words-first-max-stemcat.json) is C1's reading stage with plain blocks and the skip; its run.json and model directory keep stemSkip", async () => {
  const raw = readConfig('ab-words-first-max-stemcat.json') as { model: { vision: Record<string, unknown> } };
  const base = readConfig('ab-words-first-max.json') as { model: { vision: Record<string, unknown> } };
  const { layerScale: _dropped, ...baseVision } = base.model.vision;
  assert.deepEqual(raw, { ...base, model: { ...base.model, vision: { ...baseVision, stemSkip: 'concat' } } }, 'only layerScale dropped and stemSkip added');
  const dir = mkdtempSync(join(tmpdir(), 'mm1-stem-skip-'));
  try {
    const run = parsePretrainConfig(raw);
    ClaimedRunDir.claim(join(dir, 'run'), run, false);
    const saved = parsePretrainConfig(ClaimedRunDir.savedConfig(join(dir, 'run')));
    assert.deepEqual(saved, run);
    const tokenizer = worldTokenizer(2);
    const cfg = resolveModelConfig(saved, tokenizer.vocabSize);
    assert.equal(cfg.vision.stemSkip, 'concat');
    assert.equal(cfg.vision.layerScale, undefined);
    const weights = initParams(buildMultimodalTraining(cfg, { B: 1, T: 64, N: 1 }).g, 3);
    await saveModelDir(join(dir, 'model'), { config: cfg, weights, tokenizer });
    const loaded = await readModelDir(join(dir, 'model'));
    assert.deepEqual(loaded.config, cfg);
    // What eval and serve build from the loaded config takes the saved weights shape for shape: the connector reads 2C = 128.
    const rebuilt = buildMultimodalTraining(loaded.config, { B: 1, T: 64, N: 1 }).g;
    for (const p of rebuilt.params) assert.deepEqual(loaded.weights.get(p.name)?.shape, [...p.shape], p.name);
    assert.ok(rebuilt.params.some((p) => p.name === 'vision.stem_skip_norm.weight'));
    assert.ok(
      rebuilt.params.some((p) => p.name.startsWith('connector.') && p.shape[0] === 2 * cfg.vision.width),
      'a connector weight takes the 2C channels',
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
