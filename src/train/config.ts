// The pretraining run configuration, validated at the edge (zod). A run is a model recipe
// (plus overrides), a data mixture and a schedule; the whole object is saved in every
// checkpoint so a run can be resumed or reproduced from its directory. Every object is
// strict: a misspelt key ("train.stpes") is refused with the nearest valid one before any
// work starts, instead of training silently with the default.
import { z } from 'zod';
import { MM1_MIX } from '../data/mixture.js';
import { CLIP_POOLS } from '../model/build/clip.js';
import { parseWith } from '../schema/parse.js';
import { MAX_HARD_NEGATIVES } from './clip_hard_negatives.js';
import { TEXT_CAPTIONS } from './clip_data.js';
import { checkDataFiles } from './file_data_check.js';
import { checkModelOverrides, recipeImageSize } from './model_setup.js';

export const MixtureSchema = z.strictObject({
  interleaved: z.number().nonnegative().default(MM1_MIX.interleaved),
  caption: z.number().nonnegative().default(MM1_MIX.caption),
  text: z.number().nonnegative().default(MM1_MIX.text),
  /** Share of the caption weight given to synthetic dense captions (VeCap analogue). */
  syntheticCaptionShare: z.number().min(0).max(1).default(0),
});

/** Seed of the data stream (world generation, mixture order, shuffling). */
export const DataSeedSchema = z.number().int().default(0);
/** Side of rendered world pictures before resizing to the encoder resolution. */
export const RenderSizeSchema = z.number().int().positive().default(128);
/**
 * Pretraining's `data.renderSize`: a side in pixels, or "encoder" for the encoder's own side
 * (model.vision.imageSize), which parsePretrainConfig turns into that number. Drawing at the
 * encoder's side skips the 128 px render and the bicubic shrink (docs/performance.md, "Data").
 */
export const PretrainRenderSizeSchema = z.union([z.number().int().positive(), z.literal('encoder')]).default(128);
/** Synthetic-world version: 2 for new runs; configs written before v2 have no field and were v1. */
export const WorldVersionSchema = z.union([z.literal(1), z.literal(2)]).default(2);

/** One glob or path, or a list of them (docs/data.md: "Train on your own data"). */
const ShardPathsSchema = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);

/** The files of each mixture component; the format is named, never guessed from a file name. */
export const DataFilesSchema = z.strictObject({
  /** Image–caption pairs: WebDataset tar shards (image + .txt, or .json with "caption"). */
  caption: z.strictObject({ format: z.literal('webdataset'), path: ShardPathsSchema }).optional(),
  /** Interleaved image–text documents in OBELICS layout: parallel "texts" / "images" lists. */
  interleaved: z
    .strictObject({
      format: z.enum(['obelics-jsonl', 'obelics-parquet']),
      path: ShardPathsSchema,
      /** Folder that image paths inside the documents are relative to (default: the working directory). */
      imageRoot: z.string().optional(),
    })
    .optional(),
  /** Text-only documents: JSON Lines of {"text": ...}. */
  text: z.strictObject({ format: z.literal('text-jsonl'), path: ShardPathsSchema }).optional(),
});

/** Largest share of broken records a file source may skip before the run stops (data.maxSkipRate's default). */
export const DEFAULT_MAX_SKIP_RATE = 0.05;

export const DataConfigSchema = z.strictObject({
  /** 'world' = the embedded synthetic world; 'files' = the shards named in `files`. */
  source: z.enum(['world', 'files']).default('world'),
  files: DataFilesSchema.optional(),
  /** Share of broken records (corrupt image, bad JSON line, missing image file) a file source may skip; default DEFAULT_MAX_SKIP_RATE. */
  maxSkipRate: z.number().min(0).max(1).optional(),
  mixture: MixtureSchema.default(MixtureSchema.parse({})),
  seed: DataSeedSchema,
  renderSize: RenderSizeSchema,
  /** World version (docs/world.md): 2 for new runs; run.json files written before v2 have no field and were v1. */
  version: WorldVersionSchema,
});

export const TrainConfigSchema = z.strictObject({
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
  lrScale: z.strictObject({ vision: z.number().positive(), connector: z.number().positive(), llm: z.number().positive() }).partial().default({}),
  checkpointEvery: z.number().int().positive().default(200),
  seed: z.number().int().default(0),
});

