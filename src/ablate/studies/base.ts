// What every study shares at a scale: training length, the evaluation (shots, set sizes) and
// the architecture MM1 holds fixed while one component varies (spec §1.1), scaled down to the
// synthetic world. Studies layer their own overrides on top with mergeConfig.
//
// Budgets, from runs measured on the 2-core machine (see runSeconds): a smoke run takes about
// a minute and a half, a default run about seven minutes, so one seed of a 3–9-variant study
// is minutes at smoke scale and 20–65 minutes at default scale. More seeds (--seeds 3) multiply that.
import { mergeConfig, nested } from '../config_paths.js';
import { trainingSteps } from '../plan.js';
import type { RunConfig } from '../runner.js';
import type { Scale } from '../study.js';

export interface ScaleBudget {
  /** Pretraining steps per run (`train.steps`). */
  trainSteps: number;
  /** Fine-tuning steps, for studies with an SFT stage (`sft.steps`). */
  sftSteps: number;
  /** Evaluation examples per image task (`eval.examplesPerTask`). */
  evalExamples: number;
  /** Evaluation examples for the text-only task (`eval.textExamples`). */
  textExamples: number;
  /**
   * Measured wall seconds of one base run (CLIP stage, `trainSteps` of pretraining, evaluation)
   * on the 2-core machine: at default, the mixture study's five runs took 407–459 s (mean 436);
   * at smoke, the connector study's nine runs took 12 min 37 s (84 s each).
   */
  runSeconds: number;
  /**
   * Seed std of one run's score for the base run, by measure (claims.ts measureKey), measured by
   * the `seeds` study at this scale; one-seed studies use it as their noise threshold.
   * Undefined until measured.
   */
  seedStd?: Record<string, number>;
}

export const BUDGETS: Record<Scale, ScaleBudget> = {
  smoke: { trainSteps: 100, sftSteps: 40, evalExamples: 16, textExamples: 32, runSeconds: 84 },
  default: {
    trainSteps: 1000,
    sftSteps: 300,
    evalExamples: 200,
    textExamples: 400,
    runSeconds: 436,
    // `mm1 ablate seeds --scale default` (seeds 0–2, 2026-11-26; docs/results/default/seeds): one
    // run's avg/image moves by ~4–5 points with the seed alone.
    seedStd: { 'avg/image@all': 4.37, 'avg/image@0': 5.09, 'avg/image@few': 4.17, 'avg/text@all': 6.91 },
  },
};

/** A run's expected wall time before any has run: the measured base run, scaled by training steps. */
export function estimateRunSeconds(config: RunConfig, scale: Scale): number {
  const b = BUDGETS[scale];
  return (b.runSeconds * Math.max(b.trainSteps, trainingSteps(config))) / b.trainSteps;
}

/** MM1 evaluates its ablations at 0, 4 and 8 shots (spec §1.1). */
export const SHOTS = [0, 4, 8] as const;

/** Vision encoder size: head dim 16 and MLP 4× width throughout, so only width and depth change. */
export function encoderSize(width: number, depth: number): RunConfig {
  if (width % 16 !== 0) throw new Error(`encoder width ${width} must be a multiple of the head dim 16`);
  return nested({ 'model.vision.width': width, 'model.vision.depth': depth, 'model.vision.heads': width / 16, 'model.vision.mlpHidden': 4 * width });
}

/** The encoder every study but `encoder` uses. */
export const BASE_ENCODER = { width: 64, depth: 3 } as const;

/**
 * The base run: MM1's ablation base (C-Abstractor, 45/45/10 data) at toy size. Patch size 8
 * is fixed so resolution changes the number of patches, as in MM1 (patch 14: 224 → 16×16, 336 → 24×24).
 */
export function baseConfig(scale: Scale): RunConfig {
  const b = BUDGETS[scale];
  return mergeConfig(
    nested({
      'model.vision.imageSize': 64,
      'model.vision.patchSize': 8,
      'model.connector.kind': 'cabstractor',
      'model.connector.tokens': 16,
      'data.mixture': { interleaved: 45, caption: 45, text: 10, syntheticCaptionShare: 0 },
      'train.steps': b.trainSteps,
      'eval.shots': [...SHOTS],
      'eval.examplesPerTask': b.evalExamples,
      'eval.textExamples': b.textExamples,
    }),
    encoderSize(BASE_ENCODER.width, BASE_ENCODER.depth),
  );
}

/** The base config with dotted overrides on top. */
export function withOverrides(scale: Scale, overrides: Record<string, unknown>): RunConfig {
  return mergeConfig(baseConfig(scale), nested(overrides));
}
