// A small pure-TypeScript rasteriser for scenes. Hand-written rather than drawn with canvas:
// canvas anti-aliasing and font hinting differ between platforms and library versions, and
// the determinism tests hash the pixels, so every pixel here comes from plain IEEE double
// arithmetic (+ - * / sqrt, all exactly rounded) with no font file and no trigonometry.
import type { RgbImage } from '../document.js';
import { outlineRuns, RowRuns, type Outline } from './coverage.js';
import { GLYPH_HEIGHT, wordPixels } from './font.js';
import { BACKGROUND_RGB, COLOR_RGB, TEXT_RGB } from './lexicon.js';
import { RADIUS, type Background, type DotCluster, type Scene, type SceneObject, type SceneText } from './scene.js';
import { DOT_RADIUS } from './scene_v2.js';

/** Renders a scene as a size×size RGB image (default 128). */
export function renderScene(scene: Scene, size = 128): RgbImage {
  if (!Number.isInteger(size) || size < 8) {
    throw new Error(`renderScene: size must be an integer >= 8 pixels, got ${size}`);
  }
  const data = new Uint8Array(size * size * 3);
  paintBackground(data, size, scene.background);
  for (const obj of scene.objects) paintShape(data, size, obj);
  if (scene.dots) paintDots(data, size, scene.dots);
  if (scene.text) paintText(data, size, scene.text);
  return { width: size, height: size, data };
}

function clampByte(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
}

/**
 * Pixel noise, the same everywhere: an integer hash of (seed, x, y) as a number in [-0.5, 0.5)
 * would be (h >>> 0) / 2^32 - 0.5 (in doubles, exactly). The first step of the hash,
 * Math.imul(seed ^ Math.imul(x, C), D) ^ Math.imul(y, E), splits into a part per column and a
 * part per row, so paintBackground works those out once per picture and mixes them per pixel.
 */
function noiseColumns(seed: number, size: number): Int32Array {
  return Int32Array.from({ length: size }, (_, x) => Math.imul(seed ^ Math.imul(x, 0x27d4eb2d), 0x9e3779b1));
}
const noiseRow = (y: number) => Math.imul(y, 0x85ebca6b);
/** The rest of the hash: h's last mixing steps, as an unsigned 32-bit integer. */
function noiseMix(h: number): number {
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h >>> 0;
}

/**
 * The noise background adds round(28 · (u / 2^32 − 0.5)) to every channel, u the pixel's hash.
 * That is floor((28u + 2^31) / 2^32) − 14: Math.round(v) is floor(v + 0.5), and v + 0.5 =
 * (28u − 14·2^32 + 2^31) / 2^32 is exact in doubles (28u + 2^31 < 2^37). So the 29 possible
 * additions index a per-picture table of clamped bytes per channel (NOISE_LEVELS each).
 */
const NOISE_LEVELS = 29;
const noiseLevel = (u: number) => Math.floor((28 * u + 2147483648) * 2.3283064365386963e-10);

function paintBackground(data: Uint8Array, size: number, bg: Background): void {
  const [r, g, b] = BACKGROUND_RGB[bg.color];
  if (bg.style === 'noise') {
    // per channel c, clamp(c + level − 14) for each level, then one table read per byte
    const table = new Uint8Array(3 * NOISE_LEVELS);
    for (let k = 0; k < NOISE_LEVELS; k++) [table[k], table[k + NOISE_LEVELS], table[k + 2 * NOISE_LEVELS]] = [r, g, b].map((c) => clampByte(c + k - 14));
    const columns = noiseColumns(bg.seed, size);
    for (let y = 0, i = 0; y < size; y++) {
      const row = noiseRow(y);
      for (let x = 0; x < size; x++, i += 3) {
        const k = noiseLevel(noiseMix(columns[x] ^ row));
        data[i] = table[k];
        data[i + 1] = table[k + NOISE_LEVELS];
        data[i + 2] = table[k + 2 * NOISE_LEVELS];
      }
    }
    return;
  }
  // Plain and gradient pictures vary along one axis at most: work out each line's colour once
  // (the same expressions as per pixel) and copy it, instead of ~50k clamps per picture.
  const line = new Uint8Array(3 * size);
  for (let t = 0; t < size; t++) {
    const scale = bg.style === 'gradient' ? 1.06 - (0.14 * t) / (size - 1) : 1;
    line[3 * t] = clampByte(r * scale);
    line[3 * t + 1] = clampByte(g * scale);
    line[3 * t + 2] = clampByte(b * scale);
  }
  const vertical = bg.style === 'gradient' && bg.vertical;
  for (let y = 0; y < size; y++) {
    const at = 3 * y * size;
    if (!vertical) data.set(line, at);
    else {
      const c0 = line[3 * y];
      const c1 = line[3 * y + 1];
      const c2 = line[3 * y + 2];
      for (let i = at; i < at + 3 * size; i += 3) {
        data[i] = c0;
        data[i + 1] = c1;
        data[i + 2] = c2;
      }
    }
  }
}

