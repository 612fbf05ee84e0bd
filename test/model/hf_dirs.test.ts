// Hugging Face directories as transformers writes them: sharded and half-precision weights,
// the image processor config, the LLM's tokenizer with mm1's image token added and its rows grown.
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { centerCrop } from '../../src/data/image.js';
import { normalizeClip } from '../../src/data/normalize.js';
import { resizeBicubic } from '../../src/data/resize.js';
import { modelPreprocess, preprocessImage } from '../../src/data/subimage.js';
import type { HostTensor } from '../../src/engine/host_tensor.js';
import { exportHfLlm } from '../../src/model/io/hf_llama.js';
import { readHfLlmDir } from '../../src/model/io/hf_llm_dir.js';
import { imagePreprocessFromHf, readHfVisionDir } from '../../src/model/io/hf_vision_dir.js';
import { readHfWeights } from '../../src/model/io/hf_weights.js';
import { tempDir } from '../data/fixtures.js';
import { tinyLlm, writeClipDir, writeLlmDir, writeSiglipDir } from '../helpers/hf_dirs.js';
import { importHfModel } from '../../src/model/io/hf_import.js';
import { exportHfModel } from '../../src/model/io/hf_export.js';
import { loadModel } from '../../src/model/infer/load.js';

const root = tempDir('hf-dirs');

/** Largest |a − b| in units of `ulp`·|a|, counting values under `floor` (half-precision subnormals) against `floor`. */
function maxRelError(a: HostTensor, b: HostTensor, floor = 0): number {
  let worst = 0;
  for (let i = 0; i < a.data.length; i++) {
    const x = a.data[i] as number,
      y = b.data[i] as number;
    if (x !== 0) worst = Math.max(worst, Math.abs(x - y) / Math.max(Math.abs(x), floor));
  }
  return worst;
}
/** Smallest normal F16 value: below it F16 steps by 2^-24, so errors are measured against it. */
const F16_MIN_NORMAL = 2 ** -14;

test("sharded F16 and single BF16 checkpoints read as float32, each value within its format's rounding of the F32 original", () => {
  const f32 = readHfWeights(writeLlmDir(join(root, 'llm-f32'), { dtype: 'F32', shards: 1 }));
  const f16 = readHfWeights(writeLlmDir(join(root, 'llm-f16'), { dtype: 'F16', shards: 3 }));
  const bf16 = readHfWeights(writeLlmDir(join(root, 'llm-bf16'), { dtype: 'BF16', shards: 1 }));
  assert.deepEqual([...f16.keys()].sort(), [...f32.keys()].sort(), 'the three shards hold every tensor once');
  for (const [name, t] of f32) {
    assert.deepEqual(f16.get(name)!.shape, t.shape);
    // Half a unit in the last place: 2^-11 (F16, 10 mantissa bits), 2^-8 (BF16, 7 bits).
    assert.ok(maxRelError(t, f16.get(name)!, F16_MIN_NORMAL) <= 2 ** -11, `${name} F16`);
    assert.ok(maxRelError(t, bf16.get(name)!) <= 2 ** -8, `${name} BF16`);
    assert.ok(maxRelError(t, f16.get(name)!) > 0 || name.includes('norm'), `${name}: F16 really was stored rounded`);
  }
});

test('a shard missing from the directory is named, and a directory without safetensors says what it needs', () => {
  const dir = writeLlmDir(join(root, 'llm-broken'), { shards: 2 });
  rmSync(join(dir, 'model-00002-of-00002.safetensors'));
  assert.throws(() => readHfWeights(dir), /lists shard 'model-00002-of-00002\.safetensors', which is missing/);
  const empty = tempDir('hf-empty');
  writeFileSync(join(empty, 'pytorch_model.bin'), '');
  assert.throws(() => readHfWeights(empty), /no model\.safetensors and no model\.safetensors\.index\.json.*convert it to safetensors/);
});

