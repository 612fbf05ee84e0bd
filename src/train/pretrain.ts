// `mm1 pretrain`: MM1-style multimodal pretraining. One training step — ViT, connector,
// LLM, loss on text tokens, backward, clipping, AdamW — is one ONNX graph; the data is the
// packed interleaved/caption/text mixture; the loop checkpoints, logs and resumes.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { initParams, countParams } from '../engine/param_store.js';
import { TrainStep } from '../engine/train_step.js';
import { latestCheckpoint } from '../engine/checkpoint.js';
import type { DataCursor } from '../data/batches.js';
import { buildMultimodalTraining } from '../model/multimodal.js';
import { batchFeeds } from '../model/batch_feeds.js';
import { componentLrScale, freezeFilter } from '../model/components.js';
import type { ModelConfig } from '../model/config.js';
import { saveModelDir } from '../model/model_dir.js';
import { resolveModelConfig } from './model_setup.js';
import type { RunConfig } from './config.js';
import { trainLoop, type BatchStream, type LoopResult } from './loop.js';
import { worldBatchStream, worldTokenizer } from './world_data.js';

export interface PretrainOptions {
  config: RunConfig;
  /** Run directory: checkpoints/, log.jsonl, run.json, model/ at the end. */
  out: string;
  /** Continue from the newest checkpoint in `out`. */
  resume?: boolean;
  quiet?: boolean;
  /** Stop (with a checkpoint) after this step; used by tests and by `--stop-after`. */
  stopAfter?: number;
  saveOnnx?: boolean;
}

export interface PretrainResult extends LoopResult {
  modelDir: string | null;
  model: ModelConfig;
  params: number;
  wallSeconds: number;
}

/** Refuse to mix two runs in one directory; on resume, the config must match the saved one. */
function claimRunDir(out: string, config: RunConfig, resume: boolean): void {
  mkdirSync(out, { recursive: true });
  const saved = join(out, 'run.json');
  const hasCheckpoint = latestCheckpoint(out) !== null;
  if (hasCheckpoint && !resume) throw new Error(`${out} already holds a run with checkpoints; pass --resume to continue it, or choose another --out`);
  if (resume && existsSync(saved)) {
    const before = readFileSync(saved, 'utf8');
    const now = JSON.stringify(config, null, 2) + '\n';
    if (before !== now) throw new Error(`--resume: the config differs from the one ${out} was started with (${saved}); resume with the same settings or start a new --out`);
  }
  writeFileSync(saved, JSON.stringify(config, null, 2) + '\n');
}

export async function pretrain(o: PretrainOptions): Promise<PretrainResult> {
  const t0 = Date.now();
  const { config } = o;
  const { train, data } = config;
  claimRunDir(o.out, config, o.resume ?? false);
  const tokenizer = worldTokenizer();
  const model = resolveModelConfig(config, tokenizer.vocabSize);
  const net = buildMultimodalTraining(model, { B: train.batchSize, T: train.seqLen, N: train.maxImages });
  const params = initParams(net.g, train.seed);
  const ts = await TrainStep.create(net.g, net.loss, params, {
    optimizer: { kind: 'adamw', weightDecay: train.weightDecay },
    trainable: freezeFilter(train.freeze),
    group: componentLrScale(train.lrScale),
    clipNorm: train.clipNorm,
    saveOnnxTo: o.saveOnnx ? join(o.out, 'train_step.onnx') : undefined,
  });
  let stream = worldBatchStream(tokenizer, model, data, train);
  const feeds: BatchStream = {
    async next() {
      const batch = await stream.next();
      let tokens = 0;
      for (let i = 0; i < batch.segments.length; i++) if (batch.segments[i] !== 0) tokens++;
      return { feeds: batchFeeds(batch, model), tokens };
    },
    cursor: () => stream.cursor(),
    restore: (c) => (stream = worldBatchStream(tokenizer, model, data, train, c as DataCursor)),
  };
  try {
    const result = await trainLoop(ts, feeds, {
      runDir: o.out,
      steps: train.steps,
      schedule: { kind: 'cosine', peak: train.lr, warmupSteps: train.warmupSteps, totalSteps: train.steps, minRatio: train.minLrRatio },
      checkpointEvery: train.checkpointEvery,
      config,
      label: 'pretrain',
      quiet: o.quiet,
      stopAfter: o.stopAfter,
    });
    let modelDir: string | null = null;
    if (ts.step === train.steps) {
      modelDir = join(o.out, 'model');
      await saveModelDir(modelDir, { config: model, weights: ts.params, tokenizer, extra: { trainedSteps: ts.step, run: config } });
    }
    return { ...result, modelDir, model, params: countParams(params), wallSeconds: (Date.now() - t0) / 1000 };
  } finally {
    await ts.release();
  }
}