function blend(data: Uint8Array, i: number, rgb: Rgb, alpha: number): void {
  // alpha 1: data + (rgb - data) * 1 is exactly rgb in doubles (small integers), so write it.
  if (alpha === 1) for (let c = 0; c < 3; c++) data[i + c] = clampByte(rgb[c]);
  else for (let c = 0; c < 3; c++) data[i + c] = clampByte(data[i + c] + (rgb[c] - data[i + c]) * alpha);
}

type Rgb = readonly number[];

/**
 * An object's surface colours: v2 patterns are light and dark bands of ±delta around the
 * object's colour on the 128-pixel grid (delta per channel, capped so nothing clips), so the
 * mean colour of any 2x2 (checks) or 4x4 (stripes) block is the plain colour: box filtering
 * erases them exactly. Both colours are worked out once per object, not per pixel.
 */
interface Surface {
  pattern: 'plain' | 'striped' | 'checkered';
  light: Rgb;
  dark: Rgb;
}

function surfaceOf(obj: SceneObject): Surface {
  const rgb = COLOR_RGB[obj.color];
  const pattern = obj.pattern ?? 'plain';
  if (pattern === 'plain') return { pattern, light: rgb, dark: rgb };
  const delta = (v: number) => Math.min(60, v, 255 - v);
  return { pattern, light: rgb.map((v) => v + delta(v)), dark: rgb.map((v) => v - delta(v)) };
}

function surfaceRgb(surface: Surface, size: number, px: number, py: number): Rgb {
  if (surface.pattern === 'plain') return surface.light;
  const X = Math.floor(((px + 0.5) * 128) / size);
  const Y = Math.floor(((py + 0.5) * 128) / size);
  const light = surface.pattern === 'striped' ? Math.floor(Y / 2) % 2 === 0 : (X + Y) % 2 === 0;
  return light ? surface.light : surface.dark;
}

/** Paints an object's shape, scaled from unit radius to its size in pixels. */
function paintShape(data: Uint8Array, size: number, obj: SceneObject): void {
  paintOutline(data, size, { cx: obj.x * size, cy: obj.y * size, r: RADIUS[obj.size] * size, outline: obj.shape, surface: surfaceOf(obj) });
}

function paintDots(data: Uint8Array, size: number, dots: DotCluster): void {
  const rgb = COLOR_RGB[dots.color];
  const surface: Surface = { pattern: 'plain', light: rgb, dark: rgb };
  for (const [x, y] of dots.points) paintOutline(data, size, { cx: x * size, cy: y * size, r: DOT_RADIUS * size, outline: 'disc', surface });
}

/** One outline to paint: centre (cx, cy) and radius r in pixels, its shape and its surface. */
interface Stamp {
  cx: number;
  cy: number;
  r: number;
  outline: Outline;
  surface: Surface;
}

const SUB = 4; // 4×4 samples per pixel

// Reused per outline (the renderer is synchronous): the samples' x in shape units, per pixel
// column of the box its count of inside samples, and one sample row's runs.
let sampleXs = new Float64Array(0);
let counts = new Int32Array(0);
const runs = new RowRuns();

