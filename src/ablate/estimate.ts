// What a study will cost before it runs: each run as its stages (CLIP encoder stage, pretraining,
// fine-tuning, evaluation), each stage as the base run's measured stage scaled by what differs,
// and a stage that several runs share (the CLIP stage of one encoder and seed, the pretraining
// under the highres study's fine-tunings) counted once, or not at all when a finished run of the
// plan already made it. An estimate for an idle 2-core machine, not a measurement.
import { getRecipe } from '../model/build/recipes.js';
import { encoderOutputWidth } from '../model/build/vit.js';
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
 * Recalibrated in session 16 (2026-11-30) on the same run, alone on the machine at b1c7de6 (after
 * session 14's step rewrites and session 16's same-bytes picture work): 516 s, 0.83 of session 10's —
 * 78 s to the CLIP stage's weights (0.76), 371 s of pretraining (0.86), 67 s of evaluation (0.78),
 * read from the stage files' times; `overhead` kept at ~10 s a stage, the evaluation's 57 s split
 * 42 : 15 as before (docs/results/README.md, "Session 16").
 */
export const BASE_STAGE_SECONDS = {
  /** Per run, whatever its steps: graph building, session start-up, model saving and loading. */
  overhead: 30,
  /** One CLIP step: 64 pictures rendered, resized, encoded forward and backward. */
  clipStep: 0.085,
  /** One pretraining step at 320 tokens, 8 images per sequence, the encoder frozen. */
  pretrainStep: 0.361,
  /** The whole evaluation at BASE_EVAL_ITEMS image items (and 400 text items), 0/4/8 shots, items at hand. */
  evaluation: 42,
  /** Generating the evaluation items and shot pools: once per `mm1 ablate` process. */
  evalItems: 15,
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

/** The connector settings that decide its multiply-adds (model/build/config.ts ConnectorConfigSchema). */
interface ConnectorDims {
  kind: string;
  tokens: number;
  hidden?: number;
  depth: number;
}

/**
 * Forward multiply-adds of one crop through the connector, patch features [P, inWidth] (P = G²)
 * to `tokens` tokens of the LLM width D: the linear and convolution layers of
 * model/build/connectors/*.ts. Norms, activations and the C-Abstractor's squeeze-excitation (one
 * pooled row a picture) are left out: elementwise or per picture, not per patch.
 */
export function connectorMacs(cn: ConnectorDims, P: number, inWidth: number, D: number): number {
  const k = cn.tokens;
  const h = cn.hidden ?? inWidth; // the C-Abstractor's and attention pooling's default hidden width follows the input
  if (cn.kind === 'avgpool') return k * P * inWidth + k * inWidth * D; // pooling matmul, Linear C→D
  if (cn.kind === 'attnpool') return 2 * P * inWidth * h + 2 * k * P * h + k * h * h + k * h * D; // k/v projections, attention, out_proj, proj
  if (cn.kind === 'mlp') return P * (inWidth * D + D * D); // Linear C→D, Linear D→D on every patch
  if (cn.kind === 'pixelshuffle') return P * inWidth * D; // k tokens of r²C channels, k·r² = P
  // C-Abstractor: RegStage (1×1 in→h, depthwise 3×3, 1×1 h→h, a 1×1 shortcut when in ≠ h; later blocks h→h), pooling, RegStage, 2-layer readout.
  const stage = (positions: number, cin: number) =>
    cn.depth === 0 ? 0 : positions * (cin * h + 9 * h + h * h + (cin === h ? 0 : cin * h) + (cn.depth - 1) * (2 * h * h + 9 * h));
  const w = cn.depth === 0 ? inWidth : h;
  return stage(P, inWidth) + k * P * w + stage(k, w) + k * (w * D + D * D);
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
 *   share is not measured per variant, taken as 0.2 per patch grid;
 * - the connector (what vision.stemSkip's wider encoder output costs): 0.03 of the base step's
 *   ONNX part, its share of the step's multiply-adds (0.028: forward and backward of the LLM and connector, the
 *   frozen encoder's forward; connectorMacs). Not a time fit: an A/B of the base step with and
 *   without stemSkip (conv stem in both; one process, CPU time, 12 alternating pairs, load 8.5,
 *   session 14) read 1.01 (pairs 0.75–1.36), too noisy to resolve the 1.05 this share predicts.
 */
export const FIT = {
  evalTextShare: 0.34,
  pretrainData: 0.23,
  patchShare: 0.3,
  seqExponent: 1.8,
  clipData: 0.3,
  clipExponent: 1.2,
  evalPatchShare: 0.2,
  evalSeqExponent: 0.7,
  connectorShare: 0.03,
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
  connector: ConnectorDims;
  /** Channels of the encoder's patch tokens, the connector's input: 2 × width with vision.stemSkip 'concat' (encoderOutputWidth). */
  encoderOut: number;
  llmWidth: number;
}

/** What a study run's config leaves out comes from the recipe every study run builds on (jobs/ablation_runner.ts). */
const RECIPE = getRecipe('tiny').model;

function dimsOf(c: Record<string, unknown>): Dims {
  const n = (k: string, d: number) => (typeof c[k] === 'number' ? c[k] : d);
  const width = n('model.vision.width', BASE.width);
  const tokens = n('model.connector.tokens', BASE.tokens); // the tiny recipe's default too (16)
  return {
    vision: {
      imageSize: n('model.vision.imageSize', BASE.imageSize),
      patchSize: n('model.vision.patchSize', BASE.patchSize),
      width,
      depth: n('model.vision.depth', BASE.depth),
      mlpHidden: n('model.vision.mlpHidden', BASE.mlpHidden),
    },
    seqLen: n('train.seqLen', BASE.seqLen),
    tokens,
    connector: {
      kind: typeof c['model.connector.kind'] === 'string' ? c['model.connector.kind'] : RECIPE.connector.kind,
      tokens,
      ...(typeof c['model.connector.hidden'] === 'number' ? { hidden: c['model.connector.hidden'] } : {}),
      depth: n('model.connector.depth', RECIPE.connector.depth),
    },
    encoderOut: encoderOutputWidth({ width, stemSkip: c['model.vision.stemSkip'] === 'concat' ? 'concat' : undefined }),
    llmWidth: n('model.llm.width', RECIPE.llm.width),
  };
}

/** The base run's connector (a C-Abstractor of 16 tokens on its 64 px grid), the unit of connectorExtra. */
const BASE_CONNECTOR_MACS = connectorMacs(
  { kind: 'cabstractor', tokens: BASE.tokens, depth: 1 },
  (BASE.imageSize / BASE.patchSize) ** 2,
  BASE.width,
  RECIPE.llm.width,
);

/**
 * The connector's extra multiply-adds a crop at `imageSize` from an encoder output wider than the
 * encoder (vision.stemSkip: 2C), relative to the base run's connector on its 64 px grid; 0 when the
 * output is the encoder's width. What the plain connector costs is inside the fitted factors already.
 */
function connectorExtra(d: Dims, imageSize: number): number {
  const P = (imageSize / d.vision.patchSize) ** 2;
  const extra = connectorMacs(d.connector, P, d.encoderOut, d.llmWidth) - connectorMacs(d.connector, P, d.vision.width, d.llmWidth);
  return extra / BASE_CONNECTOR_MACS;
}

/** Seconds of one training step of a model with these dims, `crops` encoder passes per image, the encoder `trainable` or frozen. */
function stepSeconds(d: Dims, seqLen: number, imageSize: number, crops = 1, trainable = false): number {
  // A trainable encoder also runs backward (~3× its forward cost).
  const patches = patchRatio({ imageSize, patchSize: d.vision.patchSize }) * crops * (trainable ? 3 : 1);
  // The connector runs once a crop and always trains (pretraining and fine-tuning alike).
  const connector = FIT.connectorShare * connectorExtra(d, imageSize) * crops;
  const onnx = (seqLen / BASE.seqLen) ** FIT.seqExponent * (1 + FIT.patchShare * (patches - 1) + connector);
  const data = 0.8 + 0.2 * (imageSize / BASE.imageSize) ** 2 * crops;
  return BASE_STAGE_SECONDS.pretrainStep * (FIT.pretrainData * data + (1 - FIT.pretrainData) * onnx);
}

/**
 * Text tokens beside each picture of an evaluation prompt in the prompt-length ratio: the figure
 * training sequences are packed with (studies/base.ts TEXT_TOKENS_PER_IMAGE), with which
 * FIT.evalSeqExponent's pricing was set. Counted evaluation prompts carry fewer, ~10–12 a picture
 * (docs/results/README.md, the highres diagnosis: 813 positions for 8 shots of 80-token sets).
 */
const PROMPT_TEXT_PER_PICTURE = 24;

/**
 * The evaluation's pictures over the prompts of `shots` (an s-shot prompt shows s + 1): crops
 * encoded per picture, and the prompt cost relative to the base run's (16-token pictures), each
 * shot count's prompts costing length^evalSeqExponent. With `highResLast` = N (mixed-resolution
 * few-shot, model/infer/mixed_resolution.ts) only a prompt's last N pictures are the full set of
 * `crops` crops, the earlier ones the overview alone (1 crop of `tokens` tokens); without it every
 * prompt is (crops · tokens + text) / (16 + text) times the base's, whatever its shots.
 * Checked after it was written (session 14: the highres study's seed-0 models, 8 image tasks × 20
 * items at 0/4/8 shots, one process, CPU time, load 7–10): sub-images with highResLast 1 / full
 * sets read 0.34 and 0.38 where this prices 0.54; over the base variant's evaluation, full sets
 * read 3.1–3.3 (priced 2.41), highResLast 1 1.14–1.18 (priced 1.31). Long prompts cost more than
 * length^0.7, and no one (exponent, encoder share) fits both within 15%: nothing was refit from one study.
 */
function evalPictures(crops: number, tokens: number, shots: readonly number[], highResLast: number | undefined) {
  const text = PROMPT_TEXT_PER_PICTURE;
  let pictures = 0;
  let encoded = 0;
  let cost = 0;
  let baseCost = 0;
  for (const s of shots) {
    const n = s + 1;
    const full = Math.min(highResLast ?? n, n);
    pictures += n;
    encoded += full * crops + (n - full);
    cost += (full * (crops * tokens + text) + (n - full) * (tokens + text)) ** FIT.evalSeqExponent;
    baseCost += (n * (BASE.tokens + text)) ** FIT.evalSeqExponent;
  }
  return { cropsPerPicture: encoded / pictures, promptCost: cost / baseCost };
}

/** A run's stages in idle seconds, each whole (sharing is the plan's business: estimatePlan). */
export function stageSeconds(config: AblationRunConfig, scale: Scale): StageSeconds {
  const c = flatten(config);
  const d = dimsOf(c);
  const steps = Number(c['train.steps'] ?? 0);
  const clipSteps = Number(c['encoder.clipSteps'] ?? Math.max(100, Math.round(steps * 0.8)));
  // vision.stemSkip is not priced here: the CLIP head's 2C input measured no dearer (A/B of the
  // CLIP step, session 14: 0.85, pairs 0.79–1.10; the head pools before its projection).
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
  // The evaluation runs the fine-tuned model when there is one: its resolution, its crops, and
  // eval.highResLast's mixed-resolution prompts (which mm1 applies to sub-image models only).
  const tuned = sftSteps > 0;
  const evalSize = tuned ? sftSize : d.vision.imageSize;
  const highResLast = tuned && crops > 1 && typeof c['eval.highResLast'] === 'number' ? c['eval.highResLast'] : undefined;
  const shots = Array.isArray(c['eval.shots']) && c['eval.shots'].length > 0 ? (c['eval.shots'] as number[]) : [0, 4, 8]; // the runner's default
  const pictures = evalPictures(tuned ? crops : 1, d.tokens, shots, highResLast);
  const evalPatches = patchRatio({ imageSize: evalSize, patchSize: d.vision.patchSize }) * pictures.cropsPerPicture;
  // The connector runs once a crop, as the encoder does: its share shrinks from training to evaluation as the encoder's does (FIT.evalPatchShare / FIT.patchShare).
  const evalConnector = ((FIT.connectorShare * FIT.evalPatchShare) / FIT.patchShare) * connectorExtra(d, evalSize) * pictures.cropsPerPicture;
  const imagePart = (1 - FIT.evalTextShare) * (items / BASE_EVAL_ITEMS) * (1 + FIT.evalPatchShare * (evalPatches - 1) + evalConnector) * pictures.promptCost;
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
