// `mm1 sft`: supervised fine-tuning of a pretrained mm1 model on conversations, with loss
// on the assistant's answers only (data/chat.ts template). High-resolution fine-tuning, as
// MM1 does it: a new encoder resolution through positional-embedding interpolation, and/or
// sub-image decomposition (g×g crops plus an overview, each through the encoder).
import { existsSync } from 'node:fs';
import { z } from 'zod';
import type { DataSource } from '../data/batches.js';
import { skippingSource } from '../data/batches.js';
import { readLlava } from '../data/formats/llava.js';
import { worldConversations } from '../data/world/index.js';
import { parseModelConfig, type ModelConfig } from '../model/build/config.js';
import { readModelDir } from '../model/io/model_dir.js';
import { adaptToResolution } from '../model/build/pos_interp.js';
import { parseWith } from '../schema/parse.js';
import { DataSeedSchema, RenderSizeSchema, TrainConfigSchema, WorldVersionSchema } from './config.js';
import { ClaimedRunDir } from './run_dir.js';
import { runTraining, type TrainingResult } from './run_training.js';

const SftDataSchema = z.strictObject({
  source: z.enum(['world', 'llava']).default('world'),
  /** LLaVA-format JSON file (source 'llava'). */
  path: z.string().optional(),
  imageRoot: z.string().optional(),
  seed: DataSeedSchema,
  /** Side of rendered world pictures (world source). */
  renderSize: RenderSizeSchema,
  /** World version (docs/world.md): 2 for new runs; configs written before v2 have no field and were v1. */
  version: WorldVersionSchema,
});

/** Strict at every depth: a misspelt key is refused with the nearest valid one. */
export const SftConfigSchema = z.strictObject({
  /** The pretrained model directory (e.g. runs/quickstart/model). */
  init: z.string(),
  /** Encoder resolution for fine-tuning; position embeddings are interpolated (default: unchanged). */
  imageSize: z.number().int().positive().optional(),
  /** Sub-image grid g: each image becomes g×g crops plus an overview (0 = off). */
  subImageGrid: z.number().int().nonnegative().default(0),
  data: SftDataSchema.default(SftDataSchema.parse({})),
  train: TrainConfigSchema,
});
export type SftConfig = z.infer<typeof SftConfigSchema>;

export function parseSftConfig(raw: unknown, source = 'sft config'): SftConfig {
  const cfg = parseWith(SftConfigSchema, raw, source, "See 'mm1 sft --help' for the fields.");
  if (cfg.data.source === 'llava' && !cfg.data.path)
    throw new Error(`${source}: data.source 'llava' needs data.path (a LLaVA-format JSON file) and data.imageRoot`);
  return cfg;
}

function sftSources(cfg: SftConfig): DataSource[] {
  const d = cfg.data;
  if (d.source === 'world')
    return [{ name: 'world-sft', weight: 1, open: (start) => worldConversations(d.seed, { start, imageSize: d.renderSize, version: d.version }) }];
  if (!existsSync(d.path!)) throw new Error(`--data ${d.path}: file not found (expected a LLaVA-format JSON list of {"id", "image", "conversations"})`);
  return [skippingSource('llava', 1, () => readLlava(d.path!, { imageRoot: d.imageRoot ?? '.' }))];
}

export interface SftOptions {
  config: SftConfig;
  out: string;
  resume?: boolean;
  quiet?: boolean;
  stopAfter?: number;
}

export async function sft(o: SftOptions): Promise<TrainingResult & { model: ModelConfig }> {
  const base = await readModelDir(o.config.init);
  const imageSize = o.config.imageSize ?? base.config.vision.imageSize;
  // An HF tower's resize-then-crop keeps its ratio at the new resolution (e.g. 256 → 224 becomes 384 → 336).
  const im = base.config.image;
  const image = im?.resize !== undefined ? { ...im, resize: Math.round((im.resize * imageSize) / base.config.vision.imageSize) } : im;
  const model = parseModelConfig(
    { ...base.config, vision: { ...base.config.vision, imageSize }, subImageGrid: o.config.subImageGrid, ...(image ? { image } : {}) },
    'fine-tuned model config',
  );
  const init = adaptToResolution(base.weights, base.config.vision, imageSize);
  const sources = sftSources(o.config);
  const r = await runTraining({
    run: ClaimedRunDir.claim(o.out, o.config, o.resume ?? false),
    model,
    tokenizer: base.tokenizer,
    train: o.config.train,
    sources,
    dataSeed: o.config.data.seed,
    init,
    quiet: o.quiet,
    stopAfter: o.stopAfter,
    label: 'sft',
  });
  return { ...r, model };
}
