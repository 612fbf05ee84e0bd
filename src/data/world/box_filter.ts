// Resolution changes for showing and testing what survives at low resolution: an exact
// area-average (box) downscale and a nearest-neighbour upscale back to the original grid.
import type { RgbImage } from '../document.js';

/** Averages each factor×factor block into one pixel: [H, W, 3] -> [H/f, W/f, 3]. */
export function downscaleBox(image: RgbImage, factor: number): RgbImage {
  const { width, height, data } = image;
  if (!Number.isInteger(factor) || factor < 1 || width % factor !== 0 || height % factor !== 0) {
    throw new Error(`downscaleBox: factor must be a whole number dividing ${width}x${height}, got ${factor}`);
  }
  const w = width / factor;
  const h = height / factor;
  const out = new Uint8Array(w * h * 3);
  const n = factor * factor;
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (let dy = 0; dy < factor; dy++) {
          const row = (y * factor + dy) * width;
          for (let dx = 0; dx < factor; dx++) sum += data[3 * (row + x * factor + dx) + c];
        }
        out[3 * (y * w + x) + c] = Math.round(sum / n);
      }
    }
  }
  return { width: w, height: h, data: out };
}

/** Repeats each pixel factor×factor times: [H, W, 3] -> [H*f, W*f, 3]. */
export function upscaleNearest(image: RgbImage, factor: number): RgbImage {
  const { width, height, data } = image;
  const w = width * factor;
  const out = new Uint8Array(w * height * factor * 3);
  for (let y = 0; y < height * factor; y++) {
    for (let x = 0; x < w; x++) {
      const src = 3 * (Math.floor(y / factor) * width + Math.floor(x / factor));
      const dst = 3 * (y * w + x);
      out[dst] = data[src];
      out[dst + 1] = data[src + 1];
      out[dst + 2] = data[src + 2];
    }
  }
  return { width: w, height: height * factor, data: out };
}