/** Stage 1: contrastive (CLIP-style) pretraining of the image encoder on world image–caption
 *  pairs, as MM1 starts from a CLIP-pretrained ViT (0 steps = start from random weights). */
export const EncoderPretrainSchema = z.strictObject({
  clipSteps: z.number().int().nonnegative().default(0),
  clipBatchSize: z.number().int().min(2).default(64),
  clipLr: z.number().positive().default(1e-3),
  /** Share of CLIP pairs that are text-bearing scenes with a caption naming the word (train/clip_data.ts). */
  clipTextShare: z.number().min(0).max(1).default(0),
  /** How CLIP's image side pools the patches: mean, attn (a learned query) or cls (needs model.vision.classToken); model/build/clip.ts. */
  clipPool: z.enum(CLIP_POOLS).default('mean'),
  /** Text pairs of the CLIP stage in groups of this many pictures of one scene that differ only in the printed word, so some negatives differ in nothing else (train/clip_hard_negatives.ts). Optional without a default so configs saved before it existed read back unchanged. */
  clipHardNegatives: z.number().int().min(2).max(MAX_HARD_NEGATIVES).optional(),
  /** Captions of the CLIP stage's text pairs: the world's templates (absent) or `word`, "a picture with the word X." alone (train/clip_data.ts). Optional without a default, as clipHardNegatives. */
  clipTextCaptions: z.enum(TEXT_CAPTIONS).optional(),
  /** A first part of the CLIP stage, this many steps on text pairs alone (text share 1), before the clipSteps on the configured pairs, which start from its towers (train/clip_stage.ts clipStageParts; docs/reading.md, session 8). Optional without a default, as clipHardNegatives. */
  clipWordSteps: z.number().int().positive().optional(),
});

/** A run config's data section as written: renderSize may also be "encoder" (resolved by parsePretrainConfig). */
const PretrainDataSchema = DataConfigSchema.extend({ renderSize: PretrainRenderSizeSchema });

export const PretrainConfigSchema = z.strictObject({
  /** A named recipe from model/build/recipes.ts. */
  recipe: z.string(),
  /** Deep overrides of the recipe's model config, e.g. {"vision": {"imageSize": 64}};
   *  checked against the model config schema by parsePretrainConfig. */
  model: z.record(z.string(), z.unknown()).default({}),
  data: PretrainDataSchema.default(PretrainDataSchema.parse({})),
  encoder: EncoderPretrainSchema.default(EncoderPretrainSchema.parse({})),
  train: TrainConfigSchema,
});

export type Mixture = z.infer<typeof MixtureSchema>;
/** A data config as runs use it: renderSize in pixels ("encoder" is resolved by parsePretrainConfig). */
export type DataConfig = z.infer<typeof DataConfigSchema>;
export type DataFiles = z.infer<typeof DataFilesSchema>;
export type TrainConfig = z.infer<typeof TrainConfigSchema>;
export type PretrainConfig = Omit<z.infer<typeof PretrainConfigSchema>, 'data'> & { data: DataConfig };

export function parsePretrainConfig(raw: unknown, source = 'pretrain config'): PretrainConfig {
  const hint = "See 'mm1 pretrain --help' for the fields.";
  const parsed = parseWith(PretrainConfigSchema, raw, source, hint);
  checkModelOverrides(parsed, source, hint);
  const { renderSize } = parsed.data;
  const config = { ...parsed, data: { ...parsed.data, renderSize: renderSize === 'encoder' ? encoderSide(parsed, source) : renderSize } };
  checkDataFiles(config, source);
  return config;
}

/** The side data.renderSize "encoder" stands for: the recipe's model.vision.imageSize under the run's overrides. */
function encoderSide(config: Pick<PretrainConfig, 'recipe' | 'model'>, source: string): number {
  if ((config.model.vision as { hf?: unknown } | undefined)?.hf !== undefined) {
    throw new Error(
      `${source}: data.renderSize "encoder" needs the encoder's side from the recipe, but model.vision.hf names a Hugging Face tower (its side is read at run time). ` +
        "Give data.renderSize in pixels, e.g. the tower's image_size.",
    );
  }
  return recipeImageSize(config);
}
