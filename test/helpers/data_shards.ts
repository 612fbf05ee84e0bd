// Pretraining shards in the three file formats `mm1 pretrain` reads, written by the tests
// (and the loader bench): WebDataset caption tars of JPEG/PNG + .txt/.json, OBELICS-style
// parquet with image bytes or image paths, and text JSON Lines. Captions use world words so
// the world tokenizer knows them; each picture's colour is named in its caption, so there is
// something to learn from the image. `broken` plants the failures a real corpus has: a
// truncated JPEG, a malformed JSON line, an image path that does not exist.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { pack } from 'tar-stream';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { Rng } from '../../src/engine/rng.js';

const COLOURS: Record<string, [number, number, number]> = { red: [220, 30, 30], green: [30, 200, 40], blue: [30, 60, 220], yellow: [230, 220, 40] };
const NAMES = Object.keys(COLOURS);
const SHAPES = ['circle', 'square', 'triangle', 'star'];

export interface ShardSetOptions {
  dir: string;
  /** Shards per format. */
  shards: number;
  /** Records per shard. */
  perShard: number;
  /** Picture size [width, height]; not square by default, as photographs are not. */
  size?: [number, number];
  /** Add per-pixel noise (incompressible: shards of a chosen size on disk). */
  noise?: boolean;
  /** Every k-th record of each shard broken in its format's way (0 = none). */
  brokenEvery?: number;
  seed?: number;
}

export interface ShardSet {
  webdataset: string;
  obelicsParquet: string;
  obelicsJsonl: string;
  text: string;
  /** Records written broken, per format. */
  broken: { webdataset: number; obelicsParquet: number; obelicsJsonl: number; text: number };
}

async function picture(colour: string, [w, h]: [number, number], rng: Rng, noise: boolean, format: 'jpeg' | 'png'): Promise<Buffer> {
  const [r, g, b] = COLOURS[colour];
  const data = Buffer.alloc(w * h * 3);
  for (let i = 0; i < w * h; i++) {
    const n = noise ? rng.int(61) - 30 : 0;
    data[3 * i] = Math.max(0, Math.min(255, r + n));
    data[3 * i + 1] = Math.max(0, Math.min(255, g + n));
    data[3 * i + 2] = Math.max(0, Math.min(255, b + n));
  }
  const img = sharp(data, { raw: { width: w, height: h, channels: 3 } });
  return format === 'jpeg' ? img.jpeg({ quality: 90 }).toBuffer() : img.png().toBuffer();
}

function caption(colour: string, rng: Rng): string {
  return `a ${colour} ${SHAPES[rng.int(SHAPES.length)]} .`;
}

async function tarBuffer(entries: [string, Buffer | string][]): Promise<Buffer> {
  const tar = pack();
  for (const [name, body] of entries) tar.entry({ name }, body);
  tar.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of tar) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const list = (name: string, leaf: object[]) => [
  { name, repetition_type: 'OPTIONAL', converted_type: 'LIST', num_children: 1 },
  { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
  ...leaf,
];

/** Writes <dir>/{wds,obelics,text}/… and returns a glob per format. */
export async function writeShardSet(o: ShardSetOptions): Promise<ShardSet> {
  const size = o.size ?? [48, 32];
  const rng = new Rng(o.seed ?? 1);
  const noise = o.noise ?? false;
  const isBroken = (i: number) => (o.brokenEvery ?? 0) > 0 && i % o.brokenEvery! === o.brokenEvery! - 1;
  const broken = { webdataset: 0, obelicsParquet: 0, obelicsJsonl: 0, text: 0 };
  for (const sub of ['wds', 'obelics', 'text', 'images']) mkdirSync(join(o.dir, sub), { recursive: true });
  const onDisk = join(o.dir, 'images', 'on-disk.png');
  writeFileSync(onDisk, await picture('green', size, rng, noise, 'png'));
  for (let s = 0; s < o.shards; s++) {
    const shard = String(s).padStart(4, '0');
    const entries: [string, Buffer | string][] = [];
    const texts: (string | null)[][] = [];
    const images: ({ bytes: Uint8Array | null; path: string | null } | null)[][] = [];
    const lines: string[] = [];
    const textLines: string[] = [];
    for (let i = 0; i < o.perShard; i++) {
      const colour = NAMES[rng.int(NAMES.length)];
      const key = `${shard}/${String(i).padStart(6, '0')}`;
      const jpeg = await picture(colour, size, rng, noise, 'jpeg');
      const bad = isBroken(i);
      // WebDataset: a truncated JPEG when broken; captions alternate between .txt and .json.
      entries.push([`${key}.jpg`, bad ? jpeg.subarray(0, jpeg.length >> 1) : jpeg]);
      entries.push(i % 2 ? [`${key}.txt`, caption(colour, rng)] : [`${key}.json`, JSON.stringify({ caption: caption(colour, rng) })]);
      broken.webdataset += bad ? 1 : 0;
      // OBELICS parquet: text, image bytes, text, image path (a missing file when broken).
      const second = NAMES[rng.int(NAMES.length)];
      texts.push([`here is a ${colour} picture .`, null, `then a green one .`, null]);
      images.push([null, { bytes: new Uint8Array(jpeg), path: null }, null, { bytes: null, path: bad ? 'images/missing.png' : 'images/on-disk.png' }]);
      broken.obelicsParquet += bad ? 1 : 0;
      // OBELICS JSON Lines: the same document with base64 bytes; a cut-off line when broken.
      // (a small picture: base64 PNG would make this format the bulk of a large set)
      const line = JSON.stringify({
        id: key,
        texts: [`a ${second} one :`, null],
        images: [null, { bytes: (await picture(second, [16, 12], rng, false, 'png')).toString('base64') }],
      });
      lines.push(bad ? line.slice(0, 40) : line);
      broken.obelicsJsonl += bad ? 1 : 0;
      // Text JSON Lines: a line that is not JSON when broken.
      textLines.push(bad ? '{"text": "the red' : JSON.stringify({ text: `the ${colour} ${SHAPES[rng.int(4)]} is next to the ${second} one .` }));
      broken.text += bad ? 1 : 0;
    }
    writeFileSync(join(o.dir, 'wds', `${shard}.tar`), await tarBuffer(entries));
    const schema = [
      { name: 'root', num_children: 2 },
      ...list('texts', [{ name: 'element', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' }]),
      // Hugging Face's Image layout: {bytes, path} per image.
      ...list('images', [
        { name: 'element', repetition_type: 'OPTIONAL', num_children: 2 },
        { name: 'bytes', type: 'BYTE_ARRAY', repetition_type: 'OPTIONAL' },
        { name: 'path', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
      ]),
    ];
    writeFileSync(
      join(o.dir, 'obelics', `${shard}.parquet`),
      new Uint8Array(
        parquetWriteBuffer({
          columnData: [
            { name: 'texts', data: texts },
            { name: 'images', data: images },
          ],
          schema: schema as never,
          rowGroupSize: 64,
        }),
      ),
    );
    writeFileSync(join(o.dir, 'obelics', `${shard}.jsonl`), lines.join('\n') + '\n');
    writeFileSync(join(o.dir, 'text', `${shard}.jsonl`), textLines.join('\n') + '\n');
  }
  return {
    webdataset: join(o.dir, 'wds', '*.tar'),
    obelicsParquet: join(o.dir, 'obelics', '*.parquet'),
    obelicsJsonl: join(o.dir, 'obelics', '*.jsonl'),
    text: join(o.dir, 'text', '*.jsonl'),
    broken,
  };
}
