// Turning one RgbImage into the encoder's input crops, with optional sub-image
// decomposition (MM1 SFT, SPHINX-style): the image is squared at g·R pixels and cut into a
// g×g grid of R×R crops (row-major, top-left first), plus an overview of the whole image at
// R×R. MM1 is reported to put the overview first; MM1.5 found "last" slightly better, so it
// is configurable. The crop count comes from image_tokens.ts, like the token count.

import type { RgbImage } from './document.js';
import { cropImage, cropResizeSize, toSquare, type SquareMode } from './image.js';
import { CLIP_MEAN, CLIP_STD, normalizeClip } from './normalize.js';
import { resizeNormalizeInto } from './resize.js';
import { cropCount } from './image_tokens.js';

export interface ImagePreprocessConfig {
  /** Encoder input side R in pixels (e.g. 224, 336, 378; 64 for tiny models). */
  resolution: number;
  /** Sub-image grid g (0/undefined = off: a single R×R crop of the whole image). */
  grid?: number;
  /** Where the overview goes among the 1 + g² crops; default 'first'. */
  overview?: 'first' | 'last';
  /** How a non-square image is made square; default 'crop' (CLIP). */
  square?: SquareMode;
  /** Short side before the centre crop (default: resolution); the vision tower's preprocessor_config.json may set it. */
  resize?: number;
  /** Per-channel normalisation (default CLIP's). */
  mean?: readonly number[];
  std?: readonly number[];
}

/** The preprocessing a model was built with: its resolution and sub-image grid, and its tower's own
 *  resize/crop/normalisation when it came from a Hugging Face directory (ModelConfig.image). */
export function modelPreprocess(model: {
  vision: { imageSize: number };
  subImageGrid: number;
  image?: { square: SquareMode; resize?: number; mean?: readonly number[]; std?: readonly number[] };
}): ImagePreprocessConfig {
  const im = model.image;
  return { resolution: model.vision.imageSize, grid: model.subImageGrid, ...(im ? { square: im.square, resize: im.resize, mean: im.mean, std: im.std } : {}) };
}

/** The crops of one image, in model order; length = cropCount(grid). */
export function imageCrops(image: RgbImage, config: ImagePreprocessConfig): RgbImage[] {
  const R = config.resolution;
  const g = config.grid ?? 0;
  const mode = config.square ?? 'crop';
  const resize = config.resize ?? R;
  const overview = toSquare(image, R, mode, resize);
  if (cropCount(g) === 1) return [overview];
  const big = toSquare(image, g * R, mode, g * resize);
  const tiles: RgbImage[] = [];
  for (let row = 0; row < g; row++) {
    for (let col = 0; col < g; col++) tiles.push(cropImage(big, col * R, row * R, R, R));
  }
  // overviewIndex (below) says where this puts the overview; keep the two in step.
  return config.overview === 'last' ? [...tiles, overview] : [overview, ...tiles];
}

/** Index of the overview among an image's crops (imageCrops' order): 0, or g² with overview 'last'. */
export function overviewIndex(config: ImagePreprocessConfig): number {
  const crops = cropCount(config.grid);
  return crops > 1 && config.overview === 'last' ? crops - 1 : 0;
}

/**
 * The overview crop alone, [1, 3, R, R], as a view of preprocessImage's output `pixels`: the very
 * floats the full set holds, so a picture shown low-res (mixed_resolution.ts) matches its overview
 * in a full set exactly.
 */
export function overviewPixels(pixels: Float32Array, config: ImagePreprocessConfig): Float32Array {
  const per = 3 * config.resolution * config.resolution;
  if (pixels.length !== preprocessedSize(config))
    throw new Error(`overviewPixels: ${pixels.length} values, expected ${preprocessedSize(config)} (one preprocessed image); pass preprocessImage's output`);
  const i = overviewIndex(config);
  return pixels.subarray(i * per, (i + 1) * per);
}

/** Floats one preprocessed image occupies: crops × 3 × R × R. */
export function preprocessedSize(config: ImagePreprocessConfig): number {
  return cropCount(config.grid) * 3 * config.resolution * config.resolution;
}

/**
 * Crops, CLIP-normalised: float32 [1 + g², 3, R, R] (or [1, 3, R, R] without sub-images),
 * written into `out` at `offset` when given.
 */
export function preprocessImage(image: RgbImage, config: ImagePreprocessConfig, out?: Float32Array, offset = 0): Float32Array {
  const target = out ?? new Float32Array(preprocessedSize(config));
  const R = config.resolution;
  if (wholeAfterResize(image, config)) {
    // One crop that is the whole resized picture: resize and normalise in one pass, same floats.
    resizeNormalizeInto(image, R, R, target, offset, config.mean ?? CLIP_MEAN, config.std ?? CLIP_STD);
    return target;
  }
  const per = 3 * R * R;
  imageCrops(image, config).forEach((crop, i) => normalizeClip(crop, target, offset + i * per, config.mean, config.std));
  return target;
}

/** True when imageCrops would give one crop that is just the picture resized to R × R (no sub-images, no padding, nothing cut). */
function wholeAfterResize(image: RgbImage, config: ImagePreprocessConfig): boolean {
  if (cropCount(config.grid ?? 0) !== 1) return false;
  const mode = config.square ?? 'crop';
  if (mode === 'squash') return true;
  if (mode === 'pad') return false;
  const [w, h] = cropResizeSize(image, config.resize ?? config.resolution);
  return w === config.resolution && h === config.resolution;
}

/**
 * How packed batches get their pixels: the crop grid (which fixes the token count through
 * imageTokenCount), the per-crop tensor shape [C, H, W], and a writer of one image's
 * crops [crops, C, H, W] into the batch tensor.
 */
export interface ImageSlots {
  grid?: number;
  shape: [number, number, number];
  write(image: RgbImage, out: Float32Array, offset: number): void;
}

/** ImageSlots doing mm1's CLIP preprocessing (square, bicubic, sub-images, normalise). */
export function clipImageSlots(config: ImagePreprocessConfig): ImageSlots {
  return {
    grid: config.grid,
    shape: [3, config.resolution, config.resolution],
    write: (image, out, offset) => void preprocessImage(image, config, out, offset),
  };
}
