// Pins the bytes the data pipeline feeds the training step, per config a study or a user runs:
// the first batches of pretraining (tokens, targets, segments, positions, image positions,
// pixels) and of the CLIP stage (pixels, captions, masks). The ablation studies' reports must
// stay reproducible from main, so any speed-up of rendering, resizing, normalising or packing
// has to leave every digest here unchanged.
//
// Where the digests came from: printed (MM1_PRINT_GOLDEN=1) by main at d8cd5a5, before the
// pipeline work of issue #13's "data that keeps up" began. If a change to the world or the
// pipeline is meant to change the data, the studies' cached runs no longer match it: say so,
// and print the new digests the same way.
import assert from 'node:assert/strict';
import { createHash, type Hash } from 'node:crypto';
import { test } from 'node:test';
import { baseConfig } from '../../src/ablate/studies/base.js';
import { mergeConfig, nested } from '../../src/ablate/config_paths.js';
import { BatchStream } from '../../src/data/batches.js';
import { MM1_MIX } from '../../src/data/mixture.js';
import type { PackedBatch } from '../../src/data/packed_batch.js';
import { preprocessImage, type ImagePreprocessConfig } from '../../src/data/subimage.js';
import { renderScene, generateScene, worldConversations } from '../../src/data/world/index.js';
import type { HostTensor } from '../../src/engine/host_tensor.js';
import { Rng } from '../../src/engine/rng.js';
import { pretrainConfig as ablationRunConfig } from '../../src/jobs/ablation_runner.js';
import { getRecipe } from '../../src/model/build/recipes.js';
import { clipBatch } from '../../src/train/clip_data.js';
import { parsePretrainConfig, type PretrainConfig } from '../../src/train/config.js';
import { resolveModelConfig } from '../../src/train/model_setup.js';
import { trainingPacking } from '../../src/train/run_training.js';
import { worldSources, worldTokenizer } from '../../src/train/world_data.js';

const PRINT = Boolean(process.env.MM1_PRINT_GOLDEN);

function hashArray(h: Hash, name: string, a: ArrayBufferView): void {
  h.update(`${name}:${a.byteLength}:`).update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
}

function hashBatch(h: Hash, b: PackedBatch): void {
  h.update(`B${b.B} T${b.T} N${b.N} k${b.tokensPerImage} c${b.cropsPerImage ?? 1} [${b.imageShape}]`);
  for (const key of ['tokens', 'targets', 'segments', 'positions', 'imageTokenIndex', 'imageCount', 'images'] as const) hashArray(h, key, b[key]);
}

function hashFeeds(h: Hash, feeds: Record<string, HostTensor>): void {
  for (const [name, t] of Object.entries(feeds)) {
    h.update(`${name}[${t.shape}]`);
    hashArray(h, name, t.data);
  }
}

function check(label: string, got: string, want: string): void {
  if (PRINT) return void console.log(`${label}: '${got}'`);
  assert.equal(got, want, `${label}: the data pipeline's bytes changed (see the comment at the top of this file)`);
}

/** Digest of the first `batches` pretraining batches of a world run config, packed as runTraining packs them. */
function pretrainDigest(config: PretrainConfig, batches: number, edit: (m: ReturnType<typeof resolveModelConfig>) => typeof m = (m) => m): Promise<string> {
  const tokenizer = worldTokenizer(config.data.version);
  const model = edit(resolveModelConfig(config, tokenizer.vocabSize));
  const stream = new BatchStream(tokenizer, worldSources(config.data), trainingPacking(config.train, model, config.data.seed));
  return (async () => {
    const h = createHash('sha256');
    for (let i = 0; i < batches; i++) hashBatch(h, await stream.next());
    return h.digest('hex');
  })();
}

/** Digest of CLIP-stage batches `steps` of a run config, as clipPretrain (world pairs) draws them. */
function clipDigest(config: PretrainConfig, steps: number[], batchSize = config.encoder.clipBatchSize): string {
  const tokenizer = worldTokenizer(config.data.version);
  const model = resolveModelConfig(config, tokenizer.vocabSize);
  const data = {
    tokenizer,
    imageSize: model.vision.imageSize,
    renderSize: config.data.renderSize,
    seed: config.train.seed,
    textShare: config.encoder.clipTextShare,
    version: config.data.version,
  };
  const h = createHash('sha256');
  for (const s of steps) hashFeeds(h, clipBatch(data, s * batchSize, batchSize));
  return h.digest('hex');
}

const ablationBase = () => ablationRunConfig(baseConfig('default'), 0);

test('ablation base run (default scale, 128 px pictures shrunk to 64): first pretraining batches and CLIP-stage batches are pinned', async () => {
  const run = ablationBase();
  check('ablation pretrain', await pretrainDigest(run, 3), '6086c867f5e6ff5d1d0eadb90fa11f2d482c5574243ee10604808488a0656cd9');
  check('ablation clip', clipDigest(run, [0, 1]), '23afce84d166e726d373a89078d107f5ac3daab81b48736cae61cc0bf14a29e8');
});