test('preprocessor_config.json: CLIP resize-then-crop, square resize, and what is refused', () => {
  const clip = {
    size: { shortest_edge: 256 },
    do_center_crop: true,
    crop_size: { height: 224, width: 224 },
    resample: 3,
    image_mean: [0.1, 0.2, 0.3],
    image_std: [0.4, 0.5, 0.6],
  };
  assert.deepEqual(imagePreprocessFromHf(clip, 224), { square: 'crop', resize: 256, mean: [0.1, 0.2, 0.3], std: [0.4, 0.5, 0.6] });
  const square = { size: { height: 224, width: 224 }, resample: 3, image_mean: [0.5, 0.5, 0.5], image_std: [0.5, 0.5, 0.5] };
  assert.equal(imagePreprocessFromHf(square, 224).square, 'squash');
  assert.throws(() => imagePreprocessFromHf({ ...square, resample: 2 }, 224), /resample 2 \(bilinear; only 3, bicubic\) is not supported/);
  assert.throws(() => imagePreprocessFromHf(clip, 336), /crop_size 224 differs from the tower's image_size 336/);
  assert.throws(() => imagePreprocessFromHf({ ...clip, do_normalize: false }, 224), /do_normalize false is not supported/);
});

test("a non-square picture goes through the tower's processor: short side to 36, centre crop 32, its mean and std", () => {
  const tower = readHfVisionDir(writeClipDir(join(root, 'clip')));
  const pre = modelPreprocess({ vision: tower.config, subImageGrid: 0, image: tower.image });
  // A 40×20 gradient: 40×20 → 72×36 (short side 36, long side int(36·40/20)) → crop 32×32 at (20, 2).
  const img = { width: 40, height: 20, data: Uint8Array.from({ length: 40 * 20 * 3 }, (_, i) => (i * 7) % 251) };
  const expected = normalizeClip(centerCrop(resizeBicubic(img, 72, 36), 32, 32), undefined, 0, [0.5, 0.4, 0.3], [0.2, 0.25, 0.3]);
  assert.deepEqual(preprocessImage(img, pre), expected);
  // A solid picture stays solid through resize and crop: (200/255 − 0.5)/0.2 in the red plane.
  const solid = { width: 50, height: 30, data: new Uint8Array(50 * 30 * 3).fill(200) };
  assert.ok(Math.abs(preprocessImage(solid, pre)[0] - (200 / 255 - 0.5) / 0.2) < 1e-6);
});

test('a SigLIP tower directory: its head is ignored, a non-square picture is resized to 32×32 (bicubic, no crop) and normalised with mean = std = 0.5', () => {
  const tower = readHfVisionDir(writeSiglipDir(join(root, 'siglip')));
  assert.deepEqual([tower.config.classToken, tower.config.preNorm, tower.config.patchBias, tower.config.postNorm], [false, false, true, true]);
  assert.deepEqual(tower.image, { square: 'squash', mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] });
  assert.ok(![...tower.weights.keys()].some((n) => n.includes('head')));
  const pre = modelPreprocess({ vision: tower.config, subImageGrid: 0, image: tower.image });
  const img = { width: 40, height: 20, data: Uint8Array.from({ length: 40 * 20 * 3 }, (_, i) => (i * 7) % 251) };
  assert.deepEqual(preprocessImage(img, pre), normalizeClip(resizeBicubic(img, 32, 32), undefined, 0, [0.5, 0.5, 0.5], [0.5, 0.5, 0.5]));
  const solid = { width: 50, height: 30, data: new Uint8Array(50 * 30 * 3).fill(200) };
  assert.ok(Math.abs(preprocessImage(solid, pre)[0] - (200 / 255 - 0.5) / 0.5) < 1e-6);
});

test('a model on a SigLIP tower exports as a SiglipVisionModel directory (no head, SiglipImageProcessor) that imports back to identical log-likelihoods', async () => {
  const [siglip, llm] = [writeSiglipDir(join(root, 'siglip-rt')), writeLlmDir(join(root, 'llm-rt'))];
  const [first, exported, back] = ['siglip-model', 'siglip-export', 'siglip-back'].map((d) => join(root, d));
  await importHfModel({ vision: siglip, llm, connector: { kind: 'avgpool', tokens: 4 }, out: first });
  const dirs = await exportHfModel(first, exported);
  const config = JSON.parse(readFileSync(join(dirs.vision, 'config.json'), 'utf8')) as Record<string, unknown>;
  assert.deepEqual([config.model_type, config.vision_use_head], ['siglip_vision_model', false]);
  const processor = JSON.parse(readFileSync(join(dirs.vision, 'preprocessor_config.json'), 'utf8')) as Record<string, unknown>;
  assert.deepEqual([processor.image_processor_type, processor.do_center_crop, processor.image_mean], ['SiglipImageProcessor', false, [0.5, 0.5, 0.5]]);
  await importHfModel({ vision: dirs.vision, llm: dirs.llm, connectorDir: dirs.connector, out: back });
  const [a, b] = [await loadModel(first), await loadModel(back)];
  try {
    const picture = { width: 48, height: 32, data: Uint8Array.from({ length: 48 * 32 * 3 }, (_, i) => (i * 13) % 256) };
    const requests = [
      {
        context: {
          segments: [
            { kind: 'image' as const, image: picture },
            { kind: 'text' as const, text: 'A picture of' },
          ],
        },
        continuation: ' a cat.',
      },
    ];
    const [x, y] = [await a.logLikelihood(requests), await b.logLikelihood(requests)];
    assert.ok(Number.isFinite(x[0].logProb));
    assert.deepEqual(
      y.map((r) => r.logProb),
      x.map((r) => r.logProb),
    );
  } finally {
    await Promise.all([a.release(), b.release()]);
  }
});

