// Image decoding (sharp/libvips) and the CLIP-style preprocessing steps on RgbImage:
// square it (centre crop or pad) and resize (Pillow-style bicubic, see resize.ts); the
// normalisation to CHW float32 is normalize.ts.

import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import type { RgbImage } from './document.js';
import { CLIP_MEAN } from './normalize.js';
import { resizeBicubic } from './resize.js';

/** Padding colour = CLIP mean in 8 bits, so padded pixels normalise to ≈0 (as LLaVA's expand2square). */
export const CLIP_MEAN_RGB: [number, number, number] = [Math.round(CLIP_MEAN[0] * 255), Math.round(CLIP_MEAN[1] * 255), Math.round(CLIP_MEAN[2] * 255)];

export interface DecodeOptions {
  /**
   * Shrink while decoding (libvips, lanczos3) so the short side is at most this many pixels;
   * never enlarges. A loader that knows the model needs ~R pixels passes 2R: a 640×480 photo
   * for a 48 px encoder then decodes ~5× faster than a full decode plus the exact bicubic
   * resize, which still runs from 2R down (data/resize.ts). Undefined: full size.
   */
  maxShortSide?: number;
}

/**
 * Decode PNG/JPEG/WebP bytes to 8-bit RGB. Alpha is dropped (like PIL's convert('RGB')),
 * grey becomes RGB; EXIF orientation is not applied (HF image processors don't either).
 * `source` names the file or record in errors.
 */
export async function decodeImage(bytes: Uint8Array, source: string, options: DecodeOptions = {}): Promise<RgbImage> {
  try {
    let pipeline = sharp(bytes, { failOn: 'warning' }); // truncated JPEGs only warn in libjpeg
    const side = options.maxShortSide;
    if (side !== undefined) pipeline = pipeline.resize({ width: side, height: side, fit: 'outside', withoutEnlargement: true, kernel: 'lanczos3' });
    const { data, info } = await pipeline.removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`expected 3 channels after conversion, got ${info.channels}`);
    return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) };
  } catch (err) {
    if (/exceeds pixel limit/.test((err as Error).message)) throw await tooLarge(bytes, source);
    // sharp appends libvips' error buffer ("…: VipsJpeg: premature end …"), which concurrent
    // decodes share: its text may belong to another image or be empty. Keep sharp's own words.
    const first = (err as Error).message
      .trim()
      .split('\n')[0]
      .replace(/:\s*(Vips.*)?$/, '');
    throw new Error(`Cannot decode image ${source}: ${first}. ` + `The file is corrupt, truncated or not an image (PNG/JPEG/WebP); re-export or remove it.`);
  }
}

/** sharp's default pixel limit (a guard against decompression bombs): 0x3FFF². */
const PIXEL_LIMIT = 0x3fff * 0x3fff;

/** A valid image over the pixel limit is not "corrupt": say how large it is and what to do. */
async function tooLarge(bytes: Uint8Array, source: string): Promise<Error> {
  const { width = 0, height = 0 } = await sharp(bytes, { limitInputPixels: false })
    .metadata()
    .catch(() => ({ width: 0, height: 0 }));
  const size = width && height ? ` is ${width}×${height} = ${width * height} pixels,` : '';
  return new Error(`Image ${source}${size} over the ${PIXEL_LIMIT} pixels mm1 decodes. Downscale it first (the model sees it at a few hundred pixels anyway).`);
}

/** Read and decode an image file; errors name the path. */
export async function readImageFile(path: string, options: DecodeOptions = {}): Promise<RgbImage> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (err) {
    throw new Error(`Cannot read image file ${path}: ${(err as Error).message}. Check the image root / path.`);
  }
  return decodeImage(bytes, path, options);
}

/** Copy the width × height window whose top-left corner is (left, top). */
export function cropImage(image: RgbImage, left: number, top: number, width: number, height: number): RgbImage {
  if (left < 0 || top < 0 || left + width > image.width || top + height > image.height) {
    throw new Error(`cropImage: window ${width}×${height} at (${left},${top}) exceeds image ${image.width}×${image.height}`);
  }
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    const from = ((top + y) * image.width + left) * 3;
    data.set(image.data.subarray(from, from + width * 3), y * width * 3);
  }
  return { width, height, data };
}

/** Centre crop to width × height; offsets round down, as HF's center_crop. */
export function centerCrop(image: RgbImage, width: number, height: number): RgbImage {
  return cropImage(image, (image.width - width) >> 1, (image.height - height) >> 1, width, height);
}

/** Pad the short side to make a square, image centred, filled with `fill` (default: CLIP mean). */
export function padToSquare(image: RgbImage, fill: readonly number[] = CLIP_MEAN_RGB): RgbImage {
  const side = Math.max(image.width, image.height);
  const data = new Uint8Array(side * side * 3);
  for (let i = 0; i < side * side; i++) data.set(fill, i * 3);
  const left = (side - image.width) >> 1;
  const top = (side - image.height) >> 1;
  for (let y = 0; y < image.height; y++) {
    const from = y * image.width * 3;
    data.set(image.data.subarray(from, from + image.width * 3), ((top + y) * side + left) * 3);
  }
  return { width: side, height: side, data };
}

export type SquareMode = 'crop' | 'pad' | 'squash';

/**
 * Make a size × size image. 'crop' (CLIP): resize the short side to `size`, centre-crop the
 * long side (loses the borders). 'pad' (LLaVA): pad to square with the mean colour, then
 * resize (keeps everything, wastes pixels on padding).
 */
export function toSquare(image: RgbImage, size: number, mode: SquareMode, resize = size): RgbImage {
  if (mode === 'pad') return resizeBicubic(padToSquare(image), size, size);
  if (mode === 'squash') return resizeBicubic(image, size, size);
  const [w, h] = cropResizeSize(image, resize);
  const resized = resizeBicubic(image, w, h);
  return w === size && h === size ? resized : centerCrop(resized, size, size);
}

/**
 * The size 'crop' mode resizes to before its centre crop: the short side becomes `resize`, the
 * long side as HF's get_resize_output_image_size, int(resize * long / short) (CLIP processors
 * may resize past the crop, e.g. 256 → 224).
 */
export function cropResizeSize(image: { width: number; height: number }, resize: number): [number, number] {
  const short = Math.min(image.width, image.height);
  const w = image.width === short ? resize : Math.floor((resize * image.width) / short);
  const h = image.height === short ? resize : Math.floor((resize * image.height) / short);
  return [w, h];
}
