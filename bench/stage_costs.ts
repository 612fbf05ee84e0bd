// Seconds per step of the two training stages, data and ONNX step apart: what
// bench/ablation_costs.ts and bench/quickstart_phases.ts compare across configs.
import { BatchStream } from '../src/data/batches.js';
import type { Mm1Tokenizer } from '../src/data/tokenizer.js';
import { clipImageSlots } from '../src/data/subimage.js';
import type { HostTensor } from '../src/engine/host_tensor.js';
import { initParams } from '../src/engine/param_store.js';
import { TrainStep } from '../src/engine/train_step.js';
import { batchFeeds } from '../src/model/build/batch_feeds.js';
import { buildClip } from '../src/model/build/clip.js';
import { freezeFilter } from '../src/model/build/components.js';
import type { ModelConfig } from '../src/model/build/config.js';
import { buildMultimodalTraining } from '../src/model/build/multimodal.js';
import { CAPTION_LEN, clipBatch } from '../src/train/clip_data.js';
import type { PretrainConfig } from '../src/train/config.js';
import { worldSources } from '../src/train/world_data.js';

/** Mean seconds per step of making the batch (data) and of running it (onnx). */
export interface Cost {
  data: number;
  onnx: number;
}

type Feeds = Record<string, HostTensor>;

async function timeSteps(ts: TrainStep, next: () => Promise<Feeds> | Feeds, n: number): Promise<Cost> {
  await ts.run(await next(), 1e-3); // warm-up: first-run allocations
  let data = 0;
  let onnx = 0;
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const feeds = await next();
    const t1 = performance.now();
    await ts.run(feeds, 1e-3);
    data += t1 - t0;
    onnx += performance.now() - t1;
  }
  return { data: data / n / 1000, onnx: onnx / n / 1000 };
}

/** One pretraining step of `run` (world data, its frozen components kept fixed), `n` times. */
export async function pretrainStepCost(run: PretrainConfig, model: ModelConfig, tokenizer: Mm1Tokenizer, n: number): Promise<Cost> {
  const { batchSize: B, seqLen: T, maxImages: N } = run.train;
  const net = buildMultimodalTraining(model, { B, T, N });
  const ts = await TrainStep.create(net.g, net.loss, initParams(net.g, 0), {
    optimizer: { kind: 'adamw', weightDecay: 0.1 },
    trainable: freezeFilter(run.train.freeze),
    clipNorm: 1,
  });
  const images = clipImageSlots({ resolution: model.vision.imageSize, grid: model.subImageGrid });
  const stream = new BatchStream(tokenizer, worldSources(run.data), { B, T, N, tokensPerCrop: model.connector.tokens, images, seed: 0 });
  return timeSteps(ts, async () => batchFeeds(await stream.next(), model), n).finally(() => ts.release());
}

/** One CLIP-stage step of `run`'s encoder on its pictures, `n` times. */
export async function clipStepCost(run: PretrainConfig, model: ModelConfig, tokenizer: Mm1Tokenizer, n: number): Promise<Cost> {
  const CB = run.encoder.clipBatchSize;
  const net = buildClip(model.vision, { B: CB, L: CAPTION_LEN, vocabSize: tokenizer.vocabSize, embed: 64 });
  const ts = await TrainStep.create(net.g, net.loss, initParams(net.g, 0), {
    optimizer: { kind: 'adamw', weightDecay: 0.1 },
    clipNorm: 1,
    metrics: { accuracy: net.accuracy },
  });
  const data = { tokenizer, imageSize: model.vision.imageSize, renderSize: run.data.renderSize, seed: 0, textShare: 0, version: run.data.version };
  let at = 0;
  return timeSteps(ts, () => clipBatch(data, at++ * CB, CB), n).finally(() => ts.release());
}
