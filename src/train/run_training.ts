// The part pretraining and fine-tuning share: build the training graph for a model config,
// start from given (or fresh) weights, pull packed batches from data sources, run the loop
// with checkpoints and resume, and save the finished model directory.
import { join } from 'node:path';
import { countParams, initParams, type ParamValues } from '../engine/param_store.js';
import { TrainStep } from '../engine/train_step.js';
import type { BatchStreamConfig, DataSource, SkipLimit } from '../data/batches.js';
import { clipImageSlots, modelPreprocess } from '../data/subimage.js';
import type { Mm1Tokenizer } from '../data/tokenizer.js';
import { buildMultimodalTraining } from '../model/build/multimodal.js';
import { componentLrScale, freezeFilter } from '../model/build/components.js';
import type { ModelConfig } from '../model/build/config.js';
import { saveModelDir } from '../model/io/model_dir.js';
import type { DataConfig, TrainConfig } from './config.js';
import type { ClaimedRunDir } from './run_dir.js';
import { SkipLog } from './skip_log.js';
import { trainLoop, type FeedStream, type LoopResult } from './loop.js';
import { PrefetchFeeds, prefetchFromEnv } from './prefetch.js';
import { PackedFeeds } from './packed_feeds.js';

export interface TrainingJob {
  /** Claimed by the caller before any of its own work (ClaimedRunDir.claim); holds the run's config. */
  run: ClaimedRunDir;
  model: ModelConfig;
  tokenizer: Mm1Tokenizer;
  train: TrainConfig;
  sources: DataSource[];
  /** Seeds the mixture order. */
  dataSeed: number;
  /** Sources that skip broken records stop the run past this rate (file data); broken records are listed in <run>/skipped.jsonl. */
  skipLimit?: SkipLimit;
  /** Starting weights (fine-tuning); fresh initialisation when absent. */
  init?: ParamValues;
  /** 'all': every parameter must come from `init` (fine-tuning); 'some': those present do (e.g. a CLIP-pretrained encoder). */
  initCoverage?: 'all' | 'some';
  quiet?: boolean;
  stopAfter?: number;
  saveOnnx?: boolean;
  label: string;
  /**
   * The data config, when `sources` are its world sources and `tokenizer` the world's: then the
   * batches can be drawn in a worker thread while the step runs (prefetch.ts), same bytes.
   */
  worldData?: DataConfig;
  /** Draw batches in a worker thread (needs worldData); default: MM1_PREFETCH (prefetch.ts prefetchFromEnv). */
  prefetch?: boolean;
}

export interface TrainingResult extends LoopResult {
  modelDir: string | null;
  params: number;
  wallSeconds: number;
}

/** How a run packs its batches: the schedule's B × T with N image slots, the model's tokens and preprocessing (also the data pins' and bench's streams). */
export function trainingPacking(
  train: Pick<TrainConfig, 'batchSize' | 'seqLen' | 'maxImages'>,
  model: ModelConfig,
  dataSeed: number,
  skipLimit?: SkipLimit,
): BatchStreamConfig {
  return {
    B: train.batchSize,
    T: train.seqLen,
    N: train.maxImages,
    tokensPerCrop: model.connector.tokens,
    images: clipImageSlots(modelPreprocess(model)),
    seed: dataSeed,
    skipLimit,
  };
}

export async function runTraining(job: TrainingJob): Promise<TrainingResult> {
  const t0 = Date.now();
  const { train, model, tokenizer } = job;
  const out = job.run.path;
  const net = buildMultimodalTraining(model, { B: train.batchSize, T: train.seqLen, N: train.maxImages });
  const fresh = initParams(net.g, train.seed);
  if (job.init) {
    for (const name of fresh.keys()) {
      const v = job.init.get(name);
      if (!v && job.initCoverage === 'some') continue;
      if (!v) throw new Error(`the starting model has no tensor '${name}'; was it trained with another recipe?`);
      if (v.shape.join() !== fresh.get(name)!.shape.join())
        throw new Error(`tensor '${name}': the starting model has [${v.shape}], this config needs [${fresh.get(name)!.shape}]`);
      fresh.set(name, v);
    }
  }
  const ts = await TrainStep.create(net.g, net.loss, fresh, {
    optimizer: { kind: 'adamw', weightDecay: train.weightDecay },
    trainable: freezeFilter(train.freeze),
    group: componentLrScale(train.lrScale),
    clipNorm: train.clipNorm,
    saveOnnxTo: job.saveOnnx ? join(out, 'train_step.onnx') : undefined,
  });
  const packing = trainingPacking(train, model, job.dataSeed, job.skipLimit);
  const prefetch = (job.prefetch ?? prefetchFromEnv()) && job.worldData !== undefined;
  const feeds: FeedStream = prefetch
    ? new PrefetchFeeds({
        data: job.worldData!,
        packing: { B: packing.B, T: packing.T, N: packing.N, tokensPerCrop: packing.tokensPerCrop, seed: packing.seed },
        preprocess: modelPreprocess(model),
        model,
      })
    : new PackedFeeds(tokenizer, job.sources, packing, model, new SkipLog(out, job.quiet));
  try {
    const result = await trainLoop(ts, feeds, {
      runDir: out,
      steps: train.steps,
      schedule: { kind: 'cosine', peak: train.lr, warmupSteps: train.warmupSteps, totalSteps: train.steps, minRatio: train.minLrRatio },
      checkpointEvery: train.checkpointEvery,
      config: job.run.runConfig,
      label: job.label,
      quiet: job.quiet,
      stopAfter: job.stopAfter,
    });
    let modelDir: string | null = null;
    if (ts.step === train.steps) {
      modelDir = join(out, 'model');
      await saveModelDir(modelDir, { config: model, weights: ts.params, tokenizer, extra: { trainedSteps: ts.step, run: job.run.runConfig } });
    }
    return { ...result, modelDir, params: countParams(fresh), wallSeconds: (Date.now() - t0) / 1000 };
  } finally {
    feeds.close?.();
    await ts.release();
  }
}
