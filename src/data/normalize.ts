// CLIP-style normalisation of 8-bit RGB to CHW float32 [3, H, W]: (pixel/255 - mean) / std per
// channel. Its own module so both image.ts (normalizeClip) and resize.ts (resizeNormalizeInto,
// when no vertical pass is needed) run the one loop: image.ts imports resize.ts, so the loop
// could not live in image.ts without an import cycle.
import type { RgbImage } from './document.js';

/** OpenAI CLIP normalisation constants (also used by DFN-CLIP / open_clip ViT-H-14-378). */
export const CLIP_MEAN = [0.48145466, 0.4578275, 0.40821073] as const;
export const CLIP_STD = [0.26862954, 0.26130258, 0.27577711] as const;

/**
 * Normalises `plane` HWC pixels of `data` into `out` at `offset`, one channel plane after
 * another. Each value is `byte * (1 / (255 * std)) - mean / std`, rounded once to float32:
 * the batch pins (test/data/batch_pins.test.ts) hold these exact expressions.
 */
export function normalizeBytesInto(data: Uint8Array, plane: number, out: Float32Array, offset: number, mean: readonly number[], std: readonly number[]): void {
  const { scale, shift } = normalizeConstants(mean, std);
  const [k0, k1, k2, b0, b1, b2] = [scale[0], scale[1], scale[2], shift[0], shift[1], shift[2]];
  // one pass over the pixels writing the three planes: half the time of a pass per channel
  for (let i = 0, j = 0, o = offset; i < plane; i++, j += 3, o++) {
    out[o] = data[j] * k0 - b0;
    out[o + plane] = data[j + 1] * k1 - b1;
    out[o + 2 * plane] = data[j + 2] * k2 - b2;
  }
}

/** Per channel: value = byte * scale - shift. Callers that fuse normalisation into another pass use these, so the doubles match. */
export function normalizeConstants(mean: readonly number[], std: readonly number[]): { scale: number[]; shift: number[] } {
  return { scale: [0, 1, 2].map((c) => 1 / (255 * std[c])), shift: [0, 1, 2].map((c) => mean[c] / std[c]) };
}

/**
 * CLIP-normalise to CHW float32 [3, H, W]: (pixel/255 - mean) / std per channel.
 * Writes into `out` at `offset` when given (to fill a batch tensor without copies).
 */
export function normalizeClip(
  image: RgbImage,
  out?: Float32Array,
  offset = 0,
  mean: readonly number[] = CLIP_MEAN,
  std: readonly number[] = CLIP_STD,
): Float32Array {
  const plane = image.width * image.height;
  const target = out ?? new Float32Array(3 * plane);
  if (target.length < offset + 3 * plane) {
    throw new Error(`normalizeClip: output has ${target.length} floats, needs ${offset + 3 * plane}`);
  }
  normalizeBytesInto(image.data, plane, target, offset, mean, std);
  return target;
}