test("the LLM's tokenizer gains an image token; the embedding and head grow by its rows, set to the mean of the others", () => {
  const dir = writeLlmDir(join(root, 'llm-grow'));
  const raw = readHfWeights(dir);
  const llm = readHfLlmDir(dir);
  const old = raw.get('model.embed_tokens.weight')!;
  const [V, D] = old.shape;
  assert.equal(llm.tokenizer.special.image, llm.tokenizer.tokenToId('<image>'));
  assert.ok(llm.addedIds.includes(llm.tokenizer.special.image));
  assert.equal(llm.config.vocabSize, V + llm.addedIds.length);
  const emb = llm.weights.get('llm.embed_tokens.weight')!;
  const mean0 = Array.from({ length: V }, (_, r) => old.data[r * D] as number).reduce((a, b) => a + b, 0) / V;
  assert.ok(Math.abs((emb.data[llm.tokenizer.special.image * D] as number) - mean0) < 1e-6, 'image row, column 0 = the mean of column 0');
  assert.deepEqual([...emb.data.subarray(0, V * D)], [...old.data], 'existing rows unchanged');
  // Exported back, the head is the HF [V', D] layout with the new rows present.
  assert.deepEqual(exportHfLlm(llm.weights, llm.config).get('lm_head.weight')!.shape, [V + llm.addedIds.length, D]);
  // The chat template keeps the turns: no mm1 role tokens were added.
  assert.equal(llm.tokenizer.roles, undefined);
  assert.equal(llm.tokenizer.tokenToId('<|user|>'), undefined);
});

test('rope_scaling: values meaning none are accepted, long-context scaling is refused by name; Qwen2 (tied, q/k/v biases) reads too', () => {
  assert.doesNotThrow(() => readHfLlmDir(writeLlmDir(join(root, 'rope-default'), { config: { rope_scaling: { rope_type: 'default' } } })));
  assert.throws(
    () => readHfLlmDir(writeLlmDir(join(root, 'rope-yarn'), { config: { rope_scaling: { type: 'yarn', factor: 4 } } })),
    /rope_scaling \{"type":"yarn","factor":4\} \(only null or \{"rope_type": "default"\}/,
  );
  const qwen = readHfLlmDir(writeLlmDir(join(root, 'qwen'), { qwen: true }));
  assert.equal(qwen.config.qkvBias, true);
  assert.equal(qwen.weights.has('llm.lm_head.weight'), false);
});

test('an embedding table larger than its tokenizer (Qwen2 pads it) keeps its size; the image token takes a padding row, set to the mean', () => {
  const dir = writeLlmDir(join(root, 'padded'), { llm: { ...tinyLlm(320), qkvBias: true, tieEmbeddings: true } });
  const llm = readHfLlmDir(dir);
  assert.equal(llm.config.vocabSize, 320);
  const image = llm.tokenizer.special.image;
  assert.ok(image < 320);
  const emb = llm.weights.get('llm.embed_tokens.weight')!;
  const raw = readHfWeights(dir).get('model.embed_tokens.weight')!;
  const d = emb.shape[1];
  const mean0 = Array.from({ length: 320 }, (_, r) => raw.data[r * d] as number).reduce((a, b) => a + b, 0) / 320;
  assert.ok(Math.abs((emb.data[image * d] as number) - mean0) < 1e-6);
});

test("a tokenizer without a chat template gets mm1's role tokens appended (and their rows), so mm1's own chat format applies", () => {
  const dir = writeLlmDir(join(root, 'no-template'));
  const config = JSON.parse(readFileSync(join(dir, 'tokenizer_config.json'), 'utf8')) as Record<string, unknown>;
  delete config.chat_template;
  writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify(config));
  const llm = readHfLlmDir(dir);
  const roles = llm.tokenizer.roles!;
  assert.deepEqual(
    [roles.user, roles.assistant].map((id) => llm.addedIds.includes(id)),
    [true, true],
  );
  assert.equal(llm.tokenizer.tokenToId('<|user|>'), roles.user);
  assert.equal(roles.end, llm.tokenizer.tokenToId('<|im_end|>'), 'the end-of-turn token the vocabulary has is reused');
});
