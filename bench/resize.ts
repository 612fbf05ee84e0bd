// Resize benchmark: the hand-written Pillow-style bicubic (src/data/resize.ts) versus
// sharp's 'cubic' kernel through a raw-buffer round trip, for small in-memory images.
// Part of `npm run bench` (bench/run.ts); alone: node --import tsx bench/resize.ts
import sharp from 'sharp';
import { resizeBicubic } from '../src/data/resize.js';
import type { RgbImage } from '../src/data/document.js';
import { Rng } from '../src/engine/rng.js';

function randomImage(size: number, rng: Rng): RgbImage {
  const data = new Uint8Array(size * size * 3);
  for (let i = 0; i < data.length; i++) data[i] = rng.int(256);
  return { width: size, height: size, data };
}

async function sharpResize(img: RgbImage, out: number): Promise<RgbImage> {
  const raw = { width: img.width, height: img.height, channels: 3 as const };
  const buf = await sharp(img.data, { raw }).resize(out, out, { kernel: 'cubic', fit: 'fill' }).raw().toBuffer();
  return { width: out, height: out, data: new Uint8Array(buf.buffer, buf.byteOffset, buf.length) };
}

async function msPer(reps: number, fn: () => unknown): Promise<number> {
  for (let i = 0; i < 20; i++) await fn(); // warm-up (JIT, libvips caches)
  const t0 = performance.now();
  for (let i = 0; i < reps; i++) await fn();
  return Number(((performance.now() - t0) / reps).toFixed(4));
}

/** Milliseconds per square RGB image resize, TypeScript bicubic vs sharp cubic. */
export async function benchResize(): Promise<Record<string, unknown>[]> {
  const rng = new Rng(1);
  const results: Record<string, unknown>[] = [];
  for (const [from, to] of [
    [128, 64],
    [64, 128],
    [640, 336],
  ] as const) {
    const img = randomImage(from, rng);
    const reps = from >= 640 ? 20 : 500;
    const tsMs = await msPer(reps, () => resizeBicubic(img, to, to));
    const sharpMs = await msPer(reps, () => sharpResize(img, to));
    results.push({ from, to, tsBicubicMs: tsMs, sharpCubicMs: sharpMs });
  }
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await benchResize()) console.log(JSON.stringify(r));
}
