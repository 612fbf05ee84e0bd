// WebDataset tar shards of image-caption pairs. A sample is the run of consecutive tar
// entries sharing a key: the path up to the first dot of the file name, so
// "shard/000123.jpg" + "shard/000123.txt" form sample "shard/000123". The image is the
// jpg/jpeg/png/webp member; the caption is the txt member, or the "caption"/"text" field of
// the json member.

import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { extract } from 'tar-stream';
import type { Document } from '../document.js';
import { decodeImage } from '../image.js';
import { makeReader, type ReadOptions, type Reader } from './reader.js';

const IMAGE_EXTENSIONS = ['jpg', 'jpeg', 'png', 'webp'];

interface Sample {
  key: string;
  /** Index of the sample's first tar entry (0-based), for error messages. */
  entry: number;
  members: Map<string, Buffer>;
}

function splitName(name: string): { key: string; ext: string } {
  const slash = name.lastIndexOf('/');
  const dot = name.indexOf('.', slash + 1);
  return dot < 0 ? { key: name, ext: '' } : { key: name.slice(0, dot), ext: name.slice(dot + 1).toLowerCase() };
}

/** Samples of one shard, streamed (tar members are read one at a time). */
async function* samples(path: string): AsyncGenerator<Sample> {
  const tar = extract();
  createReadStream(path)
    .on('error', (err) => tar.destroy(new Error(`Cannot read ${path}: ${err.message}`)))
    .pipe(tar);
  let current: Sample | undefined;
  let entry = 0;
  try {
    for await (const member of tar) {
      const chunks: Buffer[] = [];
      for await (const chunk of member) chunks.push(chunk as Buffer);
      if (member.header.type === 'file') {
        const { key, ext } = splitName(member.header.name);
        if (current && current.key !== key) {
          yield current;
          current = undefined;
        }
        current ??= { key, entry, members: new Map() };
        current.members.set(ext, Buffer.concat(chunks));
      }
      entry++;
    }
  } catch (err) {
    throw new Error(`${path}: not a readable tar shard after entry ${entry} (${(err as Error).message}). The file is truncated or not a tar.`);
  }
  if (current) yield current;
}

function captionOf(sample: Sample): string {
  const txt = sample.members.get('txt');
  let caption: unknown = txt?.toString('utf8');
  const json = sample.members.get('json');
  if (caption === undefined && json) {
    let meta: Record<string, unknown>;
    try {
      meta = JSON.parse(json.toString('utf8'));
    } catch (err) {
      throw new Error(`${sample.key}.json is not valid JSON (${(err as Error).message}).`);
    }
    caption = meta?.caption ?? meta?.text;
  }
  if (typeof caption !== 'string' || caption.trim() === '') {
    throw new Error(
      `no caption (members: ${[...sample.members.keys()].join(', ')}). ` +
        `Fix: add ${sample.key}.txt, or a ${sample.key}.json with a "caption" field.`,
    );
  }
  return caption.trim();
}

/** Caption documents from one or more WebDataset shards, in shard and tar order. */
export function readWebDataset(shards: string | string[], options: ReadOptions = {}): Reader<Document> {
  const paths = Array.isArray(shards) ? shards : [shards];
  return makeReader(paths.join(', '), options, async function* (tryRecord) {
    for (const path of paths) {
      for await (const sample of samples(path)) {
        const where = `${basename(path)} sample '${sample.key}' (tar entry ${sample.entry})`;
        const doc = await tryRecord(where, async (): Promise<Document> => {
          const ext = IMAGE_EXTENSIONS.find((e) => sample.members.has(e));
          if (!ext) {
            throw new Error(
              `no image member (has: ${[...sample.members.keys()].join(', ')}). Fix: each sample needs one of ${IMAGE_EXTENSIONS.join('/')}.`,
            );
          }
          const caption = captionOf(sample);
          const image = await decodeImage(sample.members.get(ext)!, `${path}:${sample.key}.${ext}`);
          return {
            source: 'caption',
            id: `wds:${basename(path)}:${sample.key}`,
            segments: [
              { kind: 'image', image },
              { kind: 'text', text: caption },
            ],
          };
        });
        if (doc) yield doc;
      }
    }
  });
}
