// Does the world data pipeline keep up with training? Per config, the packed-batch stream of
// the synthetic world (render, tokenise, pack, resize, normalise) and the training step it
// feeds are timed interleaved in one process, so machine load hits both alike; the figure
// is data batches/s ÷ steps/s (≥ 1: data keeps up; the aim is ≥ 5). A second data
// row renders at the encoder's side (data.renderSize = imageSize, opt-in: other pixels than
// the default 128 px render + bicubic downscale) to show what that lever is worth.
// Part of `npm run bench`; alone: node --import tsx bench/pipeline.ts [rounds]
import { BatchStream } from '../src/data/batches.js';
import { clipImageSlots } from '../src/data/subimage.js';
import { initParams } from '../src/engine/param_store.js';
import { TrainStep } from '../src/engine/train_step.js';
import { batchFeeds } from '../src/model/build/batch_feeds.js';
import { buildMultimodalTraining } from '../src/model/build/multimodal.js';
import { recipeModel } from '../src/model/build/recipes.js';
import { worldSources, worldTokenizer } from '../src/train/world_data.js';
import { median } from './engine.js';

interface PipelineConfig {
  label: string;
  B: number;
  T: number;
  N: number;
}

/** The `tiny` recipe's own batch shape, and the quick start's / default ablation run's. */
export const PIPELINE_CONFIGS: PipelineConfig[] = [
  { label: 'tiny recipe (B 8 × T 128, ≤ 2 images)', B: 8, T: 128, N: 2 },
  { label: 'quick start / ablation default (tiny, B 16 × T 256, ≤ 8 images)', B: 16, T: 256, N: 8 },
];

function stream(c: PipelineConfig, renderSize: number, imageSize: number, tokensPerCrop: number) {
  const data = { mixture: { interleaved: 45, caption: 45, text: 10 }, seed: 0, renderSize };
  const packing = { B: c.B, T: c.T, N: c.N, tokensPerCrop, images: clipImageSlots({ resolution: imageSize, grid: 0 }), seed: 0 };
  return new BatchStream(worldTokenizer(), worldSources(data as Parameters<typeof worldSources>[0]), packing);
}

async function msOf(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

export async function benchPipeline(c: PipelineConfig, rounds = 6) {
  const tokenizer = worldTokenizer();
  const model = recipeModel('tiny', tokenizer.vocabSize);
  const S = model.vision.imageSize;
  const at128 = stream(c, 128, S, model.connector.tokens);
  const atSize = stream(c, S, S, model.connector.tokens);
  const net = buildMultimodalTraining(model, { B: c.B, T: c.T, N: c.N });
  const ts = await TrainStep.create(net.g, net.loss, initParams(net.g, 1), { optimizer: { kind: 'adamw', weightDecay: 0.1 }, clipNorm: 1 });
  const feeds = batchFeeds(await at128.next(), model);
  await atSize.next();
  for (let i = 0; i < 2; i++) await ts.run(feeds, 1e-4); // warm-up (JIT, ONNX Runtime arenas)
  const step: number[] = [],
    data: number[] = [],
    dataAtSize: number[] = [];
  for (let r = 0; r < rounds; r++) {
    step.push(await msOf(() => ts.run(feeds, 1e-4)));
    data.push(await msOf(() => at128.next()));
    dataAtSize.push(await msOf(() => atSize.next()));
  }
  await ts.release();
  const [s, d, d2] = [median(step), median(data), median(dataAtSize)];
  return {
    config: c.label,
    imageSize: S,
    train_step_ms: +s.toFixed(1),
    data_ms_per_batch: +d.toFixed(1),
    data_over_step: +(s / d).toFixed(2),
    render_at_encoder_size: { data_ms_per_batch: +d2.toFixed(1), data_over_step: +(s / d2).toFixed(2) },
    rounds,
  };
}

export async function benchPipelines(rounds = 6) {
  const out = [];
  for (const c of PIPELINE_CONFIGS) out.push(await benchPipeline(c, rounds));
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await benchPipelines(Number(process.argv[2] ?? 6))) console.log(JSON.stringify(r));
}
