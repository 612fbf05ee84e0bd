// What every study shares at a scale: training length, the evaluation (shots, set sizes, the
// eval seed) and the architecture MM1 holds fixed while one component varies (spec §1.1),
// scaled down to the synthetic world. Studies layer their own overrides on top with mergeConfig.
//
// Fair comparisons: every variant of a study packs the same number of images into a training
// sequence and holds the same number of shots in an evaluation prompt. MM1 fixes 4,096 tokens
// with up to 16 images of 144 tokens; here each variant gets a sequence long enough for
// IMAGES_PER_SEQUENCE of its own images (trainingSeqLen) and a context long enough for an
// 8-shot prompt of them (contextFor).
//
// Budgets: a smoke run takes about a minute and a half, a default base run about nine minutes on
// an idle 2-core machine (estimate.ts has the cost model); studies run 3 seeds at default scale.
import { MM1_MIX } from '../../data/mixture.js';
import { mergeConfig, nested } from '../config_paths.js';
import type { AblationRunConfig } from '../runner.js';
import type { Scale } from '../study.js';

export interface ScaleBudget {
  /** Pretraining steps per run (`train.steps`). */
  trainSteps: number;
  /** Fine-tuning steps, for studies with an SFT stage (`sft.steps`). */
  sftSteps: number;
  /**
   * Evaluation examples per image task (`eval.examplesPerTask`): a limit, since each world set has
   * its own size (200 for most, 400 for VQAv2, 100 for the reading and held-out captioning sets),
   * so 300 evaluates 1,400 image items over the eight tasks (estimate.ts imageEvalItems).
   */
  evalExamples: number;
  /** Evaluation examples for the text-only tasks (`eval.textExamples`; 200 per set). */
  textExamples: number;
}

export const BUDGETS: Record<Scale, ScaleBudget> = {
  smoke: { trainSteps: 100, sftSteps: 40, evalExamples: 16, textExamples: 32 },
  // A limit of 300 (was 200) changed only VQAv2, the one set with more than 200 items (300 of
  // its 400 now); every other set is evaluated whole at either limit.
  default: { trainSteps: 1000, sftSteps: 300, evalExamples: 300, textExamples: 400 },
};

/** Images packed into each pretraining sequence (MM1: up to 16); fine-tuning sequences hold SFT_IMAGES_PER_SEQUENCE. */
export const IMAGES_PER_SEQUENCE = 8;
export const SFT_IMAGES_PER_SEQUENCE = 4;
/**
 * Text tokens that travel with one image in world documents, generously: with 24, sequences of
 * 4-, 16- and 64-token images all fill their 8 image slots (measured 7.0–7.1 images per sequence,
 * the rest being text-only rows; at a fixed 256 tokens 64-token images got 2.6).
 */
const TEXT_TOKENS_PER_IMAGE = 24;

/** Tokens per training sequence that fit `images` images of `tokensPerImage` tokens with their text (at least 256, a multiple of 32). */
export function trainingSeqLen(images: number, tokensPerImage: number): number {
  return Math.max(256, Math.ceil((images * (tokensPerImage + TEXT_TOKENS_PER_IMAGE)) / 32) * 32);
}

/**
 * LLM context (`model.llm.maxPositions`) that fits an 8-shot prompt (9 images) of the study's
 * largest image: ~21 text tokens per shot were measured (64-token images fitted 5 shots in 512
 * tokens, 80-token sub-image sets 4), so 32 per image leaves room. At least 512, a multiple of 128.
 * RoPE positions carry no weights, so this changes no parameter, only what fits.
 */
export function contextFor(largestTokensPerImage: number, shots = 8): number {
  return Math.max(512, Math.ceil(((shots + 1) * (largestTokensPerImage + 32)) / 128) * 128);
}

/**
 * The training and context lengths of a variant whose images become `tokensPerImage` tokens: 8
 * images per sequence and all 8 shots per prompt, whatever its token count. The context is the
 * variant's own (it holds no weights, so variants that differ only in it would train alike) so
 * that the base run stays one config, shared by every study through the run cache.
 */
export function fairLengths(tokensPerImage: number): Record<string, number> {
  const seqLen = trainingSeqLen(IMAGES_PER_SEQUENCE, tokensPerImage);
  // Training positions run up to seqLen − 1, and the RoPE table has maxPositions rows.
  return { 'train.seqLen': seqLen, 'train.maxImages': IMAGES_PER_SEQUENCE, 'model.llm.maxPositions': Math.max(seqLen, contextFor(tokensPerImage)) };
}

/** MM1 evaluates its ablations at 0, 4 and 8 shots (spec §1.1). */
export const SHOTS = [0, 4, 8] as const;

/** Vision encoder size: head dim 16 and MLP 4× width throughout, so only width and depth change. */
export function encoderSize(width: number, depth: number): AblationRunConfig {
  if (width % 16 !== 0) throw new Error(`encoder width ${width} must be a multiple of the head dim 16`);
  return nested({ 'model.vision.width': width, 'model.vision.depth': depth, 'model.vision.heads': width / 16, 'model.vision.mlpHidden': 4 * width });
}

/** Image tokens of the base run's connector. */
export const BASE_TOKENS = 16;

/** The encoder every study but `encoder` uses. */
export const BASE_ENCODER = { width: 64, depth: 3 } as const;

/**
 * The base run: MM1's ablation base (C-Abstractor, 45/45/10 data) at toy size. Patch size 8
 * is fixed so resolution changes the number of patches, as in MM1 (patch 14: 224 → 16×16, 336 → 24×24).
 */
export function baseConfig(scale: Scale): AblationRunConfig {
  const b = BUDGETS[scale];
  return mergeConfig(
    nested({
      'model.vision.imageSize': 64,
      'model.vision.patchSize': 8,
      'model.connector.kind': 'cabstractor',
      'model.connector.tokens': BASE_TOKENS,
      'data.mixture': { ...MM1_MIX, syntheticCaptionShare: 0 },
      // World v2 (docs/world.md): information at 32, 64 and 128 px. Explicit so the run cache never
      // pairs a v2 study with runs made on v1.
      'data.version': 2,
      'train.steps': b.trainSteps,
      ...fairLengths(BASE_TOKENS),
      'eval.shots': [...SHOTS],
      // The same items and shots for every variant and training seed (mm1 ablate --eval-seed changes it).
      'eval.seed': 0,
      'eval.examplesPerTask': b.evalExamples,
      'eval.textExamples': b.textExamples,
    }),
    encoderSize(BASE_ENCODER.width, BASE_ENCODER.depth),
  );
}

/** The base config with dotted overrides on top (a key given in both is replaced, not an error). */
export function withOverrides(scale: Scale, overrides: Record<string, unknown>): AblationRunConfig {
  return mergeConfig(baseConfig(scale), nested(overrides));
}
