// The ablation base run's pretraining step at default scale (studies/base.ts as
// bench/pipeline.ts builds it: 64 px encoder, frozen, C-Abstractor, B 16 × T 320, ≤ 8 images)
// and its first world batches, for the step benches (step_profile.ts, step_ab.ts).
import { PIPELINE_JOBS } from './pipeline.js';
import { BatchStream } from '../src/data/batches.js';
import { MM1_MIX } from '../src/data/mixture.js';
import { clipImageSlots } from '../src/data/subimage.js';
import type { HostTensor } from '../src/engine/host_tensor.js';
import { initParams } from '../src/engine/param_store.js';
import { TrainStep, type TrainStepOptions } from '../src/engine/train_step.js';
import { batchFeeds } from '../src/model/build/batch_feeds.js';
import { freezeFilter } from '../src/model/build/components.js';
import { buildMultimodalTraining } from '../src/model/build/multimodal.js';
import { worldSources, worldTokenizer } from '../src/train/world_data.js';

const job = PIPELINE_JOBS[2];
const model = job.model(worldTokenizer(2).vocabSize);

/** The first `n` batches of the run's world stream (pictures drawn at 128 px and shrunk, as the studies draw them), as graph feeds. */
export async function ablationBatches(n: number): Promise<Record<string, HostTensor>[]> {
  const images = clipImageSlots({ resolution: model.vision.imageSize, grid: 0 });
  const data = new BatchStream(
    worldTokenizer(2),
    worldSources({ mixture: MM1_MIX, seed: 0, renderSize: 128, version: 2 } as Parameters<typeof worldSources>[0]),
    { B: job.B, T: job.T, N: job.N, tokensPerCrop: model.connector.tokens, images, seed: 0 },
  );
  const out = [];
  for (let i = 0; i < n; i++) out.push(batchFeeds(await data.next(), model));
  return out;
}

/** A training step of the run's model from seed-1 weights, with the run's optimiser, freeze and clipping; `options` on top. */
export async function ablationTrainStep(options: Partial<TrainStepOptions> = {}): Promise<TrainStep> {
  const net = buildMultimodalTraining(model, { B: job.B, T: job.T, N: job.N });
  return TrainStep.create(net.g, net.loss, initParams(net.g, 1), {
    optimizer: { kind: 'adamw', weightDecay: 0.1 },
    trainable: freezeFilter(job.freeze),
    clipNorm: 1,
    ...options,
  });
}
