// The pretraining / fine-tuning run configuration, validated at the edge (zod). A run is
// a model recipe (plus overrides), a data mixture and a schedule; the whole object is
// saved in every checkpoint so a run can be resumed or reproduced from its directory.
import { z } from 'zod';
import { parseWith } from '../model/config.js';

export const MixtureSchema = z.object({
  interleaved: z.number().nonnegative().default(45),
  caption: z.number().nonnegative().default(45),
  text: z.number().nonnegative().default(10),
  /** Share of the caption weight given to synthetic dense captions (VeCap analogue). */
  syntheticCaptionShare: z.number().min(0).max(1).default(0),
});

export const DataConfigSchema = z.object({
  /** 'world' = the embedded synthetic world. */
  source: z.literal('world').default('world'),
  mixture: MixtureSchema.default(MixtureSchema.parse({})),
  seed: z.number().int().default(0),
  /** Side of rendered world pictures before resizing to the encoder resolution. */
  renderSize: z.number().int().positive().default(128),
});

export const TrainConfigSchema = z.object({
  steps: z.number().int().positive(),
  /** Sequences per batch (B). */
  batchSize: z.number().int().positive(),
  /** Tokens per sequence (T). */
  seqLen: z.number().int().positive(),
  /** Image slots per sequence (N). */
  maxImages: z.number().int().nonnegative(),
  lr: z.number().positive(),
  warmupSteps: z.number().int().nonnegative().default(0),
  minLrRatio: z.number().min(0).max(1).default(0.1),
  weightDecay: z.number().nonnegative().default(0.1),
  clipNorm: z.number().positive().nullable().default(1),
  /** Components whose weights stay fixed: any of vision, connector, llm. */
  freeze: z.array(z.enum(['vision', 'connector', 'llm'])).default([]),
  /** Learning-rate multiplier per component. */
  lrScale: z.object({ vision: z.number().positive(), connector: z.number().positive(), llm: z.number().positive() }).partial().default({}),
  checkpointEvery: z.number().int().positive().default(200),
  seed: z.number().int().default(0),
});

/** Stage 1: contrastive (CLIP-style) pretraining of the image encoder on world image–caption
 *  pairs, as MM1 starts from a CLIP-pretrained ViT (0 steps = start from random weights). */
export const EncoderPretrainSchema = z.object({
  clipSteps: z.number().int().nonnegative().default(0),
  clipBatchSize: z.number().int().min(2).default(64),
  clipLr: z.number().positive().default(1e-3),
  /** Share of CLIP pairs that are text-bearing scenes with a caption naming the word (train/clip_data.ts). */
  clipTextShare: z.number().min(0).max(1).default(0),
});

export const RunConfigSchema = z.object({
  /** A named recipe from model/recipes.ts. */
  recipe: z.string(),
  /** Deep overrides of the recipe's model config, e.g. {"vision": {"imageSize": 64}}. */
  model: z.record(z.string(), z.unknown()).default({}),
  data: DataConfigSchema.default(DataConfigSchema.parse({})),
  encoder: EncoderPretrainSchema.default(EncoderPretrainSchema.parse({})),
  train: TrainConfigSchema,
});

export type Mixture = z.infer<typeof MixtureSchema>;
export type DataConfig = z.infer<typeof DataConfigSchema>;
export type TrainConfig = z.infer<typeof TrainConfigSchema>;
export type RunConfig = z.infer<typeof RunConfigSchema>;

export function parseRunConfig(raw: unknown, source = 'run config'): RunConfig {
  return parseWith(RunConfigSchema, raw, source, "See 'mm1 pretrain --help' for the fields.");
}

/** Recursive merge of plain objects (arrays and scalars are replaced). */
export function deepMerge<T>(base: T, over: unknown): T {
  if (!isPlain(over) || !isPlain(base)) return (over === undefined ? base : over) as T;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(over)) out[k] = deepMerge(out[k], v);
  return out as T;
}

function isPlain(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
