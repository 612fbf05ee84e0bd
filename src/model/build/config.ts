// The typed model configuration, validated at the edge with zod. Recipes (recipes.ts)
// are values of this type; config files are parsed with `parseModelConfig`. Every object is
// strict: a misspelt key is refused with the nearest valid one, never silently dropped.
import { z } from 'zod';
import { parseWith } from '../../schema/parse.js';

const VisionConfigFields = z.strictObject({
  imageSize: z.number().int().positive().describe('input resolution (square), e.g. 64'),
  patchSize: z.number().int().positive(),
  width: z.number().int().positive(),
  depth: z.number().int().positive(),
  heads: z.number().int().positive(),
  mlpHidden: z.number().int().positive(),
  activation: z.enum(['gelu', 'gelu_tanh', 'quick_gelu']).default('gelu_tanh'),
  /** Bias on the patch-embedding convolution (CLIP has none; timm ViTs do). */
  patchBias: z.boolean().default(false),
  classToken: z.boolean().default(false),
  /** How pixels become patch tokens: 'patch' (absent) = one p×p stride-p convolution, as CLIP; 'conv' = a convolutional stem (model/build/conv_stem.ts), which learns small patterns such as printed glyphs far sooner (docs/reading.md). Optional without a default so configs saved before it existed read back unchanged. */
  stem: z.enum(['patch', 'conv']).optional(),
  /** LayerScale (Touvron et al. 2021, CaiT): a learned per-channel scale on each block's attention and MLP branch, starting at this value (e.g. 1e-4 or 0.1), so new blocks begin near the identity and do not swamp the embeddings' local features (docs/reading.md). Absent = no scale, CLIP's blocks; optional without a default so saved configs read back unchanged. */
  layerScale: z.number().positive().optional(),
  /** 'concat': the encoder's patch tokens are the blocks' output beside the conv stem's own tokens (LayerNormed), [N, P, 2C], so what the stem learns (printed glyphs) reaches the CLIP head and the connector without passing through the blocks (docs/reading.md, session 13). Needs stem 'conv' and no class token. Absent = the blocks' output alone; optional without a default so saved configs read back unchanged. */
  stemSkip: z.enum(['concat']).optional(),
  /** CLIP's pre-LayerNorm after the embeddings. */
  preNorm: z.boolean().default(false),
  /** Final LayerNorm on the features handed to the connector. */
  postNorm: z.boolean().default(true),
  /** Which block's output feeds the connector, indexed like HF hidden_states: 0 = embeddings, i = after block i, -1 = last block, -2 = penultimate (LLaVA). */
  featureLayer: z.number().int().default(-1),
  layerNormEps: z.number().positive().default(1e-5),
});

/** The vision settings, with the rules that tie one key to another (stemSkipProblems). */
export const VisionConfigSchema = VisionConfigFields.superRefine((v, ctx) => {
  for (const message of stemSkipProblems(v)) ctx.addIssue({ code: 'custom', path: ['stemSkip'], message });
});

/**
 * Why vision.stemSkip cannot be used with these settings (empty: it can). The skip needs the
 * stem's own tokens, and the class token has no stem token to pair with. Config validation
 * and the encoder's builder both ask, so a config built in code is held to the same rule.
 */
export function stemSkipProblems(v: { stemSkip?: 'concat'; stem?: 'patch' | 'conv'; classToken?: boolean }): string[] {
  if (v.stemSkip === undefined) return [];
  const out: string[] = [];
  if (v.stem !== 'conv')
    out.push(
      `stemSkip '${v.stemSkip}' needs the convolutional stem, but stem is ${v.stem === undefined ? 'absent (the patch embedding)' : `'${v.stem}'`}; set model.vision.stem to 'conv', or remove model.vision.stemSkip`,
    );
  if (v.classToken)
    out.push(
      `stemSkip '${v.stemSkip}' cannot be used with classToken true: the class token has no stem token to pair with; set model.vision.classToken to false (pool with encoder.clipPool 'max', 'mean' or 'attn'), or remove model.vision.stemSkip`,
    );
  return out;
}

export const ConnectorConfigSchema = z.strictObject({
  kind: z.enum(['avgpool', 'attnpool', 'cabstractor', 'mlp', 'pixelshuffle']),
  /** Image tokens per image (k); must be a square for avgpool/cabstractor/pixelshuffle. */
  tokens: z.number().int().positive(),
  /** Hidden width of the C-Abstractor / attention pooling (default: vision width). */
  hidden: z.number().int().positive().optional(),
  /** Attention heads of attention pooling (default: hidden/64 when that divides, else 1). */
  heads: z.number().int().positive().optional(),
  /** ResNet (RegNet bottleneck) blocks per C-Abstractor stage (Honeybee: 3). */
  depth: z.number().int().nonnegative().default(1),
});

