// What a study will cost before it runs: each run as its stages (CLIP encoder stage, pretraining,
// fine-tuning, evaluation), each stage as the base run's measured stage scaled by what differs,
// and a stage that several runs share (the CLIP stage of one encoder and seed, the pretraining
// under the highres study's fine-tunings) counted once, or not at all when a finished run of the
// plan already made it. An estimate for an idle 2-core machine, not a measurement.
import { flatten } from './config_paths.js';
import type { AblationRunConfig } from './runner.js';
import type { Scale } from './study.js';

/**
 * Idle seconds of the base run's stages (64 px, encoder 64 × 3, C-Abstractor 16 tokens, 320-token
 * sequences, batch 16) on the 2-core AMD EPYC, two ONNX Runtime threads. Calibration, session 10
 * (2026-11-29): the seeds study's seed-0 run (`mm1 ablate run 34ab0d5b059c1402`, fresh cache) alone
 * on the machine (every other process stopped) took 619 s: 103 s to the CLIP stage's weights (800
 * steps), 430 s of pretraining (1,000 steps), 86 s of evaluation (items generated, 1,400 image and
 * 400 text items at 0/4/8 shots). The per-stage start-up (graphs built, sessions opened, models
 * saved and loaded: ~10 s a stage) is `overhead`; the evaluation's ~20 s of item generation is
 * `evalItems`. The constants before (0.072 s a CLIP step, 0.239 s a pretraining step) came from an
 * older, smaller run and read 0.68 of this run's cost.
 */
export const BASE_STAGE_SECONDS = {
  /** Per run, whatever its steps: graph building, session start-up, model saving and loading. */
  overhead: 30,
  /** One CLIP step: 64 pictures rendered, resized, encoded forward and backward. */
  clipStep: 0.116,
  /** One pretraining step at 320 tokens, 8 images per sequence, the encoder frozen. */
  pretrainStep: 0.42,
  /** The whole evaluation at BASE_EVAL_ITEMS image items (and 400 text items), 0/4/8 shots, items at hand. */
  evaluation: 56,
  /** Generating the evaluation items and shot pools: once per `mm1 ablate` process. */
  evalItems: 20,
} as const;

/** Image-task items the base run evaluates at default scale (the runner's 8 tasks, capped by set size). */
const BASE_EVAL_ITEMS = 1400;

/**
 * Items an image task evaluates at a limit: the runner's eight image tasks draw from world sets
 * of these sizes (DEFAULT_EVAL_SIZES), so a limit above a set's size evaluates the whole set.
 */
const IMAGE_SET_SIZES = [200, 100, 100, 400, 200, 200, 100, 200]; // coco, nocaps, textcaps, vqav2, vizwiz, okvqa, textvqa, gqa

export function imageEvalItems(limit: number): number {
  return IMAGE_SET_SIZES.reduce((a, n) => a + Math.min(n, limit), 0);
}

/** Items of the two text tasks (multiple choice, cloze: 200 each) at a limit; 0 leaves them out. */
export function textEvalItems(limit: number): number {
  return 2 * Math.min(200, limit);
}

/** The base encoder, sequence and token count every factor is relative to. */
const BASE = { imageSize: 64, patchSize: 8, width: 64, depth: 3, mlpHidden: 256, seqLen: 320, tokens: 16 } as const;

/**
 * Multiply-adds of the ViT per picture, relative to the base encoder: patches × (attention
 * projections + MLP + attention over the patches) per layer.
 */
export function visionCost(v: { imageSize: number; patchSize: number; width: number; depth: number; mlpHidden: number }): number {
  const macs = (x: typeof v) => {
    const p = (x.imageSize / x.patchSize) ** 2;
    return x.depth * p * (4 * x.width * x.width + 2 * x.width * x.mlpHidden + 2 * p * x.width);
  };
  return macs(v) / macs(BASE);
}

/**
 * Factors fitted to per-step measurements of the study variants (bench/ablation_costs.ts, one
 * process, machine loaded, load 29–53: ratios only, ±30%):
 * - pretraining step, ONNX part: the encoder is frozen, so its size hardly counts (large / small
 *   encoder 0.99–1.0) but its patches do (32 / 128 px 0.84–0.87 / 1.92–1.97 of the base: +0.3 per
 *   extra base-sized patch grid); 704-token sequences 4.1 (×(T/320)^1.8); data part 0.23 of a
 *   base step, 1.6× at 128 px;
 * - CLIP step, ONNX part: visionCost^1.2 (32 / 64 / 128 px, small and large: 0.13–16 of the
 *   base, fitted within 20%); data ~0.3 of the base step;
 * - evaluation: the text tasks are 0.34 of the base run's (measured); the image part's encoder
 *   share is not measured per variant, taken as 0.2 per patch grid.
 */
