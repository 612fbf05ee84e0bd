// A Hugging Face CLIP or SigLIP vision tower directory <-> mm1: config.json (CLIPVisionModel /
// SiglipVisionModel, or a whole CLIPModel / SiglipModel whose vision half is used), safetensors
// weights (single or sharded, F32/F16/BF16), and preprocessor_config.json, which decides how
// pictures become pixels exactly as the tower was trained: CLIPImageProcessor's short-side
// bicubic resize and centre crop, or SiglipImageProcessor's bicubic resize to a square without
// a crop; then each one's mean/std.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { ParamValues } from '../../engine/param_store.js';
import { formatIssues } from '../../schema/format_issues.js';
import type { ImagePreprocess, VisionConfig } from '../build/config.js';
import { exportClipVision, hfVisionFamily, importClipVision, visionConfigFromHf, visionConfigToHf, type HfVisionFamily } from './hf_clip.js';
import { readHfWeights, readJsonIn, writeHfWeights } from './hf_weights.js';

/** A size in preprocessor_config.json: a number, {shortest_edge}, or {height, width}. */
const Size = z.union([
  z.number().int().positive(),
  z.object({ shortest_edge: z.number().int().positive() }),
  z.object({ height: z.number().int().positive(), width: z.number().int().positive() }),
]);
const Rgb = z.tuple([z.number(), z.number(), z.number()]);

const PreprocessorSchema = z.looseObject({
  do_resize: z.boolean().default(true),
  size: Size,
  resample: z.number().int().default(3),
  do_center_crop: z.boolean().default(false),
  crop_size: Size.optional(),
  do_rescale: z.boolean().default(true),
  rescale_factor: z.number().default(1 / 255),
  do_normalize: z.boolean().default(true),
  image_mean: Rgb,
  image_std: Rgb,
});

const RESAMPLE_NAMES: Record<number, string> = { 0: 'nearest', 1: 'lanczos', 2: 'bilinear', 3: 'bicubic', 4: 'box', 5: 'hamming' };

/** preprocessor_config.json -> mm1's image preprocessing for a tower of `imageSize` px (what is not supported is refused by name). */
export function imagePreprocessFromHf(json: unknown, imageSize: number, source = 'preprocessor_config.json'): ImagePreprocess {
  const r = PreprocessorSchema.safeParse(json);
  if (!r.success) throw new Error(`${source} is not an image processor config (CLIPImageProcessor / SiglipImageProcessor):\n${formatIssues(r.error.issues)}`);
  const p = r.data;
  const refuse = (what: string) =>
    new Error(
      `${source}: ${what} is not supported; mm1 preprocesses as CLIPImageProcessor and SiglipImageProcessor do (bicubic resize, optional centre crop, rescale 1/255, normalise)`,
    );
  if (!p.do_resize) throw refuse('do_resize false');
  if (p.resample !== 3) throw refuse(`resample ${p.resample} (${RESAMPLE_NAMES[p.resample] ?? 'unknown'}; only 3, bicubic)`);
  if (!p.do_rescale || Math.abs(p.rescale_factor * 255 - 1) > 1e-6)
    throw refuse(`rescaling other than 1/255 (do_rescale ${p.do_rescale}, rescale_factor ${p.rescale_factor})`);
  if (!p.do_normalize) throw refuse('do_normalize false');
  const side = (s: z.infer<typeof Size>, what: string): number => {
    if (typeof s === 'number') return s;
    if ('shortest_edge' in s) return s.shortest_edge;
    if (s.height !== s.width) throw refuse(`a non-square ${what} ${s.height}×${s.width}`);
    return s.height;
  };
  const squareTarget = typeof p.size === 'object' && 'height' in p.size;
  if (p.do_center_crop) {
    if (!p.crop_size) throw new Error(`${source}: do_center_crop is true but crop_size is missing`);
    const crop = side(p.crop_size, 'crop_size');
    if (crop !== imageSize)
      throw new Error(`${source}: crop_size ${crop} differs from the tower's image_size ${imageSize} in config.json; the two files belong to different models`);
    if (squareTarget) throw refuse('a {height, width} resize followed by a centre crop');
    return { square: 'crop', resize: side(p.size, 'size'), mean: p.image_mean, std: p.image_std };
  }
  const size = side(p.size, 'size');
  if (size !== imageSize)
    throw new Error(`${source}: size ${size} differs from the tower's image_size ${imageSize} in config.json; the two files belong to different models`);
  // {shortest_edge} without a crop keeps the aspect ratio, which a fixed-size tower cannot take.
  if (!squareTarget && typeof p.size !== 'number') throw refuse('a shortest_edge resize without a centre crop (non-square output)');
  return { square: 'squash', mean: p.image_mean, std: p.image_std };
}

