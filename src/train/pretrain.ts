// `mm1 pretrain`: MM1-style multimodal pretraining on the packed interleaved / caption /
// text mixture. One training step — ViT, connector, LLM, loss on text tokens, backward,
// clipping, AdamW — is one ONNX graph (see run_training.ts and engine/train_step.ts).
import type { ParamValues } from '../engine/param_store.js';
import type { ModelConfig } from '../model/build/config.js';
import { hfBackboneDirs, resolveModelConfig } from './model_setup.js';
import { hfInitialWeights, readHfBackbones } from '../model/io/hf_backbones.js';
import type { PretrainConfig } from './config.js';
import { join } from 'node:path';
import { clipPretrain } from './clip_pretrain.js';
import { clipStageSettings } from './clip_stage.js';
import { ClaimedRunDir } from './run_dir.js';
import { runTraining, type TrainingResult } from './run_training.js';
import { decodeForModel, fileSources, skipLimit } from './file_data.js';
import { fileClipPairs } from './file_clip_data.js';
import { modelPreprocess } from '../data/subimage.js';
import { worldSources, worldTokenizer } from './world_data.js';

export interface PretrainOptions {
  config: PretrainConfig;
  /** Run directory: checkpoints/, log.jsonl, run.json, model/ at the end. */
  out: string;
  /** Continue from the newest checkpoint in `out`. */
  resume?: boolean;
  quiet?: boolean;
  /** Stop (with a checkpoint) after this step. */
  stopAfter?: number;
  saveOnnx?: boolean;
  /** Starting weights for the image encoder (e.g. from clipPretrain); the rest starts fresh. */
  visionInit?: ParamValues;
  /**
   * Where the CLIP stage keeps (and finds) its weights; default <out>/clip. Runs whose encoder,
   * CLIP settings and seed are equal train the same encoder, so an ablation study points them
   * at one shared directory and trains it once (clipPretrain reuses weights whose settings match).
   */
  clipOut?: string;
  /** Draw world batches in a worker thread while the step runs (prefetch.ts); default: MM1_PREFETCH. Same batches either way. */
  prefetch?: boolean;
}

export interface PretrainResult extends TrainingResult {
  model: ModelConfig;
}

export async function pretrain(o: PretrainOptions): Promise<PretrainResult> {
  // Hugging Face backbones (model.vision.hf / model.llm.hf): their weights start the run, and
  // the LLM's own tokenizer reads the data (the world's text is plain English).
  const dirs = hfBackboneDirs(o.config);
  const visionTunables = (o.config.model.vision ?? {}) as { featureLayer?: number; postNorm?: boolean };
  const hf = readHfBackbones(dirs, { featureLayer: visionTunables.featureLayer, postNorm: visionTunables.postNorm });
  if (hf.vision && o.config.encoder.clipSteps > 0)
    throw new Error(
      `encoder.clipSteps ${o.config.encoder.clipSteps}: the tower comes pretrained from ${dirs.vision}; drop --clip-steps (the CLIP stage trains a tower from scratch)`,
    );
  const tokenizer = hf.llm?.tokenizer ?? worldTokenizer(o.config.data.version);
  const model = resolveModelConfig(o.config, tokenizer.vocabSize, hf);
  // Shards are listed (and a glob matching nothing refused) before the run directory is claimed.
  const imageSide = model.vision.imageSize * Math.max(1, model.subImageGrid ?? 0);
  const sources = o.config.data.source === 'files' ? fileSources(o.config.data, decodeForModel(imageSide)) : worldSources(o.config.data);
  const run = ClaimedRunDir.claim(o.out, o.config, o.resume ?? false); // before the CLIP stage: refuse a busy directory early
  let visionInit = o.visionInit;
  if (!visionInit && o.config.encoder.clipSteps > 0) {
    const clipOut = o.clipOut ?? join(o.out, 'clip');
    const files = o.config.data.source === 'files';
    const clip = await clipPretrain({
      ...clipStageSettings(o.config, model.vision, tokenizer),
      out: clipOut,
      quiet: o.quiet,
      // On files the stage reads the caption shards (train/file_clip_data.ts) instead of the world's pairs.
      pairs: files ? fileClipPairs({ data: o.config.data, tokenizer, image: modelPreprocess(model), out: clipOut, quiet: o.quiet }) : undefined,
    });
    visionInit = clip.vision;
  }
  const r = await runTraining({
    run,
    model,
    tokenizer,
    train: o.config.train,
    sources,
    dataSeed: o.config.data.seed,
    skipLimit: o.config.data.source === 'files' ? skipLimit(o.config.data) : undefined,
    init: new Map([...hfInitialWeights(hf), ...(visionInit ?? [])]),
    initCoverage: 'some',
    quiet: o.quiet,
    stopAfter: o.stopAfter,
    saveOnnx: o.saveOnnx,
    label: 'pretrain',
    // World data read by the world's tokenizer can be drawn in a worker thread (prefetch.ts).
    worldData: o.config.data.source === 'world' && !hf.llm ? o.config.data : undefined,
    prefetch: o.prefetch,
  });
  return { ...r, model };
}