/**
 * Paints the region inside a unit-radius outline scaled by r (pixels) and centred at (cx, cy):
 * each pixel of the box around it takes the share of its SUB×SUB samples inside (geometry.ts
 * shapeSdf < 0, or a disc of radius 1 for a dot, at sample (sx, sy)'s point ((px + (sx + 0.5) / SUB − cx) / r, likewise y)) as
 * its alpha, and pixels with none stay as they are. coverage.ts finds a row of samples' inside
 * runs with the inside test itself, by binary search, instead of asking it per sample; the
 * bytes are those of asking every sample (test/data/ablation_pixels_pins.test.ts pins them).
 */
function paintOutline(data: Uint8Array, size: number, s: Stamp): void {
  const { cx, cy, r, outline, surface } = s;
  const x0 = Math.max(0, Math.floor(cx - r - 1));
  const x1 = Math.min(size - 1, Math.ceil(cx + r + 1));
  const y0 = Math.max(0, Math.floor(cy - r - 1));
  const y1 = Math.min(size - 1, Math.ceil(cy + r + 1));
  const width = x1 - x0 + 1;
  const n = SUB * width;
  if (width <= 0 || y1 < y0) return;
  if (sampleXs.length < n) [sampleXs, counts] = [new Float64Array(n), new Int32Array(width)];
  const xs = sampleXs;
  const count = counts;
  for (let j = 0; j < n; j++) xs[j] = (x0 + (j >> 2) + ((j & 3) + 0.5) / SUB - cx) / r;
  const plain = surface.pattern === 'plain';
  const [f0, f1, f2] = surface.light.map(clampByte);
  for (let py = y0; py <= y1; py++) {
    count.fill(0, 0, width);
    for (let sy = 0; sy < SUB; sy++) {
      outlineRuns(outline, xs, n, (py + (sy + 0.5) / SUB - cy) / r, runs);
      for (let k = 0; k < runs.count; k++) addRun(count, runs.starts[k], runs.ends[k]);
      for (let k = 0; k < runs.removedCount; k++) count[runs.removed[k] >> 2]--;
    }
    for (let p = 0, i = 3 * (py * size + x0); p < width; p++, i += 3) {
      const c = count[p];
      if (c === SUB * SUB && plain) {
        // blend's alpha-1 write of the plain colour, worked out once above (most painted pixels)
        data[i] = f0;
        data[i + 1] = f1;
        data[i + 2] = f2;
      } else if (c > 0) blend(data, i, surfaceRgb(surface, size, x0 + p, py), c / (SUB * SUB));
    }
  }
}

/** Adds samples [a, b) to their pixels' counts (sample j is in pixel j >> 2). */
function addRun(count: Int32Array, a: number, b: number): void {
  const pa = a >> 2;
  const pb = (b - 1) >> 2;
  if (pa === pb) {
    count[pa] += b - a;
    return;
  }
  count[pa] += SUB - (a & 3);
  for (let p = pa + 1; p < pb; p++) count[p] += SUB;
  count[pb] += ((b - 1) & 3) + 1;
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
  const k = text.scale ?? 1; // glyph pixel side in 1/128ths (v2 small words: 0.5)
  const s = size / 128;
  const g = k * s; // glyph pixel side in image pixels
  const x0 = Math.floor(text.left * s);
  const y0 = Math.floor(text.top * s);
  const w = Math.ceil((text.left + text.word.length * 6 * k) * s) - x0 + 1;
  const h = Math.ceil((text.top + GLYPH_HEIGHT * k) * s) - y0 + 1;
  const alpha = new Float64Array(w * h);
  for (const [c, r] of wordPixels(text.word)) {
    const gx0 = (text.left + c * k) * s;
    const gy0 = (text.top + r * k) * s;
    for (let py = Math.floor(gy0); py < gy0 + g; py++) {
      const oy = overlap(py, py + 1, gy0, gy0 + g);
      for (let px = Math.floor(gx0); px < gx0 + g; px++) {
        alpha[(py - y0) * w + (px - x0)] += oy * overlap(px, px + 1, gx0, gx0 + g);
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
