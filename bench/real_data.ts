// Does pretraining on files keep up, and does its memory stay flat? Two figures for
// `mm1 pretrain` with data.source "files" (docs/data.md):
// - loader: packed batches from generated WebDataset / OBELICS parquet / text JSON Lines
//   shards (JPEG decode, tokenise, pack, bicubic resize, normalise) timed interleaved with the
//   tiny recipe's training step in one process, as bench/pipeline.ts does for the world:
//   data_over_step = step time ÷ data time per batch (≥ 1: data keeps up), and images/s of
//   the loader against the images/s the step consumes. Photos at two sizes; the 45/45/10 mix
//   and captions alone, each decoded as pretraining does (shrunk while decoding to twice the
//   encoder side, file_data.ts decodeForModel) and at full size (the A/B for that choice);
//   the same ratio in CPU time too (cpu_data_over_step), which a loaded machine distorts less.
// - nanovlm: the loader alone at the nanoVLM-sized model's input (224 px, 49 image tokens per
//   image, one image per 256-token sequence, experiments/hf_size), in wall time and in CPU time
//   (process.cpuUsage counts libvips' threads too): images per CPU-second is the figure a loaded
//   machine does not distort, set against the training step's CPU-seconds per image that
//   experiments/hf_size measured (docs/pretrained.md). That step needs ~12 GB, so it is not rerun
//   here beside the loader.
// - rss: peak RSS of one child process streaming the same number of batches from a small and
//   a large shard set (a few MB, read over and over, vs a few hundred MB): equal peaks mean
//   the reader streams and memory does not grow with the data.
// Alone: node --import tsx bench/real_data.ts [loader|nanovlm|rss] (shards from test/helpers/data_shards.ts)
import { execFileSync, spawnSync } from 'node:child_process';
import { rmSync, mkdtempSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { BatchStream } from '../src/data/batches.js';
import { clipImageSlots } from '../src/data/subimage.js';
import { initParams } from '../src/engine/param_store.js';
import { TrainStep } from '../src/engine/train_step.js';
import { batchFeeds } from '../src/model/build/batch_feeds.js';
import { buildMultimodalTraining } from '../src/model/build/multimodal.js';
import { recipeModel } from '../src/model/build/recipes.js';
import { DataConfigSchema } from '../src/train/config.js';
import { decodeForModel, fileSources } from '../src/train/file_data.js';
import type { DecodeOptions } from '../src/data/image.js';
import { worldTokenizer } from '../src/train/world_data.js';
import { writeShardSet, type ShardSet } from '../test/helpers/data_shards.js';
import { median } from './engine.js';
import { measured } from './cpu_time.js';

function dataConfig(set: ShardSet, root: string, mixture: { interleaved: number; caption: number; text: number } = { interleaved: 45, caption: 45, text: 10 }) {
  return DataConfigSchema.parse({
    source: 'files',
    files: {
      caption: { format: 'webdataset', path: set.webdataset },
      interleaved: { format: 'obelics-parquet', path: set.obelicsParquet, imageRoot: root },
      text: { format: 'text-jsonl', path: set.text },
    },
    mixture,
  });
}

/** Loader vs training step for one photo size, tiny recipe at its own batch shape (B 8 × T 128, ≤ 2 images). */
async function loaderVsStep(size: [number, number], rounds: number) {
  const root = mkdtempSync(join(tmpdir(), 'mm1-bench-files-'));
  try {
    const set = await writeShardSet({ dir: root, shards: 2, perShard: 40, size, noise: true });
    const tokenizer = worldTokenizer(2);
    const model = recipeModel('tiny', tokenizer.vocabSize);
    const shape = { B: 8, T: 128, N: 2 };
    const packing = { ...shape, tokensPerCrop: model.connector.tokens, images: clipImageSlots({ resolution: model.vision.imageSize }), seed: 0 };
    const stream = (mixture: Parameters<typeof dataConfig>[2], decode: DecodeOptions) =>
      new BatchStream(tokenizer, fileSources(dataConfig(set, root, mixture), decode), packing);
    const shrink = decodeForModel(model.vision.imageSize);
    const streams = {
      mixture_45_45_10: stream(undefined, shrink),
      captions_only: stream({ interleaved: 0, caption: 1, text: 0 }, shrink),
      mixture_full_decode: stream(undefined, {}),
      captions_only_full_decode: stream({ interleaved: 0, caption: 1, text: 0 }, {}),
    };
    const net = buildMultimodalTraining(model, shape);
    const ts = await TrainStep.create(net.g, net.loss, initParams(net.g, 1), { optimizer: { kind: 'adamw', weightDecay: 0.1 }, clipNorm: 1 });
    const feeds = batchFeeds(await streams.mixture_45_45_10.next(), model);
    for (const s of Object.values(streams)) await s.next();
    for (let i = 0; i < 2; i++) await ts.run(feeds, 1e-4); // warm-up (JIT, ONNX Runtime arenas)
    const step: number[] = [];
    let stepCpu = 0;
    const data = Object.fromEntries(Object.keys(streams).map((k) => [k, { ms: [] as number[], cpu: 0, images: 0 }]));
    for (let r = 0; r < rounds; r++) {
      const stepCost = await measured(() => ts.run(feeds, 1e-4));
      step.push(stepCost.wallMs);
      stepCpu += stepCost.cpuMs;
      for (const [k, s] of Object.entries(streams)) {
        const { value: batch, wallMs, cpuMs } = await measured(() => s.next());
        data[k].images += batch.imageCount.reduce((a, b) => a + b, 0);
        data[k].ms.push(wallMs);
        data[k].cpu += cpuMs;
      }
    }
    await ts.release();
    const s = median(step);
    const rows = Object.fromEntries(
      Object.entries(data).map(([k, d]) => {
        const ms = median(d.ms);
        const perBatch = d.images / rounds;
        return [
          k,
          {
            data_ms_per_batch: +ms.toFixed(1),
            data_over_step: +(s / ms).toFixed(2),
            loader_images_per_s: Math.round((1000 * perBatch) / ms),
            step_consumes_images_per_s: Math.round((1000 * perBatch) / s),
            // The same comparison in CPU time, which a loaded machine distorts less than wall time.
            cpu_data_over_step: +(stepCpu / d.cpu).toFixed(2),
            loader_images_per_cpu_s: Math.round((1000 * d.images) / d.cpu),
          },
        ];
      }),
    );
    return { photo: `${size[0]}×${size[1]} JPEG`, imageSize: model.vision.imageSize, train_step_ms: +s.toFixed(1), ...rows, rounds };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** The nanoVLM-sized model's image input: a ViT-B/16 at 224 px, pixel-shuffled to 49 tokens (experiments/hf_size/run.ts). */
const NANOVLM = { imageSize: 224, tokensPerCrop: 49, B: 8, T: 256, N: 1 };

/** The loader at the nanoVLM-sized model's input: wall and CPU time per batch, for captions alone and the 45/45/10 mix. */
async function loaderAtNanoVlm(size: [number, number], batches: number) {
  const root = mkdtempSync(join(tmpdir(), 'mm1-bench-nanovlm-'));
  try {
    const set = await writeShardSet({ dir: root, shards: 2, perShard: 40, size, noise: true });
    const tokenizer = worldTokenizer(2);
    const packing = {
      B: NANOVLM.B,
      T: NANOVLM.T,
      N: NANOVLM.N,
      tokensPerCrop: NANOVLM.tokensPerCrop,
      images: clipImageSlots({ resolution: NANOVLM.imageSize }),
      seed: 0,
    };
    const rows: Record<string, object> = {};
    for (const [label, mixture] of [
      ['captions_only', { interleaved: 0, caption: 1, text: 0 }],
      ['mixture_45_45_10', undefined],
    ] as const) {
      const stream = new BatchStream(tokenizer, fileSources(dataConfig(set, root, mixture), decodeForModel(NANOVLM.imageSize)), packing);
      await stream.next(); // warm-up: shard opening, JIT
      const wall: number[] = [];
      let [cpuMs, images] = [0, 0];
      for (let b = 0; b < batches; b++) {
        const cost = await measured(() => stream.next());
        images += cost.value.imageCount.reduce((a, n) => a + n, 0);
        wall.push(cost.wallMs);
        cpuMs += cost.cpuMs;
      }
      const perBatch = images / batches;
      rows[label] = {
        images_per_batch: +perBatch.toFixed(1),
        wall_ms_per_batch: +median(wall).toFixed(1),
        images_per_wall_s: Math.round((1000 * perBatch) / median(wall)),
        images_per_cpu_s: Math.round((1000 * images) / cpuMs),
      };
    }
    return {
      photo: `${size[0]}×${size[1]} JPEG`,
      imageSize: NANOVLM.imageSize,
      ...rows,
      batches,
      cpus_available: availableParallelism(),
      load_average_1min: +loadavg()[0].toFixed(1),
    };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

/** Batches each RSS child streams: more than one pass over the large set's caption shards. */
const RSS_BATCHES = 200;

/** Child: RSS_BATCHES batches from the set at `root`; prints peak RSS and how far it read. */
async function streamBatches(root: string): Promise<void> {
  const set: ShardSet = {
    webdataset: join(root, 'wds', '*.tar'),
    obelicsParquet: join(root, 'obelics', '*.parquet'),
    obelicsJsonl: '',
    text: join(root, 'text', '*.jsonl'),
    broken: { webdataset: 0, obelicsParquet: 0, obelicsJsonl: 0, text: 0 },
  };
  const tokenizer = worldTokenizer(2);
  const model = recipeModel('tiny', tokenizer.vocabSize);
  const stream = new BatchStream(tokenizer, fileSources(dataConfig(set, root), decodeForModel(model.vision.imageSize)), {
    B: 8,
    T: 128,
    N: 2,
    tokensPerCrop: model.connector.tokens,
    images: clipImageSlots({ resolution: model.vision.imageSize }),
    seed: 0,
  });
  const rssAfterSetup = process.memoryUsage().rss;
  for (let b = 0; b < RSS_BATCHES; b++) await stream.next();
  const cursor = stream.cursor();
  const records = Object.values(cursor.records ?? {}).reduce((n, c) => n + c.read, 0);
  const passes = Object.fromEntries(Object.entries(cursor.sources).map(([k, p]) => [k, p.epoch]));
  process.stdout.write(
    JSON.stringify({
      batches: RSS_BATCHES,
      records,
      completed_passes: passes,
      rss_after_setup_mb: Math.round(rssAfterSetup / 2 ** 20),
      peak_rss_mb: Math.round((process.resourceUsage().maxRSS * 1024) / 2 ** 20),
    }) + '\n',
  );
}

async function rssSmallVsLarge() {
  const out = [];
  // Same shard size (20 records of 640×480 photos), one shard per format vs sixty.
  for (const [label, shards, perShard] of [
    ['small', 1, 20],
    ['large', 60, 20],
  ] as const) {
    const root = mkdtempSync(join(tmpdir(), 'mm1-bench-rss-'));
    try {
      await writeShardSet({ dir: root, shards, perShard, size: [640, 480], noise: true });
      const onDisk = execFileSync('du', ['-sm', root], { encoding: 'utf8' }).split('\t')[0];
      const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), 'rss-child', root], { encoding: 'utf8' });
      if (child.status !== 0) throw new Error(`rss child failed: ${child.stderr}`);
      out.push({ set: label, shards: shards * 3, on_disk_mb: Number(onDisk), ...JSON.parse(child.stdout.trim().split('\n').at(-1)!) });
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }
  return out;
}

export async function benchRealData(rounds = 8) {
  return { loader_vs_step: [await loaderVsStep([256, 192], rounds), await loaderVsStep([640, 480], rounds)], read_pass_rss: await rssSmallVsLarge() };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [mode, ...rest] = process.argv.slice(2);
  if (mode === 'rss-child') await streamBatches(rest[0]);
  else if (mode === 'nanovlm') console.log(JSON.stringify([await loaderAtNanoVlm([256, 192], 12), await loaderAtNanoVlm([640, 480], 12)], null, 2));
  else if (mode === 'rss') console.log(JSON.stringify(await rssSmallVsLarge(), null, 2));
  else if (mode === 'loader') console.log(JSON.stringify([await loaderVsStep([256, 192], 8), await loaderVsStep([640, 480], 8)], null, 2));
  else console.log(JSON.stringify(await benchRealData(), null, 2));
}
