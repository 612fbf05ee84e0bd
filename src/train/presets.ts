// Training settings that are not a recipe's own, each named once. A recipe
// (model/build/recipes.ts) holds the schedule its model was sized for; the jobs below start from it
// and change only what is listed here.
import { getRecipe } from '../model/build/recipes.js';
import type { TrainConfig } from './config.js';

/** `mm1 pretrain` when neither flags nor a config file give these. */
export const PRETRAIN_DEFAULTS = { steps: 600, checkpointEvery: 100 } as const;

/**
 * Pretraining with the CLIP-trained encoder kept fixed: the quick start's settings (the
 * ablation runner uses the same). With the encoder frozen every step goes to the connector
 * and the LLM; the quick start trains them at a higher peak LR than the recipe's 2e-3 (which
 * is sized for a trainable encoder), on longer sequences with more image slots.
 */
export const FROZEN_ENCODER_OVERRIDES = {
  batchSize: 16,
  seqLen: 256,
  maxImages: 8,
  lr: 3e-3,
  warmupSteps: 30,
  freeze: ['vision'],
} as const satisfies Partial<TrainConfig>;

/**
 * The quick start's stage lengths: `mm1 quickstart`'s defaults and the web page's training
 * panel. Every 3-minute schedule measured (shorter stages, doubled LRs, half the batch for
 * twice the steps) fell below the default's seed-to-seed range — the text tasks by 8–30 points
 * (docs/performance.md) — so the quick start keeps these and takes about 4 minutes idle (3 min 56 s, session 16).
 */
export const QUICKSTART_STEPS = { clip: 800, pretrain: 900 } as const;

/**
 * What the quick start may set beyond its step counts: the CLIP stage's peak LR
 * (`encoder.clipLr`), and pretraining's peak LR and batch (`train.lr`, `train.batchSize`, in
 * place of FROZEN_ENCODER_OVERRIDES', which the ablation studies keep).
 */
export const QUICKSTART_TUNING = { clipLr: 1e-3, lr: 3e-3, batchSize: FROZEN_ENCODER_OVERRIDES.batchSize } as const;

/** The tiny recipe's schedule with the encoder frozen (see FROZEN_ENCODER_OVERRIDES). */
export function frozenEncoderTrain(recipe = 'tiny'): Omit<TrainConfig, 'steps' | 'seed' | 'minLrRatio' | 'lrScale' | 'checkpointEvery'> {
  return { ...getRecipe(recipe).train, ...FROZEN_ENCODER_OVERRIDES, freeze: [...FROZEN_ENCODER_OVERRIDES.freeze] };
}

/** `mm1 sft` when neither flags nor a config file give these: the encoder learns at a tenth of
 *  the LR, as it arrives pretrained and the new resolution or sub-images only adapt it. */
export const SFT_TRAIN_DEFAULTS = {
  steps: 300,
  batchSize: 16,
  seqLen: 256,
  maxImages: 4,
  lr: 1e-3,
  warmupSteps: 20,
  checkpointEvery: 100,
  lrScale: { vision: 0.1 },
} as const satisfies Partial<TrainConfig>;
