// What the CLIP stage is, apart from where it runs: its settings read from a pretraining
// config, the checks on them, the world pairs it draws, its graph, optimiser and schedule.
// `mm1 pretrain` (clip_pretrain.ts: disk, checkpoints, resume) and the browser tab
// (web/tab_training.ts: no disk) both build the stage from here, so an option added to the
// stage reaches both. No Node imports: the page bundles it.
import type { TrainStepOptions } from '../engine/train_step.js';
import type { Mm1Tokenizer } from '../data/tokenizer.js';
import type { WorldVersion } from '../data/world/index.js';
import { buildClip, type ClipGraph, type ClipPool } from '../model/build/clip.js';
import type { VisionConfig } from '../model/build/config.js';
import { CAPTION_LEN, type ClipDataOptions, type TextCaptions } from './clip_data.js';
import type { PretrainConfig } from './config.js';
import type { LrSchedule } from './schedule.js';

export interface ClipStageSettings {
  vision: VisionConfig;
  tokenizer: Mm1Tokenizer;
  steps: number;
  batchSize: number;
  lr: number;
  seed: number;
  /** Side of rendered world pictures before resizing to the encoder resolution. */
  renderSize: number;
  /** World version of the pictures and captions (default 1). */
  worldVersion?: WorldVersion;
  /** Fraction of pairs that are text-bearing scenes with a caption naming the word (clip_data.ts); default 0. */
  textShare?: number;
  /** Text pairs in groups of this many sharing a scene, differing only in the word (clip_hard_negatives.ts); absent or 1: off. */
  hardNegatives?: number;
  /** Captions of the text pairs (clip_data.ts): the world's templates (default) or `word` alone. */
  textCaptions?: TextCaptions;
  /** How the image side pools its patches (model/build/clip.ts); default 'mean'. */
  pool?: ClipPool;
  /** Steps of a first part on text pairs alone, before `steps` on the configured pairs (clipStageParts); absent: one part. */
  wordSteps?: number;
}

/** The stage's settings as a pretraining config gives them (`encoder.*`, the run's seed, the world's render size and version). */
export function clipStageSettings(config: PretrainConfig, vision: VisionConfig, tokenizer: Mm1Tokenizer): ClipStageSettings {
  const e = config.encoder;
  return {
    vision,
    tokenizer,
    steps: e.clipSteps,
    batchSize: e.clipBatchSize,
    lr: e.clipLr,
    seed: config.train.seed,
    renderSize: config.data.renderSize,
    worldVersion: config.data.version,
    textShare: e.clipTextShare,
    pool: e.clipPool,
    hardNegatives: e.clipHardNegatives,
    textCaptions: e.clipTextCaptions,
    wordSteps: e.clipWordSteps,
  };
}

/**
 * The parts a stage trains, in order, each from the towers the one before left. With
 * `wordSteps`, the word comes first: `wordSteps` steps with every pair a text pair (text share 1),
 * then `steps` on the configured pairs, with fresh optimiser state, their own schedule and the
 * data seed + 1 (pictures the first part did not draw). Trained as one mixed stage, the encoder
 * learns the world and never the word, at 800 or 1,600 steps; word pairs first, then mixed, it
 * learns both (docs/reading.md, session 8: C1, which this reproduces).
 */
export function clipStageParts(o: ClipStageSettings): ClipStageSettings[] {
  const { wordSteps, ...stage } = o;
  if (wordSteps === undefined) return [stage];
  return [
    { ...stage, steps: wordSteps, textShare: 1 },
    { ...stage, seed: o.seed + 1 },
  ];
}

/** Refuses settings the stage cannot honour; `onFiles`: the pairs come from caption shards, not the world. */
export function checkClipStage(o: ClipStageSettings, onFiles: boolean): void {
  const textShare = o.textShare ?? 0;
  const hardNegatives = o.hardNegatives ?? 1;
  if (hardNegatives > 1 && (onFiles || textShare === 0 || o.batchSize % hardNegatives !== 0))
    throw new Error(
      `clip: hard negatives (${hardNegatives} pictures per scene) need world pairs with a text share above 0 (got ${onFiles ? 'files' : `text share ${textShare}`}) and a batch size that is a multiple of ${hardNegatives} (got ${o.batchSize}), so no group is split across batches; fix encoder.clipTextShare or encoder.clipBatchSize, or leave encoder.clipHardNegatives out`,
    );
  if (o.wordSteps !== undefined && onFiles)
    throw new Error(
      `clip: a first part on word pairs (encoder.clipWordSteps ${o.wordSteps}) draws the world's text-bearing scenes, and the pairs come from files; leave encoder.clipWordSteps out, or train on world data`,
    );
  if ((o.textCaptions ?? 'world') === 'word' && (onFiles || textShare === 0))
    throw new Error(
      `clip: word captions rename the text pairs, and there are none (got ${onFiles ? 'files, whose captions are read as they are' : 'text share 0'}); set encoder.clipTextShare above 0 on world data, or leave encoder.clipTextCaptions out`,
    );
}

/** The world pairs the stage draws (clip_data.ts clipBatch reads them by step). */
export function clipWorldData(o: ClipStageSettings): ClipDataOptions {
  const hardNegatives = o.hardNegatives ?? 1;
  const textCaptions = o.textCaptions ?? 'world';
  return {
    tokenizer: o.tokenizer,
    imageSize: o.vision.imageSize,
    renderSize: o.renderSize,
    seed: o.seed,
    textShare: o.textShare ?? 0,
    version: o.worldVersion ?? 1,
    ...(hardNegatives > 1 ? { hardNegatives } : {}),
    ...(textCaptions !== 'world' ? { textCaptions } : {}),
  };
}

/** The two-tower graph: the encoder under study, a caption tower, projections to a 64-wide joint space. */
export function clipStageGraph(o: ClipStageSettings): ClipGraph {
  return buildClip(o.vision, { B: o.batchSize, L: CAPTION_LEN, vocabSize: o.tokenizer.vocabSize, embed: 64 }, { pool: o.pool ?? 'mean' });
}

/** AdamW with weight decay 0.1 and gradients clipped at norm 1, reporting in-batch retrieval accuracy. */
export function clipStepOptions(net: ClipGraph): TrainStepOptions {
  return { optimizer: { kind: 'adamw', weightDecay: 0.1 }, clipNorm: 1, metrics: { accuracy: net.accuracy } };
}

/** Cosine from `lr` to a tenth of it after a warm-up of 20 steps (or the whole stage, if shorter). */
export function clipSchedule(o: ClipStageSettings): LrSchedule {
  return { kind: 'cosine', peak: o.lr, warmupSteps: Math.min(20, o.steps), totalSteps: o.steps, minRatio: 0.1 };
}
