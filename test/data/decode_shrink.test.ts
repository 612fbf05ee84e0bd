// Shrinking while decoding (what pretraining on files does for big photos): the short side
// lands on the asked size with the aspect ratio kept, small images are never enlarged, and
// the model's input after the exact bicubic preprocessing stays within a few levels of
// decoding at full size (measured: mean 0.27, largest 2 levels).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { decodeImage } from '../../src/data/image.js';
import { CLIP_STD } from '../../src/data/normalize.js';
import { preprocessImage } from '../../src/data/subimage.js';

/** A smooth 640×480 test card (gradients and soft rings), as JPEG. */
async function photo(): Promise<Buffer> {
  const [w, h] = [640, 480];
  const raw = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const i = 3 * (y * w + x);
      raw[i] = Math.round((255 * x) / w);
      raw[i + 1] = Math.round((255 * y) / h);
      raw[i + 2] = Math.round(127 + 120 * Math.sin(Math.hypot(x - 320, y - 240) / 25));
    }
  }
  return sharp(raw, { raw: { width: w, height: h, channels: 3 } })
    .jpeg({ quality: 95 })
    .toBuffer();
}

test('decodeImage maxShortSide: short side shrunk, aspect kept, never enlarged; model input within a few levels of a full decode', async () => {
  const bytes = await photo();
  const small = await decodeImage(bytes, 'card', { maxShortSide: 96 });
  assert.deepEqual([small.width, small.height], [128, 96]);
  const untouched = await decodeImage(bytes, 'card', { maxShortSide: 1000 });
  assert.deepEqual([untouched.width, untouched.height], [640, 480]);

  const full = await decodeImage(bytes, 'card');
  const a = preprocessImage(full, { resolution: 48 });
  const b = preprocessImage(small, { resolution: 48 });
  // Back to 8-bit levels per channel: |Δ| · 255 · std.
  let sum = 0;
  let max = 0;
  const plane = 48 * 48;
  for (let i = 0; i < a.length; i++) {
    const levels = Math.abs(a[i] - b[i]) * 255 * CLIP_STD[Math.floor(i / plane)];
    sum += levels;
    max = Math.max(max, levels);
  }
  assert.ok(sum / a.length < 0.6, `mean difference ${(sum / a.length).toFixed(2)} levels`);
  assert.ok(max < 4, `largest difference ${max.toFixed(1)} levels`);
});
