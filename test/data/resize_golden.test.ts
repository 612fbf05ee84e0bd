// The resize's inner loops are tuned for speed (cached taps, hoisted arrays); this pins its
// output to the digest the straightforward Pillow-following version gave, so any speed-up
// that changes a single byte fails here. Sizes cover the pipeline's cases: the world's 128 px
// pictures down to encoder sides (48, 64, 96), upscales, odd sizes and one-axis resizes.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import type { RgbImage } from '../../src/data/document.js';
import { normalizeClip } from '../../src/data/normalize.js';
import { resizeBicubic, resizeNormalizeInto } from '../../src/data/resize.js';
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
