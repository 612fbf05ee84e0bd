// Pins, beyond batch_pins.test.ts's first batches, what session 16's pixel work must not
// change: six consecutive batches of the ablation base run's pretraining stream (128 px v2
// pictures shrunk to 64, B 16 × T 320, ≤ 8 pictures a row), as the studies' runner packs it,
// every typed array of each batch and of the training feeds made from it
// (batchFeeds: the int64 ids and the splice index); and v1 and v2 scenes rendered at every side
// the world is drawn at, each then resized and normalised to the sides encoders take.
//
// The same six batches drawn into recycled arrays (what training does since session 17) must
// give the same digest.
//
// Where the digests came from: printed (MM1_PRINT_GOLDEN=1) by main at 5658bb9, before any of
// session 16's rendering or resize changes. A speed-up must leave them equal; a change meant to
// change the pictures changes the studies' data too: say so, and print new digests the same way.
import assert from 'node:assert/strict';
import { createHash, type Hash } from 'node:crypto';
import { test } from 'node:test';
import { baseConfig } from '../../src/ablate/studies/base.js';
import { BatchStream } from '../../src/data/batches.js';
import { resizeNormalizeInto } from '../../src/data/resize.js';
import { CLIP_MEAN, CLIP_STD } from '../../src/data/normalize.js';
import { generateScene, renderScene } from '../../src/data/world/index.js';
import { Rng } from '../../src/engine/rng.js';
import { pretrainConfig as ablationRunConfig } from '../../src/jobs/ablation_runner.js';
import { batchFeeds } from '../../src/model/build/batch_feeds.js';
import type { ModelConfig } from '../../src/model/build/config.js';
import { resolveModelConfig } from '../../src/train/model_setup.js';
import { trainingPacking } from '../../src/train/run_training.js';
import { worldSources, worldTokenizer } from '../../src/train/world_data.js';

const PRINT = Boolean(process.env.MM1_PRINT_GOLDEN);

function check(label: string, got: string, want: string): void {
  if (PRINT) return void console.log(`${label}: '${got}'`);
  assert.equal(got, want, `${label}: the pictures or batches changed (see the comment at the top of this file)`);
}

/** Every typed array among an object's own fields, by name in a fixed order. */
function hashArrays(h: Hash, label: string, o: object): number {
  let n = 0;
  for (const [name, v] of Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const a = ArrayBuffer.isView(v) ? v : ArrayBuffer.isView((v as { data?: unknown })?.data) ? (v as { data: ArrayBufferView }).data : null;
    if (!a) continue;
    h.update(`${label}.${name}:${a.byteLength}:`).update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    n++;
  }
  return n;
}

/** The ablation base run's stream as the studies' runner configures and packs it, with its model; `B` overrides the batch size. */
function ablationStream(B?: number): { stream: BatchStream; model: ModelConfig } {
  const run = ablationRunConfig(baseConfig('default'), 0);
  const tokenizer = worldTokenizer(run.data.version);
  const model = resolveModelConfig(run, tokenizer.vocabSize);
  const packing = trainingPacking(run.train, model, run.data.seed);
  return { stream: new BatchStream(tokenizer, worldSources(run.data), { ...packing, B: B ?? packing.B }), model };
}

const SIX_BATCHES = '09371d6272df3efa7f1a79a90f16273b9bb4f8d87522928e4315b793ee46b237';

test('six ablation-shape batches (128 px pictures shrunk to 64) and their training feeds are pinned', async () => {
  // batch_pins.test.ts pins the first three of the same stream
  const { stream, model } = ablationStream();
  const h = createHash('sha256');
  for (let i = 0; i < 6; i++) {
    const batch = await stream.next();
    assert.deepEqual([batch.B, batch.T, batch.N, batch.imageShape], [16, 320, 8, [3, 64, 64]], 'the ablation shape');
    assert.ok(hashArrays(h, `batch ${i}`, batch) >= 7, 'a batch holds at least the seven arrays batch_pins.test.ts names');
    assert.ok(hashArrays(h, `feeds ${i}`, batchFeeds(batch, model)) >= 6, 'the feeds hold ids, targets, pixels and the splice index');
  }
  check('ablation batches 0-5 and feeds', h.digest('hex'), SIX_BATCHES);
});

test('the same six batches drawn into recycled arrays (BatchStream.recycle) give the same digest', async () => {
  // the training loop hands each batch back once its step has run (PackedFeeds.done); the next is
  // drawn into its arrays, which held a different batch (other pictures, other image counts)
  const { stream, model } = ablationStream();
  const h = createHash('sha256');
  let images: Float32Array | undefined;
  for (let i = 0; i < 6; i++) {
    const batch = await stream.next();
    if (images) assert.equal(batch.images, images, 'the recycled arrays were drawn into');
    images = batch.images;
    hashArrays(h, `batch ${i}`, batch);
    hashArrays(h, `feeds ${i}`, batchFeeds(batch, model));
    stream.recycle(batch);
  }
  check('ablation batches 0-5 and feeds', h.digest('hex'), SIX_BATCHES);
});

test('recycling a batch of another shape names both shapes', async () => {
  const other = await ablationStream(2).stream.next();
  assert.throws(
    () => ablationStream().stream.recycle(other),
    /the batch is B 2 × T 320 .* the stream makes B 16 × T 320 .*recycle only batches this stream returned/,
  );
});

test('v1 and v2 scenes rendered at 32-200 px, and resized and normalised to 32, 48 and 64, are pinned', () => {
  const rng = new Rng(16);
  const pictures = createHash('sha256');
  const pixels = createHash('sha256');
  const out = new Float32Array(3 * 64 * 64);
  for (let i = 0; i < 240; i++) {
    const scene = generateScene(rng, { version: i % 3 === 0 ? 1 : 2, textProbability: 0.5 });
    for (const side of [32, 48, 64, 96, 128, 200]) {
      const picture = renderScene(scene, side);
      pictures.update(picture.data);
      if (side !== 128 && side !== 96) continue;
      for (const to of [32, 48, 64]) {
        resizeNormalizeInto(picture, to, to, out, 0, CLIP_MEAN, CLIP_STD);
        pixels.update(new Uint8Array(out.buffer, 0, 3 * to * to * 4));
      }
    }
  }
  check('pictures', pictures.digest('hex'), 'e91d3b62a5631204a30f29f263c6296603fbc1bf2966d25d28367da6a7458510');
  check('resized and normalised', pixels.digest('hex'), '0352b20ac6921de9a9199001369f178dfb116895d4df4e94d61e8b07eb426844');
});