export const LlmConfigSchema = z.strictObject({
  vocabSize: z.number().int().positive(),
  width: z.number().int().positive(),
  depth: z.number().int().positive(),
  heads: z.number().int().positive(),
  kvHeads: z.number().int().positive().optional(),
  mlpHidden: z.number().int().positive(),
  maxPositions: z.number().int().positive().default(2048),
  ropeTheta: z.number().positive().default(10000),
  rmsNormEps: z.number().positive().default(1e-6),
  tieEmbeddings: z.boolean().default(false),
  /** Biases on the q/k/v projections only (Qwen2); Llama has none. */
  qkvBias: z.boolean().default(false),
});

const Rgb = z.tuple([z.number(), z.number(), z.number()]);

/** How a picture becomes encoder input, as the vision tower's preprocessor_config.json says
 *  (HF towers); absent = mm1's default, CLIP's: short side to imageSize, centre crop, CLIP mean/std. */
export const ImagePreprocessSchema = z.strictObject({
  /** 'crop': short side to `resize`, centre crop (CLIP); 'pad': pad to square (LLaVA); 'squash': resize to a square ignoring the aspect ratio (SigLIP). */
  square: z.enum(['crop', 'pad', 'squash']).default('crop'),
  /** Short side before the centre crop, in pixels (default imageSize). */
  resize: z.number().int().positive().optional(),
  mean: Rgb.optional(),
  std: Rgb.optional(),
});

export const ModelConfigSchema = z.strictObject({
  name: z.string(),
  vision: VisionConfigSchema,
  connector: ConnectorConfigSchema,
  llm: LlmConfigSchema,
  /** Sub-image decomposition: g×g crops plus an overview (0 = off). */
  subImageGrid: z.number().int().nonnegative().default(0),
  image: ImagePreprocessSchema.optional(),
});

export type VisionConfig = z.infer<typeof VisionConfigSchema>;
export type ConnectorConfig = z.infer<typeof ConnectorConfigSchema>;
export type LlmConfig = z.infer<typeof LlmConfigSchema>;
export type ModelConfig = z.infer<typeof ModelConfigSchema>;
export type ImagePreprocess = z.infer<typeof ImagePreprocessSchema>;

export function parseModelConfig(raw: unknown, source = 'model config'): ModelConfig {
  return parseWith(ModelConfigSchema, raw, source);
}

/**
 * A run config may build its tower and LLM from Hugging Face directories: `model.vision.hf` and
 * `model.llm.hf` name them (mm1 import / pretrain --vision / --llm). Those components' shapes
 * then come from the directories' config.json, so besides `hf` only these keys may be set.
 * A built model's config never holds `hf`: model directories are self-contained.
 */
export const HF_TUNABLE_KEYS = { vision: ['featureLayer', 'postNorm'], llm: ['maxPositions'] } as const;

export interface HfBackboneDirs {
  vision?: string;
  llm?: string;
}

/** The `hf` directories of model overrides, and the overrides without them; other keys of an HF component are refused by name. */
export function splitHfBackbones(overrides: Record<string, unknown>, source: string): { dirs: HfBackboneDirs; rest: Record<string, unknown> } {
  const dirs: HfBackboneDirs = {};
  const rest: Record<string, unknown> = { ...overrides };
  for (const part of ['vision', 'llm'] as const) {
    const o = overrides[part];
    if (!o || typeof o !== 'object' || !('hf' in o)) continue;
    const { hf, ...others } = o as Record<string, unknown>;
    if (typeof hf !== 'string' || hf === '')
      throw new Error(
        `${source}: model.${part}.hf must be a directory path (a Hugging Face ${part === 'vision' ? 'CLIP or SigLIP' : 'Llama/Qwen2'} model), got ${JSON.stringify(hf)}`,
      );
    const allowed: readonly string[] = HF_TUNABLE_KEYS[part];
    const bad = Object.keys(others).filter((k) => !allowed.includes(k));
    if (bad.length)
      throw new Error(
        `${source}: model.${part}.${bad[0]} cannot be set with model.${part}.hf: the ${part === 'vision' ? 'tower' : 'LLM'}'s shape comes from ${hf}/config.json. Remove it${allowed.length ? ` (settable with hf: ${allowed.join(', ')})` : ''}.`,
      );
    dirs[part] = hf;
    rest[part] = others;
  }
  return { dirs, rest };
}
