// A small pure-TypeScript rasteriser for scenes. Hand-written rather than drawn with canvas:
// canvas anti-aliasing and font hinting differ between platforms and library versions, and
// the determinism tests hash the pixels, so every pixel here comes from plain IEEE double
// arithmetic (+ - * / sqrt, all exactly rounded) with no font file and no trigonometry.
import type { RgbImage } from '../document.js';
import { shapeSdf } from './geometry.js';
import { GLYPH_HEIGHT, wordPixels } from './font.js';
import { BACKGROUND_RGB, COLOR_RGB, TEXT_RGB } from './lexicon.js';
import { RADIUS, type Background, type Scene, type SceneObject, type SceneText } from './scene.js';

/** Renders a scene as a size×size RGB image (default 128). */
export function renderScene(scene: Scene, size = 128): RgbImage {
  if (!Number.isInteger(size) || size < 8) {
    throw new Error(`renderScene: size must be an integer >= 8 pixels, got ${size}`);
  }
  const data = new Uint8Array(size * size * 3);
  paintBackground(data, size, scene.background);
  for (const obj of scene.objects) paintShape(data, size, obj);
  if (scene.text) paintText(data, size, scene.text);
  return { width: size, height: size, data };
}

function clampByte(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
}

/** Integer hash of a pixel, for noise that is the same everywhere. */
function pixelNoise(seed: number, x: number, y: number): number {
  let h = Math.imul(seed ^ Math.imul(x, 0x27d4eb2d), 0x9e3779b1) ^ Math.imul(y, 0x85ebca6b);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return (h >>> 0) / 4294967296 - 0.5; // [-0.5, 0.5)
}

function paintBackground(data: Uint8Array, size: number, bg: Background): void {
  const [r, g, b] = BACKGROUND_RGB[bg.color];
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let scale = 1;
      let add = 0;
      if (bg.style === 'gradient') scale = 1.06 - (0.14 * (bg.vertical ? y : x)) / (size - 1);
      else if (bg.style === 'noise') add = 28 * pixelNoise(bg.seed, x, y);
      const i = 3 * (y * size + x);
      data[i] = clampByte(r * scale + add);
      data[i + 1] = clampByte(g * scale + add);
      data[i + 2] = clampByte(b * scale + add);
    }
  }
}

function blend(data: Uint8Array, i: number, rgb: readonly number[], alpha: number): void {
  for (let c = 0; c < 3; c++) data[i + c] = clampByte(data[i + c] + (rgb[c] - data[i + c]) * alpha);
}

const SUB = 4; // 4x4 samples per edge pixel

/** Fills interior pixels directly and supersamples only pixels the outline passes near. */
function paintShape(data: Uint8Array, size: number, obj: SceneObject): void {
  const r = RADIUS[obj.size] * size;
  const cx = obj.x * size;
  const cy = obj.y * size;
  const rgb = COLOR_RGB[obj.color];
  const x0 = Math.max(0, Math.floor(cx - r - 1));
  const x1 = Math.min(size - 1, Math.ceil(cx + r + 1));
  const y0 = Math.max(0, Math.floor(cy - r - 1));
  const y1 = Math.min(size - 1, Math.ceil(cy + r + 1));
  for (let py = y0; py <= y1; py++) {
    for (let px = x0; px <= x1; px++) {
      // distance in pixels from this pixel's centre to the outline
      const d = shapeSdf(obj.shape, (px + 0.5 - cx) / r, (py + 0.5 - cy) / r) * r;
      if (d >= 0.75) continue; // the pixel's half-diagonal is 0.707: entirely outside
      let alpha = 1;
      if (d > -0.75) {
        let inside = 0;
        for (let sy = 0; sy < SUB; sy++) {
          for (let sx = 0; sx < SUB; sx++) {
            const qx = (px + (sx + 0.5) / SUB - cx) / r;
            const qy = (py + (sy + 0.5) / SUB - cy) / r;
            if (shapeSdf(obj.shape, qx, qy) < 0) inside++;
          }
        }
        if (inside === 0) continue;
        alpha = inside / (SUB * SUB);
      }
      blend(data, 3 * (py * size + px), rgb, alpha);
    }
  }
}

/** Overlap of [a0, a1] with [b0, b1]. */
function overlap(a0: number, a1: number, b0: number, b1: number): number {
  return Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));
}

/**
 * Glyph pixels are squares of 1/128 of the image side: exactly one pixel at 128, and at
 * smaller sizes each pixel takes the exact area it covers, as a camera would.
 */
function paintText(data: Uint8Array, size: number, text: SceneText): void {
  const s = size / 128;
  const x0 = Math.floor(text.left * s);
  const y0 = Math.floor(text.top * s);
  const w = Math.ceil((text.left + text.word.length * 6) * s) - x0 + 1;
  const h = Math.ceil((text.top + GLYPH_HEIGHT) * s) - y0 + 1;
  const alpha = new Float64Array(w * h);
  for (const [c, r] of wordPixels(text.word)) {
    const gx0 = (text.left + c) * s;
    const gy0 = (text.top + r) * s;
    for (let py = Math.floor(gy0); py < gy0 + s; py++) {
      const oy = overlap(py, py + 1, gy0, gy0 + s);
      for (let px = Math.floor(gx0); px < gx0 + s; px++) {
        alpha[(py - y0) * w + (px - x0)] += oy * overlap(px, px + 1, gx0, gx0 + s);
      }
    }
  }
  for (let py = 0; py < h; py++) {
    for (let px = 0; px < w; px++) {
      const a = Math.min(1, alpha[py * w + px]);
      const X = px + x0;
      const Y = py + y0;
      if (a > 0 && X < size && Y < size) blend(data, 3 * (Y * size + X), TEXT_RGB, a);
    }
  }
}
