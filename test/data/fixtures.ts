// Tiny on-disk fixtures for the format readers, written to os.tmpdir().
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { pack } from 'tar-stream';
import type { RgbImage } from '../../src/data/document.js';

export function tempDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `mm1-${label}-`));
}

/** A width×height image whose every pixel is (r, g, b). */
export function solid(width: number, height: number, rgb: [number, number, number]): RgbImage {
  const data = new Uint8Array(width * height * 3);
  for (let i = 0; i < width * height; i++) data.set(rgb, i * 3);
  return { width, height, data };
}

export async function pngBytes(img: RgbImage): Promise<Buffer> {
  return sharp(img.data, { raw: { width: img.width, height: img.height, channels: 3 } })
    .png()
    .toBuffer();
}

/** Write a solid-colour PNG and return its pixels. */
export async function writePng(path: string, rgb: [number, number, number], width = 4, height = 3): Promise<RgbImage> {
  const img = solid(width, height, rgb);
  writeFileSync(path, await pngBytes(img));
  return img;
}

export async function writeTar(path: string, entries: [string, Buffer | string][]): Promise<void> {
  const tar = pack();
  for (const [name, body] of entries) tar.entry({ name }, body);
  tar.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of tar) chunks.push(chunk as Buffer);
  writeFileSync(path, Buffer.concat(chunks));
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}
