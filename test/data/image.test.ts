import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import sharp from 'sharp';
import type { RgbImage } from '../../src/data/document.js';
import { centerCrop, decodeImage, padToSquare, readImageFile, toSquare } from '../../src/data/image.js';
import { normalizeClip } from '../../src/data/normalize.js';
import { resizeBicubic } from '../../src/data/resize.js';
import { Rng } from '../../src/engine/rng.js';

function image(width: number, height: number, pixel: (x: number, y: number, c: number) => number): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) for (let c = 0; c < 3; c++) data[(y * width + x) * 3 + c] = pixel(x, y, c);
  return { width, height, data };
}

async function png(img: RgbImage): Promise<Buffer> {
  return sharp(img.data, { raw: { width: img.width, height: img.height, channels: 3 } })
    .png()
    .toBuffer();
}

test('PNG decodes to the exact pixels; grey and RGBA become RGB', async () => {
  const rng = new Rng(3);
  const img = image(7, 5, () => rng.int(256));
  const back = await decodeImage(await png(img), 'mem.png');
  assert.deepEqual([back.width, back.height], [7, 5]);
  assert.deepEqual(back.data, img.data);
  const grey = await sharp(Buffer.from([10, 20, 30, 40]), { raw: { width: 2, height: 2, channels: 1 } })
    .png()
    .toBuffer();
  assert.deepEqual([...(await decodeImage(grey, 'grey.png')).data.subarray(0, 6)], [10, 10, 10, 20, 20, 20]);
  const rgba = await sharp(Buffer.from([1, 2, 3, 0, 4, 5, 6, 255]), { raw: { width: 2, height: 1, channels: 4 } })
    .png()
    .toBuffer();
  assert.deepEqual([...(await decodeImage(rgba, 'rgba.png')).data], [1, 2, 3, 4, 5, 6]);
});

test('a truncated PNG or JPEG fails with an error naming the file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mm1-img-'));
  const full = await png(image(32, 32, (x, y) => (x * y) & 255));
  const path = join(dir, 'cut.png');
  writeFileSync(path, full.subarray(0, full.length >> 1));
  await assert.rejects(readImageFile(path), (e: Error) => e.message.includes(path) && /corrupt, truncated/.test(e.message));
  const jpg = await sharp(full).jpeg().toBuffer();
  const jpath = join(dir, 'cut.jpg');
  writeFileSync(jpath, jpg.subarray(0, jpg.length - 40));
  await assert.rejects(readImageFile(jpath), (e: Error) => e.message.includes(jpath));
  await assert.rejects(readImageFile(join(dir, 'missing.png')), /Cannot read image file .*missing\.png/);
});

test('bicubic 4→2 matches the Pillow arithmetic worked by hand', () => {
  // Shrinking by 2 widens the Keys kernel (a = -0.5) to support 4. For output 0 (centre 1.0)
  // the taps on inputs 0..3 sit at x = -0.25, 0.25, 0.75, 1.25 with weights
  // 0.8671875, 0.8671875, 0.2265625, -0.0703125 (sum 1.890625); output 1 mirrors them.
  // Row [0, 100, 200, 255]: out0 = (86.71875 + 45.3125 - 17.9296875) / 1.890625 = 60.35 → 60,
  //                         out1 = (22.65625 + 173.4375 + 221.1328125) / 1.890625 = 220.68 → 221.
  const row = [0, 100, 200, 255];
  const out = resizeBicubic(
    image(4, 1, (x) => row[x]),
    2,
    1,
  );
  assert.deepEqual([...out.data], [60, 60, 60, 221, 221, 221]);
  // Same along columns (the vertical pass).
  const col = resizeBicubic(
    image(1, 4, (_x, y) => row[y]),
    1,
    2,
  );
  assert.deepEqual([...col.data], [60, 60, 60, 221, 221, 221]);
});

test('bicubic keeps flat images flat and clamps overshoot to 0..255', () => {
  const flat = resizeBicubic(
    image(7, 5, () => 37),
    3,
    9,
  );
  assert.ok(flat.data.every((v) => v === 37));
  // A hard 0→255 edge upscaled overshoots (negative lobes); values must stay in range and
  // the far ends keep their values.
  const edge = resizeBicubic(
    image(4, 1, (x) => (x < 2 ? 0 : 255)),
    16,
    1,
  );
  assert.equal(edge.data[0], 0);
  assert.equal(edge.data[15 * 3], 255);
});

test('toSquare: crop keeps the centre, pad fills with the CLIP mean colour', () => {
  const wide = image(8, 4, (x, y, c) => x * 10 + y + c * 100);
  const cropped = toSquare(wide, 4, 'crop'); // short side already 4: no resize, crop columns 2..5
  assert.deepEqual(cropped, centerCrop(wide, 4, 4));
  assert.equal(cropped.data[0], 20); // pixel (0,0) = source (2,0)
  assert.equal(cropped.data[(1 * 4 + 3) * 3 + 2], 251); // (3,1) ← source (5,1), blue: 50 + 1 + 200
  const padded = padToSquare(image(4, 2, () => 9));
  assert.deepEqual([padded.width, padded.height], [4, 4]);
  assert.deepEqual([...padded.data.subarray(0, 3)], [123, 117, 104]); // row 0 is padding
  assert.deepEqual([...padded.data.subarray(4 * 3, 4 * 3 + 3)], [9, 9, 9]); // row 1 is image
  assert.deepEqual([...padded.data.subarray(3 * 4 * 3, 3 * 4 * 3 + 3)], [123, 117, 104]);
});

test('normalizeClip writes CHW floats (pixel/255 - mean) / std', () => {
  const out = normalizeClip(image(2, 1, (x, _y, c) => (x === 0 ? [255, 0, 128][c] : 0)));
  assert.equal(out.length, 6);
  // Channel planes: R = [out[0], out[1]], G = [out[2], out[3]], B = [out[4], out[5]].
  const expected = [1.930336254, -1.792262534, -1.752097128, -1.752097128, 0.339948643, -1.480219769];
  expected.forEach((v, i) => assert.ok(Math.abs(out[i] - v) < 1e-5, `index ${i}: ${out[i]} vs ${v}`));
});

test('a valid image too large to decode is called too large (with its size), not corrupt', async () => {
  // A PNG header claiming 20000×20000 pixels: valid, and over sharp's decompression-bomb limit.
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(20000, 0);
  ihdr.writeUInt32BE(20000, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const png = Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc(0))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
  await assert.rejects(decodeImage(png, 'huge.png'), (err: Error) => {
    assert.match(err.message, /^Image huge\.png is 20000×20000 = 400000000 pixels, over the \d+ pixels mm1 decodes\. Downscale it first/);
    assert.doesNotMatch(err.message, /corrupt/);
    return true;
  });
});