const FIT = {
  evalTextShare: 0.34,
  pretrainData: 0.23,
  patchShare: 0.3,
  seqExponent: 1.8,
  clipData: 0.3,
  clipExponent: 1.2,
  evalPatchShare: 0.2,
  evalSeqExponent: 0.7,
} as const;

/** Patches per picture relative to the base encoder's 8 × 8. */
const patchRatio = (v: { imageSize: number; patchSize: number }) => (v.imageSize / v.patchSize) ** 2 / (BASE.imageSize / BASE.patchSize) ** 2;

export interface StageSeconds {
  /** Start-up per run; in a plan, also the evaluation items generated once. */
  overhead: number;
  clip: number;
  pretrain: number;
  sft: number;
  evaluation: number;
}

interface Dims {
  vision: { imageSize: number; patchSize: number; width: number; depth: number; mlpHidden: number };
  seqLen: number;
  tokens: number;
}

function dimsOf(c: Record<string, unknown>): Dims {
  const n = (k: string, d: number) => (typeof c[k] === 'number' ? c[k] : d);
  return {
    vision: {
      imageSize: n('model.vision.imageSize', BASE.imageSize),
      patchSize: n('model.vision.patchSize', BASE.patchSize),
      width: n('model.vision.width', BASE.width),
      depth: n('model.vision.depth', BASE.depth),
      mlpHidden: n('model.vision.mlpHidden', BASE.mlpHidden),
    },
    seqLen: n('train.seqLen', BASE.seqLen),
    tokens: n('model.connector.tokens', BASE.tokens),
  };
}

/** Seconds of one training step of a model with these dims, `crops` encoder passes per image, the encoder `trainable` or frozen. */
function stepSeconds(d: Dims, seqLen: number, imageSize: number, crops = 1, trainable = false): number {
  // A trainable encoder also runs backward (~3× its forward cost).
  const patches = patchRatio({ imageSize, patchSize: d.vision.patchSize }) * crops * (trainable ? 3 : 1);
  const onnx = (seqLen / BASE.seqLen) ** FIT.seqExponent * (1 + FIT.patchShare * (patches - 1));
  const data = 0.8 + 0.2 * (imageSize / BASE.imageSize) ** 2 * crops;
  return BASE_STAGE_SECONDS.pretrainStep * (FIT.pretrainData * data + (1 - FIT.pretrainData) * onnx);
}

/** A run's stages in idle seconds, each whole (sharing is the plan's business: estimatePlan). */
export function stageSeconds(config: AblationRunConfig, scale: Scale): StageSeconds {
  const c = flatten(config);
  const d = dimsOf(c);
  const steps = Number(c['train.steps'] ?? 0);
  const clipSteps = Number(c['encoder.clipSteps'] ?? Math.max(100, Math.round(steps * 0.8)));
  const clipOnnx = visionCost(d.vision) ** FIT.clipExponent;
  const clip =
    clipSteps * BASE_STAGE_SECONDS.clipStep * (FIT.clipData * (0.8 + 0.2 * (d.vision.imageSize / BASE.imageSize) ** 2) + (1 - FIT.clipData) * clipOnnx);
  const pretrain = steps * stepSeconds(d, d.seqLen, d.vision.imageSize);
  const sftSteps = Number(c['sft.steps'] ?? 0);
  const grid = Number(c['sft.subImageGrid'] ?? 0);
  const crops = grid > 0 ? grid * grid + 1 : 1;
  const sftSize = Number(c['sft.imageSize'] ?? d.vision.imageSize);
  // Fine-tuning sequences hold 4 images, not 8: half the pictures per step.
  const sft = sftSteps * stepSeconds(d, Number(c['sft.seqLen'] ?? 256), sftSize, crops / 2, true);
  const items = imageEvalItems(Number(c['eval.examplesPerTask'] ?? (scale === 'smoke' ? 16 : 300)));
  const evalPatches = patchRatio({ imageSize: sftSteps > 0 ? sftSize : d.vision.imageSize, patchSize: d.vision.patchSize }) * (sftSteps > 0 ? crops : 1);
  const promptLength = ((sftSteps > 0 ? crops * d.tokens : d.tokens) + 24) / (BASE.tokens + 24);
  const imagePart = (1 - FIT.evalTextShare) * (items / BASE_EVAL_ITEMS) * (1 + FIT.evalPatchShare * (evalPatches - 1)) * promptLength ** FIT.evalSeqExponent;
  const textPart = FIT.evalTextShare * (textEvalItems(Number(c['eval.textExamples'] ?? (scale === 'smoke' ? 32 : 400))) / textEvalItems(400));
  const evaluation = BASE_STAGE_SECONDS.evaluation * (imagePart + textPart);
  return { overhead: BASE_STAGE_SECONDS.overhead, clip, pretrain, sft, evaluation };
}

