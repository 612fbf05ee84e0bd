// Fixed, model-independent features of a picture seen through a given resolution: what the
// resolution probe's ridge classifiers read. Nothing here is learned.
// - The view: the 128-pixel render box-filtered to r pixels (as the encoder's resize does) and
//   blown back up to 128 by repetition, so every region keeps its coordinates.
// - Region features: per 4x4 block of the region, mean colour and mean absolute luminance
//   differences along x and along y. The differences are the one fixed non-linearity: a
//   linear read-out of box-filtered pixels alone cannot tell a texture from its mean colour.
// - Blob count: separate specks that differ from the region's background (for dots).
// - Word reading: the template reader's best word at glyph sizes 1 and 2, with its score.
import type { RgbImage } from '../../document.js';
import { downscaleBox, upscaleNearest } from '../box_filter.js';
import { WORDS } from '../lexicon.js';
import { readWord } from '../reader.js';
import { cellCol, cellRow } from '../scene.js';

/** The 128-pixel picture as it survives an r-pixel encoder input, on the 128 grid. */
export function throughResolution(image: RgbImage, r: number): RgbImage {
  if (image.width !== 128 || image.height !== 128) throw new Error(`probe: expected a 128x128 render, got ${image.width}x${image.height}`);
  if (r === 128) return image;
  if (128 % r !== 0) throw new Error(`probe: resolution must divide 128 (e.g. 32, 64, 128), got ${r}`);
  return upscaleNearest(downscaleBox(image, 128 / r), 128 / r);
}

export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/** The pixels of grid cell `cell` at 128 (cells are 128/3 wide, rounded outwards). */
export function cellBox(cell: number): Box {
  const side = 128 / 3;
  return {
    x0: Math.floor(cellCol(cell) * side),
    y0: Math.floor(cellRow(cell) * side),
    x1: Math.min(128, Math.ceil((cellCol(cell) + 1) * side)),
    y1: Math.min(128, Math.ceil((cellRow(cell) + 1) * side)),
  };
}

export const WHOLE: Box = { x0: 0, y0: 0, x1: 128, y1: 128 };

function luminance(img: RgbImage, x: number, y: number): number {
  const i = 3 * (y * img.width + x);
  return 0.299 * img.data[i] + 0.587 * img.data[i + 1] + 0.114 * img.data[i + 2];
}

/** [blocksY, blocksX, 5] flattened: mean R, G, B, |Δx lum|, |Δy lum| per pool×pool block. */
export function regionFeatures(img: RgbImage, box: Box, pool: number): Float64Array {
  const bw = Math.ceil((box.x1 - box.x0) / pool);
  const bh = Math.ceil((box.y1 - box.y0) / pool);
  const out = new Float64Array(bw * bh * 5);
  const count = new Float64Array(bw * bh);
  for (let y = box.y0; y < box.y1; y++) {
    for (let x = box.x0; x < box.x1; x++) {
      const b = Math.floor((y - box.y0) / pool) * bw + Math.floor((x - box.x0) / pool);
      const i = 3 * (y * img.width + x);
      const l = luminance(img, x, y);
      out[5 * b] += img.data[i];
      out[5 * b + 1] += img.data[i + 1];
      out[5 * b + 2] += img.data[i + 2];
      if (x + 1 < box.x1) out[5 * b + 3] += Math.abs(luminance(img, x + 1, y) - l);
      if (y + 1 < box.y1) out[5 * b + 4] += Math.abs(luminance(img, x, y + 1) - l);
      count[b]++;
    }
  }
  for (let b = 0; b < count.length; b++) for (let c = 0; c < 5; c++) out[5 * b + c] /= count[b];
  return out;
}

/**
 * Separate specks in `box` at the picture's own resolution r: pixels farther than `threshold`
 * (RGB distance) from the region's median border colour, 4-connected. Counts up to `max`.
 */
export function blobCount(view: RgbImage, r: number, box: Box, threshold = 40, max = 9): number {
  const f = 128 / r;
  const [x0, y0] = [Math.floor(box.x0 / f), Math.floor(box.y0 / f)];
  const [x1, y1] = [Math.ceil(box.x1 / f), Math.ceil(box.y1 / f)];
  const w = x1 - x0;
  const h = y1 - y0;
  const at = (x: number, y: number, c: number) => view.data[3 * (y * f * 128 + x * f) + c]; // one sample per r-pixel
  const border: number[][] = [];
  for (let x = x0; x < x1; x++)
    border.push(
      [0, 1, 2].map((c) => at(x, y0, c)),
      [0, 1, 2].map((c) => at(x, y1 - 1, c)),
    );
  const bg = [0, 1, 2].map((c) => median(border.map((p) => p[c])));
  const on = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const d = Math.hypot(...[0, 1, 2].map((c) => at(x0 + x, y0 + y, c) - bg[c]));
      on[y * w + x] = d > threshold ? 1 : 0;
    }
  }
  let blobs = 0;
  const stack: number[] = [];
  for (let start = 0; start < on.length; start++) {
    if (on[start] !== 1) continue;
    blobs++;
    on[start] = 2;
    stack.push(start);
    while (stack.length > 0) {
      const p = stack.pop()!;
      const [px, py] = [p % w, Math.floor(p / w)];
      for (const [nx, ny] of [
        [px - 1, py],
        [px + 1, py],
        [px, py - 1],
        [px, py + 1],
      ]) {
        if (nx < 0 || ny < 0 || nx >= w || ny >= h || on[ny * w + nx] !== 1) continue;
        on[ny * w + nx] = 2;
        stack.push(ny * w + nx);
      }
    }
  }
  return Math.min(blobs, max);
}

function median(v: number[]): number {
  const s = [...v].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/**
 * One-hot of the template reader's word for each word size (glyph pixels of 1 and of 0.5
 * pixel: the crop is doubled by repetition and read with 1-pixel glyphs), each weighted by
 * its match score, and the two scores.
 */
export function readingFeatures(view: RgbImage, box: Box): Float64Array {
  const crop = cropImage(view, box);
  const out = new Float64Array(2 * WORDS.length + 2);
  [crop, upscaleNearest(crop, 2)].forEach((img, g) => {
    const read = readWord(img, WORDS, 1);
    const score = Number.isFinite(read.score) ? read.score : 0;
    out[g * WORDS.length + WORDS.indexOf(read.word as (typeof WORDS)[number])] = score;
    out[2 * WORDS.length + g] = score;
  });
  return out;
}

function cropImage(img: RgbImage, box: Box): RgbImage {
  const w = box.x1 - box.x0;
  const h = box.y1 - box.y0;
  const data = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) data.set(img.data.subarray(3 * ((box.y0 + y) * img.width + box.x0), 3 * ((box.y0 + y) * img.width + box.x1)), 3 * y * w);
  return { width: w, height: h, data };
}

/** The cell box grown by `margin` pixels (words and dots sit near cell edges after jitter). */
export function grow(box: Box, margin: number): Box {
  return { x0: Math.max(0, box.x0 - margin), y0: Math.max(0, box.y0 - margin), x1: Math.min(128, box.x1 + margin), y1: Math.min(128, box.y1 + margin) };
}
