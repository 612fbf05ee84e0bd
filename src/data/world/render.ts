// A small pure-TypeScript rasteriser for scenes. Hand-written rather than drawn with canvas:
// canvas anti-aliasing and font hinting differ between platforms and library versions, and
// the determinism tests hash the pixels, so every pixel here comes from plain IEEE double
// arithmetic (+ - * / sqrt, all exactly rounded) with no font file and no trigonometry.
import type { RgbImage } from '../document.js';
import { insideShape, shapeSdf } from './geometry.js';
import { GLYPH_HEIGHT, wordPixels } from './font.js';
import { BACKGROUND_RGB, COLOR_RGB, TEXT_RGB, type Shape } from './lexicon.js';
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

const SUB = 4; // 4x4 samples per edge pixel

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

/** What paintSdf draws: one of the six shapes, or a dot (a disc of radius 1). */
type Outline = Shape | 'disc';

const discSdf = (x: number, y: number) => Math.sqrt(x * x + y * y) - 1;
const outlineSdf = (o: Outline, x: number, y: number) => (o === 'disc' ? discSdf(x, y) : shapeSdf(o, x, y));
const insideOutline = (o: Outline, x: number, y: number) => (o === 'disc' ? discSdf(x, y) < 0 : insideShape(o, x, y));

/** Fills interior pixels directly and supersamples only pixels the outline passes near. */
function paintShape(data: Uint8Array, size: number, obj: SceneObject): void {
  paintSdf(data, size, { cx: obj.x * size, cy: obj.y * size, r: RADIUS[obj.size] * size, outline: obj.shape, surface: surfaceOf(obj) });
}

function paintDots(data: Uint8Array, size: number, dots: DotCluster): void {
  const rgb = COLOR_RGB[dots.color];
  const surface: Surface = { pattern: 'plain', light: rgb, dark: rgb };
  for (const [x, y] of dots.points) paintSdf(data, size, { cx: x * size, cy: y * size, r: DOT_RADIUS * size, outline: 'disc', surface });
}

/** One outline to paint: centre (cx, cy) and radius r in pixels, its shape and its surface. */
interface Stamp {
  cx: number;
  cy: number;
  r: number;
  outline: Outline;
  surface: Surface;
}

/** Pixels [x0, x1] × [y0, y1], bounds included. */
interface PixelBox {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/**
 * Paints the region sdf < 0 of a unit-radius outline scaled by r (pixels) and centred at
 * (cx, cy). The 16 subsamples of outline pixels ask only the sign (geometry.ts insideShape,
 * much cheaper than a distance). The outline is a tag rather than a closure so the calls stay
 * direct: closures here were a fifth of the rendering's time.
 *
 * The distance is first asked once per BLOCK×BLOCK block: the sdf is a true distance, so a
 * block whose centre lies further from the outline than its farthest pixel centre plus a pixel's
 * sample reach is wholly outside (skipped) or wholly inside (filled), which is what each of its
 * pixels would have decided alone; only blocks near the outline go pixel by pixel. The bytes are
 * those of the pixel-by-pixel loop (test/data/batch_pins.test.ts).
 */
function paintSdf(data: Uint8Array, size: number, s: Stamp): void {
  const { cx, cy, r } = s;
  const [x0, x1] = [Math.max(0, Math.floor(cx - r - 1)), Math.min(size - 1, Math.ceil(cx + r + 1))];
  const [y0, y1] = [Math.max(0, Math.floor(cy - r - 1)), Math.min(size - 1, Math.ceil(cy + r + 1))];
  const box: PixelBox = { x0, x1, y0, y1 }; // one block at a time, reused
  for (let by = y0; by <= y1; by += BLOCK) {
    const ey = Math.min(by + BLOCK - 1, y1);
    for (let bx = x0; bx <= x1; bx += BLOCK) {
      const ex = Math.min(bx + BLOCK - 1, x1);
      // centre of the block's pixel centres, and the farthest pixel centre from it
      const mx = (bx + ex) / 2 + 0.5;
      const my = (by + ey) / 2 + 0.5;
      const reach = Math.sqrt((ex - bx) * (ex - bx) + (ey - by) * (ey - by)) / 2;
      const d = outlineSdf(s.outline, (mx - cx) / r, (my - cy) / r) * r;
      if (d - reach >= PIXEL_BAND + SLACK) continue;
      [box.x0, box.x1, box.y0, box.y1] = [bx, ex, by, ey];
      if (d + reach <= -(PIXEL_BAND + SLACK)) fillBox(data, size, s.surface, box);
      else paintPixels(data, size, s, box);
    }
  }
}

/**
 * How far each of a pixel's SUB×SUB samples lies from the pixel's centre, in pixels (sample
 * (sx, sy) sits at offset ((sx + 0.5) / SUB - 0.5, (sy + 0.5) / SUB - 0.5)): 0.18 for the 4
 * inner ones, 0.40 for the 8 beside them, 0.53 for the 4 corners. A sample's sdf differs from
 * the centre's by at most this, so a centre further from the outline than a sample's offset
 * (plus SLACK) decides that sample without asking.
 */
const SAMPLE_OFFSETS = Float64Array.from(
  { length: SUB * SUB },
  (_, i) => Math.sqrt(((i % SUB) + 0.5 - SUB / 2) ** 2 + (Math.floor(i / SUB) + 0.5 - SUB / 2) ** 2) / SUB,
);
/** Every sample of a pixel is decided by its centre's distance beyond this: wholly outside or inside. */
const PIXEL_BAND = Math.max(...SAMPLE_OFFSETS);
/** Far above the rounding of a distance in doubles (~1e-14 px), so a bound decides only what the samples would. */
const SLACK = 1e-6;
/** Block side for the coarse test: 4 px measured faster than 2, 8 and 16 on the world's shapes. */
const BLOCK = 4;

function fillBox(data: Uint8Array, size: number, surface: Surface, b: PixelBox): void {
  for (let py = b.y0; py <= b.y1; py++) for (let px = b.x0; px <= b.x1; px++) blend(data, 3 * (py * size + px), surfaceRgb(surface, size, px, py), 1);
}

/** The pixel-by-pixel loop over a box: skip, fill, or supersample each pixel. */
function paintPixels(data: Uint8Array, size: number, s: Stamp, b: PixelBox): void {
  const { cx, cy, r, outline, surface } = s;
  for (let py = b.y0; py <= b.y1; py++) {
    for (let px = b.x0; px <= b.x1; px++) {
      // distance in pixels from this pixel's centre to the outline
      const d = outlineSdf(outline, (px + 0.5 - cx) / r, (py + 0.5 - cy) / r) * r;
      if (d >= PIXEL_BAND + SLACK) continue; // every sample outside
      let alpha = 1;
      if (d > -(PIXEL_BAND + SLACK)) {
        let count = 0;
        for (let sy = 0, i = 0; sy < SUB; sy++) {
          for (let sx = 0; sx < SUB; sx++, i++) {
            const reach = SAMPLE_OFFSETS[i] + SLACK;
            if (d <= -reach) count++;
            else if (d < reach && insideOutline(outline, (px + (sx + 0.5) / SUB - cx) / r, (py + (sy + 0.5) / SUB - cy) / r)) count++;
          }
        }
        if (count === 0) continue;
        alpha = count / (SUB * SUB);
      }
      blend(data, 3 * (py * size + px), surfaceRgb(surface, size, px, py), alpha);
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