export const totalSeconds = (s: StageSeconds) => s.overhead + s.clip + s.pretrain + s.sft + s.evaluation;

/** What makes two runs' stages the same stage: the CLIP stage by encoder + CLIP settings + seed + world; pretraining by everything but fine-tuning and evaluation. */
export function sharedStageKeys(config: AblationRunConfig): { clip: string; pretrain: string } {
  const c = flatten(config);
  const pick = (pred: (k: string) => boolean) =>
    JSON.stringify(
      Object.keys(c)
        .filter(pred)
        .sort()
        .map((k) => [k, c[k]]),
    );
  const isSeed = (k: string) => k === 'seed' || k === 'train.steps';
  return {
    clip: pick((k) => isSeed(k) || k.startsWith('model.vision.') || k.startsWith('encoder.') || k === 'data.version' || k === 'data.renderSize'),
    pretrain: pick((k) => !k.startsWith('sft.') && !k.startsWith('eval.')),
  };
}

export interface PlanEstimate {
  seconds: number;
  /** Stage-seconds by stage, after sharing. */
  stages: StageSeconds;
  /** CLIP stages and pretrainings counted once for several runs, or already made by a finished run. */
  sharedClip: number;
  sharedPretrain: number;
}

/**
 * Each of `todo`'s stages as it would be charged in that order: a shared stage to the first run
 * that needs it, and to none when one of the `done` runs (cached, finished) made it. Configs
 * include the top-level `seed`. Per run, without the once-per-process evaluation items.
 */
function chargedStages(
  todo: readonly AblationRunConfig[],
  done: readonly AblationRunConfig[],
  scale: Scale,
): { stages: StageSeconds; reusedClip: boolean; reusedPretrain: boolean }[] {
  const madeClip = new Set(done.map((c) => sharedStageKeys(c).clip));
  const madePretrain = new Set(done.filter((c) => flatten(c)['sft.steps'] !== undefined).map((c) => sharedStageKeys(c).pretrain));
  return todo.map((config) => {
    const s = stageSeconds(config, scale);
    const keys = sharedStageKeys(config);
    const sharesPretrain = flatten(config)['sft.steps'] !== undefined; // the runner shares pretraining only under fine-tuning
    const reusedPretrain = sharesPretrain && madePretrain.has(keys.pretrain);
    const reusedClip = reusedPretrain || madeClip.has(keys.clip);
    if (sharesPretrain) madePretrain.add(keys.pretrain);
    madeClip.add(keys.clip);
    return { stages: { ...s, clip: reusedClip ? 0 : s.clip, pretrain: reusedPretrain ? 0 : s.pretrain }, reusedClip, reusedPretrain };
  });
}

/**
 * Seconds of each of `todo`'s runs in the order given (the order a pool hands them out), a shared
 * stage charged to the first run that needs it and to none when a `done` run made it; without the
 * evaluation items each worker process generates once (BASE_STAGE_SECONDS.evalItems).
 */
export function estimateRuns(todo: readonly AblationRunConfig[], done: readonly AblationRunConfig[], scale: Scale): number[] {
  return chargedStages(todo, done, scale).map((r) => totalSeconds(r.stages));
}

/**
 * Seconds for the runs still to do (`todo`) in one process, each shared stage counted once, and
 * not at all when one of the `done` runs (cached, finished) made it. Configs include the top-level `seed`.
 */
export function estimatePlan(todo: readonly AblationRunConfig[], done: readonly AblationRunConfig[], scale: Scale): PlanEstimate {
  // One process generates the evaluation items once and keeps them for every later run.
  const stages: StageSeconds = { overhead: todo.length > 0 ? BASE_STAGE_SECONDS.evalItems : 0, clip: 0, pretrain: 0, sft: 0, evaluation: 0 };
  let sharedClip = 0;
  let sharedPretrain = 0;
  for (const run of chargedStages(todo, done, scale)) {
    for (const k of Object.keys(stages) as (keyof StageSeconds)[]) stages[k] += run.stages[k];
    if (run.reusedClip) sharedClip++;
    if (run.reusedPretrain) sharedPretrain++;
  }
  return { seconds: totalSeconds(stages), stages, sharedClip, sharedPretrain };
}
