import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RgbImage } from '../../src/data/document.js';
import { cropImage, toSquare } from '../../src/data/image.js';
import { normalizeClip } from '../../src/data/normalize.js';
import { cropCount, imageTokenCount } from '../../src/data/image_tokens.js';
import { imageCrops, preprocessImage, preprocessedSize } from '../../src/data/subimage.js';
import { Rng } from '../../src/engine/rng.js';

function randomImage(width: number, height: number, seed: number): RgbImage {
  const rng = new Rng(seed);
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < data.length; i++) data[i] = rng.int(256);
  return { width, height, data };
}

test('imageTokenCount: MM1 numbers (144 per crop; 2×2 grid + overview = 720)', () => {
  assert.equal(imageTokenCount({ tokensPerCrop: 144 }), 144);
  assert.equal(imageTokenCount({ tokensPerCrop: 144, grid: 0 }), 144);
  assert.equal(imageTokenCount({ tokensPerCrop: 144, grid: 2 }), 720);
  assert.equal(imageTokenCount({ tokensPerCrop: 16, grid: 3 }), 160);
  assert.equal(cropCount(2), 5);
  assert.throws(() => imageTokenCount({ tokensPerCrop: 0 }), /tokensPerCrop/);
  assert.throws(() => cropCount(1.5), /grid/);
});

test('a 2×2 grid of crops tiles the squared image exactly; the overview is the whole image', () => {
  const img = randomImage(8, 8, 1); // already 8×8 = g·R, so the tiles are the original pixels
  const crops = imageCrops(img, { resolution: 4, grid: 2 });
  assert.equal(crops.length, 5);
  assert.deepEqual(crops[0], toSquare(img, 4, 'crop'));
  const tiled = new Uint8Array(8 * 8 * 3);
  crops.slice(1).forEach((tile, i) => {
    assert.deepEqual([tile.width, tile.height], [4, 4]);
    const left = (i % 2) * 4,
      top = Math.floor(i / 2) * 4;
    for (let y = 0; y < 4; y++) tiled.set(tile.data.subarray(y * 12, y * 12 + 12), ((top + y) * 8 + left) * 3);
  });
  assert.deepEqual(tiled, img.data);
  const last = imageCrops(img, { resolution: 4, grid: 2, overview: 'last' });
  assert.deepEqual(last[4], crops[0]);
  assert.deepEqual(last[0], crops[1]);
});

test('non-square image: tiles cut the g·R centre-cropped square', () => {
  const img = randomImage(30, 20, 2);
  const crops = imageCrops(img, { resolution: 6, grid: 3 });
  const big = toSquare(img, 18, 'crop');
  assert.equal(crops.length, 10);
  assert.deepEqual(crops[5], cropImage(big, 6, 6, 6, 6)); // row 1, col 1 → tile 4, after the overview
  assert.deepEqual(crops[9], cropImage(big, 12, 12, 6, 6));
});

test('preprocessImage: [1 + g², 3, R, R] floats, each crop CLIP-normalised in order', () => {
  const img = randomImage(12, 9, 3);
  const config = { resolution: 4, grid: 2 };
  const out = preprocessImage(img, config);
  assert.equal(out.length, 5 * 3 * 4 * 4);
  assert.equal(preprocessedSize(config), out.length);
  imageCrops(img, config).forEach((crop, i) => {
    assert.deepEqual(out.subarray(i * 48, (i + 1) * 48), normalizeClip(crop));
  });
  assert.equal(preprocessImage(img, { resolution: 4 }).length, 48);
  const into = new Float32Array(10 + 48);
  preprocessImage(img, { resolution: 4 }, into, 10);
  assert.equal(into[9], 0);
  assert.deepEqual(into.subarray(10), preprocessImage(img, { resolution: 4 }));
});
