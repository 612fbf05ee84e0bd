// A template-matching reader: finds which candidate word is written anywhere in a picture by
// normalised cross-correlation with the font's glyphs. It reads the 128-pixel renders almost
// perfectly and fails once the picture has passed through 32 pixels, which is the world's
// claim that reading needs resolution (tests check both).
import type { RgbImage } from '../document.js';
import { GLYPH_ADVANCE, GLYPH_HEIGHT, wordPixels } from './font.js';
import { WORDS } from './lexicon.js';

export interface ReadResult {
  word: string;
  /** Normalised cross-correlation of the best match, in [-1, 1]. */
  score: number;
  /** Top-left corner of the best match, in pixels. */
  x: number;
  y: number;
}

/** Sum over every s×s block of the image: out[y][x] = Σ ink[y..y+s)[x..x+s). */
function blockSums(ink: Float64Array, w: number, h: number, s: number): Float64Array {
  if (s === 1) return ink;
  const out = new Float64Array(w * h);
  for (let y = 0; y + s <= h; y++) {
    for (let x = 0; x + s <= w; x++) {
      let sum = 0;
      for (let dy = 0; dy < s; dy++) for (let dx = 0; dx < s; dx++) sum += ink[(y + dy) * w + x + dx];
      out[y * w + x] = sum;
    }
  }
  return out;
}

/**
 * Reads a word of equal-length candidates (default: the world's words) drawn in the world
 * font with glyph pixels of `glyphSize` image pixels (default width/128: whole numbers only,
 * so 128, 256, ... wide; world v2's large words have glyphSize 2 at 128).
 */
export function readWord(image: RgbImage, candidates: readonly string[] = WORDS, glyphSize?: number): ReadResult {
  const { width: w, height: h, data } = image;
  const s = glyphSize ?? w / 128;
  if (!Number.isInteger(s) || s < 1) {
    throw new Error(`readWord: glyph pixels must be a whole number of image pixels (default width/128), got ${s} for width ${w}; pass glyphSize`);
  }
  const len = candidates[0].length;
  if (candidates.some((c) => c.length !== len)) throw new Error('readWord: candidates must all have the same length');
  // ink = darkness, since the world writes dark text on pale ground
  const ink = new Float64Array(w * h);
  for (let i = 0; i < w * h; i++) {
    ink[i] = 255 - (0.299 * data[3 * i] + 0.587 * data[3 * i + 1] + 0.114 * data[3 * i + 2]);
  }
  const blocks = blockSums(ink, w, h, s);
  const tw = (len * GLYPH_ADVANCE - 1) * s;
  const th = GLYPH_HEIGHT * s;
  const n = tw * th;
  // integral images of ink and ink² give each window's mean and variance in O(1)
  const I1 = new Float64Array((w + 1) * (h + 1));
  const I2 = new Float64Array((w + 1) * (h + 1));
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const v = ink[y * w + x];
      const k = (y + 1) * (w + 1) + x + 1;
      I1[k] = v + I1[k - 1] + I1[k - w - 1] - I1[k - w - 2];
      I2[k] = v * v + I2[k - 1] + I2[k - w - 1] - I2[k - w - 2];
    }
  }
  const rect = (I: Float64Array, x: number, y: number) =>
    I[(y + th) * (w + 1) + x + tw] - I[y * (w + 1) + x + tw] - I[(y + th) * (w + 1) + x] + I[y * (w + 1) + x];
  const templates = candidates.map((word) => {
    const lit = wordPixels(word);
    const p = (lit.length * s * s) / n;
    // where each lit glyph pixel's block sum sits relative to the window's corner (same order as `lit`)
    const offsets = Int32Array.from(lit, ([c, r]) => r * s * w + c * s);
    return { word, offsets, onPixels: lit.length * s * s, sigma: Math.sqrt(p * (1 - p)) };
  });
  let best: ReadResult = { word: candidates[0], score: -Infinity, x: 0, y: 0 };
  for (let y = 0; y + th <= h; y++) {
    for (let x = 0; x + tw <= w; x++) {
      const mean = rect(I1, x, y) / n;
      const variance = rect(I2, x, y) / n - mean * mean;
      if (variance < 1) continue; // flat background: nothing written here
      const sd = Math.sqrt(variance);
      for (const t of templates) {
        let dot = 0;
        const base = y * w + x;
        for (let k = 0; k < t.offsets.length; k++) dot += blocks[base + t.offsets[k]];
        const score = (dot - mean * t.onPixels) / (n * sd * t.sigma);
        if (score > best.score) best = { word: t.word, score, x, y };
      }
    }
  }
  return best;
}
