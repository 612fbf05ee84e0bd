// The resize's inner loops are tuned for speed (cached taps, hoisted arrays); this pins its
// output to the digest the straightforward Pillow-following version gave, so any speed-up
// that changes a single byte fails here. Sizes cover the pipeline's cases: the world's 128 px
// pictures down to encoder sides (48, 64, 96), upscales, odd sizes and one-axis resizes.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import type { RgbImage } from '../../src/data/document.js';
import { normalizeClip } from '../../src/data/normalize.js';
import { bicubicTaps, resizeBicubic, resizeNormalizeInto } from '../../src/data/resize.js';
import { Rng } from '../../src/engine/rng.js';

const CASES: [number, number, number, number][] = [
  [128, 128, 48, 48],
  [128, 128, 64, 64],
  [128, 128, 96, 96],
  [64, 64, 128, 128],
  [37, 23, 11, 29],
  [5, 9, 40, 3],
  [128, 96, 128, 48],
  [96, 128, 20, 128],
  [1, 1, 7, 7],
];
// Printed by the pre-optimisation implementation (MM1_PRINT_GOLDEN=1 prints it again).
const GOLDEN = '7ec7193a6a38df412725a01bc4d4d6e792fee005681147da232235f1c36fac00';

test('bicubic resize output matches the pinned digest on random images of many sizes', () => {
  const rng = new Rng(11);
  const h = createHash('sha256');
  for (const [w, hgt, ow, oh] of CASES) {
    // Random noise has the most overshoot, so clamping at 0 and 255 is exercised too.
    const src: RgbImage = { width: w, height: hgt, data: Uint8Array.from({ length: w * hgt * 3 }, () => rng.int(256)) };
    const out = resizeBicubic(src, ow, oh);
    assert.deepEqual([out.width, out.height], [ow, oh]);
    h.update(out.data);
  }
  const got = h.digest('hex');
  if (process.env.MM1_PRINT_GOLDEN) console.log(`resize golden digest: ${got}`);
  assert.equal(got, GOLDEN, 'resizeBicubic changed its output (see the comment at the top)');
});

test('the fused resize + normalisation gives exactly the floats of normalizeClip after resizeBicubic', () => {
  const rng = new Rng(12);
  const mean = [0.48145466, 0.4578275, 0.40821073];
  const std = [0.26862954, 0.26130258, 0.27577711];
  for (const [w, hgt, ow, oh] of [...CASES, [64, 64, 64, 64] as const]) {
    const src: RgbImage = { width: w, height: hgt, data: Uint8Array.from({ length: w * hgt * 3 }, () => rng.int(256)) };
    const fused = new Float32Array(2 + 3 * ow * oh).fill(7);
    resizeNormalizeInto(src, ow, oh, fused, 2, mean, std);
    const twoStep = normalizeClip(resizeBicubic(src, ow, oh), new Float32Array(2 + 3 * ow * oh).fill(7), 2, mean, std);
    assert.deepEqual(fused, twoStep, `${w}×${hgt} → ${ow}×${oh}`);
  }
});

/** Pillow's two passes written plainly from the taps: every tap of every output, no shortcuts. */
function referenceResize(src: RgbImage, ow: number, oh: number): RgbImage {
  const clip = (acc: number) => Math.min(255, Math.max(0, Math.floor(acc / 2 ** 22)));
  const pass = (img: RgbImage, outSize: number, horizontal: boolean): RgbImage => {
    const inSize = horizontal ? img.width : img.height;
    if (inSize === outSize) return img;
    const { start, count, weights, maxTaps } = bicubicTaps(inSize, outSize);
    const [w, h] = horizontal ? [outSize, img.height] : [img.width, outSize];
    const data = new Uint8Array(w * h * 3);
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const o = horizontal ? x : y;
        for (let c = 0; c < 3; c++) {
          let acc = 2 ** 21;
          for (let t = 0; t < count[o]; t++) {
            const [sx, sy] = horizontal ? [start[o] + t, y] : [x, start[o] + t];
            acc += img.data[3 * (sy * img.width + sx) + c] * weights[o * maxTaps + t];
          }
          data[3 * (y * w + x) + c] = clip(acc);
        }
      }
    }
    return { width: w, height: h, data };
  };
  return pass(pass(src, ow, true), oh, false);
}

/** Rectangles of flat colour, some rows repeated, some noise: runs of equal pixels and rows of every length. */
function blockyImage(rng: Rng, w: number, h: number): RgbImage {
  const data = new Uint8Array(w * h * 3);
  for (let k = 0; k < 12; k++) {
    const [x0, y0] = [rng.int(w), rng.int(h)];
    const [x1, y1] = [Math.min(w, x0 + 1 + rng.int(w)), Math.min(h, y0 + 1 + rng.int(h))];
    const rgb = [rng.int(256), rng.int(256), rng.int(256)];
    const noisy = rng.int(4) === 0;
    for (let y = y0; y < y1; y++) for (let x = x0; x < x1; x++) for (let c = 0; c < 3; c++) data[3 * (y * w + x) + c] = noisy ? rng.int(256) : rgb[c];
  }
  return { width: w, height: h, data };
}

test('the shortcuts (equal rows merged or copied, 8-tap windows spelt out, symmetric taps paired) give the bytes of every tap summed plainly', () => {
  const rng = new Rng(5);
  for (const [w, h, ow, oh] of [...CASES, [128, 128, 32, 32], [128, 128, 200, 150]] as [number, number, number, number][]) {
    for (const src of [blockyImage(rng, w, h), blockyImage(rng, w, h), { width: w, height: h, data: new Uint8Array(w * h * 3).fill(200) }]) {
      const want = referenceResize(src, ow, oh);
      assert.deepEqual(resizeBicubic(src, ow, oh).data, want.data, `${w}×${h} → ${ow}×${oh}`);
      const got = new Float32Array(3 * ow * oh);
      resizeNormalizeInto(src, ow, oh, got, 0, [0.5, 0.4, 0.3], [0.2, 0.25, 0.3]);
      assert.deepEqual(got, normalizeClip(want, undefined, 0, [0.5, 0.4, 0.3], [0.2, 0.25, 0.3]), `normalised ${w}×${h} → ${ow}×${oh}`);
    }
  }
});