/** mm1's preprocessing -> preprocessor_config.json of a CLIPImageProcessor (or, for a SigLIP tower, a SiglipImageProcessor). */
export function imagePreprocessToHf(im: ImagePreprocess | undefined, imageSize: number, family: HfVisionFamily = 'clip'): Record<string, unknown> {
  const mean = im?.mean ?? [0.48145466, 0.4578275, 0.40821073];
  const std = im?.std ?? [0.26862954, 0.26130258, 0.27577711];
  const square = im?.square ?? 'crop';
  if (square === 'pad') throw new Error("export: pad-to-square preprocessing has no CLIPImageProcessor equivalent; export supports 'crop' and 'squash'");
  if (family === 'siglip' && square !== 'squash')
    throw new Error(`export: SiglipImageProcessor resizes to a square without cropping, but this model's preprocessing is '${square}'`);
  const common = {
    image_processor_type: family === 'siglip' ? 'SiglipImageProcessor' : 'CLIPImageProcessor',
    do_resize: true,
    resample: 3,
    do_rescale: true,
    rescale_factor: 1 / 255,
    do_normalize: true,
    image_mean: mean,
    image_std: std,
    do_convert_rgb: true,
  };
  return square === 'crop'
    ? { ...common, size: { shortest_edge: im?.resize ?? imageSize }, do_center_crop: true, crop_size: { height: imageSize, width: imageSize } }
    : { ...common, size: { height: imageSize, width: imageSize }, do_center_crop: false };
}

export interface HfVisionTower {
  config: VisionConfig;
  image: ImagePreprocess;
  /** mm1 names under 'vision.'. */
  weights: ParamValues;
}

/** Reads a CLIP or SigLIP vision tower directory; `featureLayer`/`postNorm` choose which features the connector sees (hf_clip.ts). */
export function readHfVisionDir(dir: string, opts: { featureLayer?: number; postNorm?: boolean } = {}): HfVisionTower {
  const json = readJsonIn(dir, 'config.json', 'a Hugging Face CLIP or SigLIP model directory (config.json + model.safetensors + preprocessor_config.json)');
  const config = visionConfigFromHf(json, opts, join(dir, 'config.json'));
  const image = imagePreprocessFromHf(
    readJsonIn(dir, 'preprocessor_config.json', "the tower's image processor settings (CLIPImageProcessor / SiglipImageProcessor)"),
    config.imageSize,
    join(dir, 'preprocessor_config.json'),
  );
  const weights = importClipVision(readHfWeights(dir), config);
  return { config, image, weights };
}

/** Writes the 'vision.' parameters back as a CLIPVisionModel / SiglipVisionModel directory that transformers loads. */
export function writeHfVisionDir(dir: string, config: VisionConfig, image: ImagePreprocess | undefined, params: ParamValues): void {
  mkdirSync(dir, { recursive: true });
  writeHfWeights(dir, exportClipVision(params, config));
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...visionConfigToHf(config), torch_dtype: 'float32' }, null, 2) + '\n');
  writeFileSync(
    join(dir, 'preprocessor_config.json'),
    JSON.stringify(imagePreprocessToHf(image, config.imageSize, hfVisionFamily(config, 'export')), null, 2) + '\n',
  );
}
