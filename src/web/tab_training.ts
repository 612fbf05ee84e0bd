// Training in the browser tab: the quick start's two stages — CLIP-style encoder pretraining on
// world picture–caption pairs, then multimodal pretraining with that encoder frozen — built from
// the same pieces as `mm1 quickstart` (train/clip_pretrain.ts, train/run_training.ts): the same
// graphs, initialisation, data streams, schedules and TrainStep. What it leaves out is what
// needs a disk: run directories, checkpoints and resume. No Node imports, so the page bundles it
// and the tests run it in Node to hold the browser's losses against `mm1 pretrain`'s.
import type { ParamValues } from '../engine/param_store.js';
import { initParams } from '../engine/param_store.js';
import { TrainStep } from '../engine/train_step.js';
import { BatchStream } from '../data/batches.js';
import { MM1_MIX } from '../data/mixture.js';
import { validatePackedBatch } from '../data/packing_check.js';
import { clipImageSlots } from '../data/subimage.js';
import type { Mm1Tokenizer } from '../data/tokenizer.js';
import { batchFeeds } from '../model/build/batch_feeds.js';
import { componentLrScale, freezeFilter } from '../model/build/components.js';
import type { ModelConfig } from '../model/build/config.js';
import { buildMultimodalTraining } from '../model/build/multimodal.js';
import { getRecipe } from '../model/build/recipes.js';
import { clipBatch } from '../train/clip_data.js';
import { checkClipStage, clipSchedule, clipStageGraph, clipStageParts, clipStageSettings, clipStepOptions, clipWorldData } from '../train/clip_stage.js';
import { parsePretrainConfig, type PretrainConfig } from '../train/config.js';
import { resolveModelConfig } from '../train/model_setup.js';
import { frozenEncoderTrain, QUICKSTART_TUNING } from '../train/presets.js';
import { learningRate } from '../train/schedule.js';
import { worldSources, worldTokenizer } from '../train/world_data.js';

/** The quick start's config (jobs/quickstart.ts quickstartConfig; a test holds the two equal). */
export function tabTrainingConfig(steps: number, clipSteps: number, seed: number): PretrainConfig {
  return parsePretrainConfig({
    recipe: 'tiny',
    data: { mixture: MM1_MIX, seed, renderSize: getRecipe('tiny').model.vision.imageSize },
    encoder: { clipSteps, clipLr: QUICKSTART_TUNING.clipLr },
    train: { ...frozenEncoderTrain('tiny'), batchSize: QUICKSTART_TUNING.batchSize, lr: QUICKSTART_TUNING.lr, steps, checkpointEvery: 100, seed },
  });
}

export interface TabTrainingOptions {
  config: PretrainConfig;
  /** Stop each stage after this many steps (the schedules still span the configured steps). */
  stopAfter?: number;
  onStep?: (stage: 'clip' | 'pretrain', step: number, loss: number) => void | Promise<void>;
  /** Polled between steps; true ends training early (the model so far is returned). */
  stopped?: () => boolean;
  /** ONNX Runtime intra-op threads in Node (the browser decides its own). */
  threads?: number;
}

export interface TabTrainingResult {
  model: ModelConfig;
  tokenizer: Mm1Tokenizer;
  weights: ParamValues;
  clipLosses: number[];
  losses: number[];
  /** Pretraining steps taken. */
  steps: number;
}

/** Stage 1, as train/clip_pretrain.ts: the trained `vision.*` weights and the losses, part after part (clipStageParts). */
async function clipStage(o: TabTrainingOptions, model: ModelConfig, tokenizer: Mm1Tokenizer): Promise<{ vision: ParamValues; losses: number[] }> {
  const whole = clipStageSettings(o.config, model.vision, tokenizer);
  checkClipStage(whole, false);
  const losses: number[] = [];
  let towers: ParamValues | undefined; // the part before's weights, which the next part starts from
  for (const stage of clipStageParts(whole)) {
    checkClipStage(stage, false);
    const data = clipWorldData(stage);
    const net = clipStageGraph(stage);
    const ts = await TrainStep.create(net.g, net.loss, towers ?? initParams(net.g, stage.seed), { ...clipStepOptions(net), threads: o.threads });
    const schedule = clipSchedule(stage);
    try {
      for (let s = 0; s < stage.steps && losses.length < (o.stopAfter ?? Infinity) && !o.stopped?.(); s++) {
        const r = await ts.run(clipBatch(data, s * stage.batchSize, stage.batchSize), learningRate(schedule, s));
        losses.push(r.loss);
        await o.onStep?.('clip', losses.length, r.loss);
      }
      towers = new Map(ts.params);
    } finally {
      await ts.release();
    }
  }
  return { vision: new Map([...towers!].filter(([name]) => name.startsWith('vision.'))), losses };
}

/** The tokenizer and model config a training config trains (the world's word tokenizer, as `mm1 pretrain`). */
export function tabModel(config: PretrainConfig): { tokenizer: Mm1Tokenizer; model: ModelConfig } {
  const tokenizer = worldTokenizer(config.data.version);
  return { tokenizer, model: resolveModelConfig(config, tokenizer.vocabSize) };
}

export async function trainInTab(o: TabTrainingOptions): Promise<TabTrainingResult> {
  const { config } = o;
  const train = config.train;
  const { tokenizer, model } = tabModel(config);
  const clip = config.encoder.clipSteps > 0 ? await clipStage(o, model, tokenizer) : { vision: new Map(), losses: [] };

  // Stage 2, as train/run_training.ts with initCoverage 'some': fresh weights, the CLIP encoder over them.
  const net = buildMultimodalTraining(model, { B: train.batchSize, T: train.seqLen, N: train.maxImages });
  const weights = initParams(net.g, train.seed);
  for (const [name, v] of clip.vision) if (weights.has(name)) weights.set(name, v);
  const ts = await TrainStep.create(net.g, net.loss, weights, {
    optimizer: { kind: 'adamw', weightDecay: train.weightDecay },
    trainable: freezeFilter(train.freeze),
    group: componentLrScale(train.lrScale),
    clipNorm: train.clipNorm,
    threads: o.threads,
  });
  const packing = {
    B: train.batchSize,
    T: train.seqLen,
    N: train.maxImages,
    tokensPerCrop: model.connector.tokens,
    images: clipImageSlots({ resolution: model.vision.imageSize, grid: model.subImageGrid }),
    seed: config.data.seed,
  };
  const stream = new BatchStream(tokenizer, worldSources(config.data), packing);
  const schedule = { kind: 'cosine' as const, peak: train.lr, warmupSteps: train.warmupSteps, totalSteps: train.steps, minRatio: train.minLrRatio };
  const losses: number[] = [];
  try {
    for (let s = 0; s < Math.min(train.steps, o.stopAfter ?? Infinity) && !o.stopped?.(); s++) {
      const batch = await stream.next();
      validatePackedBatch(batch, tokenizer.special);
      const r = await ts.run(batchFeeds(batch, model), learningRate(schedule, s));
      losses.push(r.loss);
      await o.onStep?.('pretrain', s + 1, r.loss);
    }
  } finally {
    await ts.release();
  }
  return { model, tokenizer, weights: ts.params, clipLosses: clip.losses, losses, steps: losses.length };
}
