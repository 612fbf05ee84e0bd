// Pictures in the page: a File or Blob decoded by the browser to RGBA, then to the RgbImage
// every mm1 preprocessing step takes (data/subimage.ts does the rest, as in Node).
import type { RgbImage } from '../../data/document.js';

/** Drop alpha, as data/image.ts's decodeImage does (PIL's convert('RGB')): no blending with a background. */
export function rgbFromRgba(rgba: ArrayLike<number>, width: number, height: number): RgbImage {
  if (rgba.length !== width * height * 4) throw new Error(`rgbFromRgba: ${rgba.length} values for ${width}×${height} RGBA, expected ${width * height * 4}`);
  const data = new Uint8Array(width * height * 3);
  for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) [data[j], data[j + 1], data[j + 2]] = [rgba[i], rgba[i + 1], rgba[i + 2]];
  return { width, height, data };
}

/** Decode an image file in the browser, without colour management or premultiplied alpha (so PNG pixels stay exact). */
export async function decodeInBrowser(file: Blob): Promise<RgbImage> {
  const bitmap = await createImageBitmap(file, { premultiplyAlpha: 'none', colorSpaceConversion: 'none' });
  const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
  const ctx = canvas.getContext('2d', { colorSpace: 'srgb' })!;
  ctx.drawImage(bitmap, 0, 0);
  return rgbFromRgba(ctx.getImageData(0, 0, bitmap.width, bitmap.height).data, bitmap.width, bitmap.height);
}

/** An RgbImage as a PNG blob URL (to show training pictures in the page). */
export function imageUrl(image: RgbImage): string {
  const canvas = document.createElement('canvas');
  [canvas.width, canvas.height] = [image.width, image.height];
  const ctx = canvas.getContext('2d')!;
  const out = ctx.createImageData(image.width, image.height);
  for (let i = 0, j = 0; j < image.data.length; i += 4, j += 3)
    [out.data[i], out.data[i + 1], out.data[i + 2], out.data[i + 3]] = [image.data[j], image.data[j + 1], image.data[j + 2], 255];
  ctx.putImageData(out, 0, 0);
  return canvas.toDataURL('image/png');
}