test("the encoder study's 32 px and 128 px encoders on 128 px pictures: first batches are pinned", async () => {
  const pins = {
    32: ['2f9aec08867521487a54ac216e0aa555741df6fdb83be98f8861a3856b0a2de5', 'e9c88c3a0e9872e2a12a8e93dbe4e77cf7abf2dfdc82e733206e4f0fcdaa4955'],
    128: ['0cbbf75276bc7f09a6775d8036074b3d976d4b87ebce3ac3f38c070a276f2310', '5d42c54f3477875f5594e19ba45dac04b6638802293b3137c389621cd6c8bca5'],
  };
  for (const side of [32, 128] as const) {
    const run = ablationRunConfig(mergeConfig(baseConfig('default'), nested({ 'model.vision.imageSize': side })), 0);
    check(`encoder ${side} pretrain`, await pretrainDigest(run, 1), pins[side][0]);
    check(`encoder ${side} clip`, clipDigest(run, [3], 16), pins[side][1]);
  }
});

test("the CLIP stage's text-bearing pairs (encoder.clipTextShare) are pinned", () => {
  const run = parsePretrainConfig({ ...ablationBase(), encoder: { ...ablationBase().encoder, clipTextShare: 0.5 } });
  check('clip text share', clipDigest(run, [0], 32), '299a564149bf9cc90f9e0720b931d2c51830d12898961cbadb2471ee3070e034');
});

test("the highres study's fine-tuning batches (2×2 sub-images of 32 px from 128 px pictures) are pinned", async () => {
  const tokenizer = worldTokenizer(2);
  const pre = ablationRunConfig(mergeConfig(baseConfig('default'), nested({ 'model.vision.imageSize': 32 })), 0);
  const model = { ...resolveModelConfig(pre, tokenizer.vocabSize), subImageGrid: 2 };
  const sources = [{ name: 'world-sft', weight: 1, open: (start: number) => worldConversations(0, { start, imageSize: 128, version: 2 }) }];
  const stream = new BatchStream(tokenizer, sources, trainingPacking({ batchSize: 16, seqLen: 416, maxImages: 4 }, model, 0));
  const h = createHash('sha256');
  for (let i = 0; i < 2; i++) hashBatch(h, await stream.next());
  check('highres sft', h.digest('hex'), 'd61b6e18c4ece55caa8044ef639f5d197ed7093ee7c73fb95ad1b91a4580ba65');
});

test("the quick start's pretraining (tiny, 48 px pictures) and CLIP stage are pinned", async () => {
  // quickstartConfig(900, 800, 0) as main had it at d8cd5a5, written out so a change of the
  // quick start's recipe does not read as a change of the pipeline.
  const train = { ...getRecipe('tiny').train, batchSize: 16, seqLen: 256, maxImages: 8, lr: 3e-3, warmupSteps: 30, freeze: ['vision'], steps: 900, seed: 0 };
  const run = parsePretrainConfig({ recipe: 'tiny', data: { mixture: MM1_MIX, seed: 0, renderSize: 48 }, encoder: { clipSteps: 800 }, train });
  check('quickstart pretrain', await pretrainDigest(run, 3), '993df382ca2ea56c25505ae8a9e451ed0342479468ca291289f1ab4e7792d220');
  check('quickstart clip', clipDigest(run, [0, 1]), 'e6375b434bf3f96991b9c8d06a577a175eb88fa1fc914dbe3bc25b15ab040a8a');
});

test("the tiny recipe's `mm1 pretrain` defaults (128 px pictures shrunk to 48): first batches are pinned", async () => {
  const run = parsePretrainConfig({ recipe: 'tiny', data: { mixture: MM1_MIX }, train: { ...getRecipe('tiny').train, steps: 600 } });
  check('tiny pretrain', await pretrainDigest(run, 4), '9c010201de65c91c5cbb32208d4c1cc1e85b84a031af88845a0f23d34a0cfd51');
});

test('preprocessing (square, bicubic resize, sub-images, normalisation) of rendered and random pictures is pinned', () => {
  const rng = new Rng(5);
  const pictures = [
    ...[128, 48, 64].map((side) => renderScene(generateScene(rng, { version: 2 }), side)),
    { width: 97, height: 61, data: Uint8Array.from({ length: 97 * 61 * 3 }, () => rng.int(256)) },
    { width: 40, height: 90, data: Uint8Array.from({ length: 40 * 90 * 3 }, () => rng.int(256)) },
  ];
  const configs: ImagePreprocessConfig[] = [
    { resolution: 32 },
    { resolution: 48 },
    { resolution: 64 },
    { resolution: 128 },
    { resolution: 32, grid: 2 },
    { resolution: 24, grid: 3, overview: 'last', square: 'pad' },
    { resolution: 56, square: 'squash' },
    { resolution: 48, resize: 56, mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] },
  ];
  const h = createHash('sha256');
  for (const config of configs) for (const p of pictures) hashArray(h, JSON.stringify(config), preprocessImage(p, config));
  check('preprocess', h.digest('hex'), '989093c782963e7678dda8f098b5e021dae4da8b745377b68ceaebb693bdd994');
});
