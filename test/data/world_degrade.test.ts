// VizWiz-style degradations (world/vizwiz.ts degradeImage): the blur's running sums and the
// darkening table must give the bytes of the plain per-pixel arithmetic they replaced (the
// world's pictures and the studies' batches are pinned to them).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RgbImage } from '../../src/data/document.js';
import { degradeImage } from '../../src/data/world/vizwiz.js';
import { Rng } from '../../src/engine/rng.js';

function randomImage(rng: Rng, w: number, h: number): RgbImage {
  return { width: w, height: h, data: Uint8Array.from({ length: w * h * 3 }, () => rng.int(256)) };
}

/** The box blur as first written: every output sums its 2r + 1 clamped samples afresh. */
function plainBoxBlur(img: RgbImage, r: number, alongX: boolean): RgbImage {
  const { width: w, height: h, data } = img;
  const out = new Uint8Array(data.length);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (let k = -r; k <= r; k++) {
          const [xx, yy] = alongX ? [Math.min(w - 1, Math.max(0, x + k)), y] : [x, Math.min(h - 1, Math.max(0, y + k))];
          sum += data[3 * (yy * w + xx) + c];
        }
        out[3 * (y * w + x) + c] = Math.round(sum / (2 * r + 1));
      }
    }
  }
  return { width: w, height: h, data: out };
}

test('blur gives the bytes of the plain two-pass box blur, at the sizes the world draws and odd ones', () => {
  const rng = new Rng(11);
  for (const [w, h] of [
    [128, 128],
    [64, 64],
    [48, 48],
    [37, 23],
    [3, 5],
  ]) {
    const img = randomImage(rng, w, h);
    const r = Math.max(1, Math.round((3 * w) / 128));
    const want = plainBoxBlur(plainBoxBlur(img, r, true), r, false);
    assert.deepEqual(degradeImage(img, { kind: 'blur' }).data, want.data, `${w}×${h}, radius ${r}`);
  }
});

test('dark gives Math.round(v * 0.3) for every byte, and leaves the input alone', () => {
  const img = { width: 16, height: 16, data: Uint8Array.from({ length: 768 }, (_, i) => i % 256) };
  const out = degradeImage(img, { kind: 'dark' });
  assert.deepEqual(
    out.data,
    img.data.map((v) => Math.round(v * 0.3)),
  );
  assert.equal(img.data[255], 255);
});
