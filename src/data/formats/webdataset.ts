// WebDataset tar shards of image-caption pairs. A sample is the run of consecutive tar
// entries sharing a key: the path up to the first dot of the file name, so
// "shard/000123.jpg" + "shard/000123.txt" form sample "shard/000123". The image is the
// jpg/jpeg/png/webp member; the caption is the txt member, or the "caption"/"text" field of
// the json member.

import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import { extract } from 'tar-stream';
import type { Document } from '../document.js';
import { decodeImage, type DecodeOptions } from '../image.js';
import { readShards, type ReadOptions, type Reader, type ShardRecords } from './reader.js';

const IMAGE_EXTENSIONS = ['jpg', 'jpeg', 'png', 'webp'];

interface Sample {
  key: string;
  /** Index of the sample in its shard (0-based): its offset for a resumed read. */
  index: number;
  /** Index of the sample's first tar entry (0-based), for error messages. */
  entry: number;
  members: Map<string, Buffer>;
}

function splitName(name: string): { key: string; ext: string } {
  const slash = name.lastIndexOf('/');
  const dot = name.indexOf('.', slash + 1);
  return dot < 0 ? { key: name, ext: '' } : { key: name.slice(0, dot), ext: name.slice(dot + 1).toLowerCase() };
}

/** Samples of one shard from sample `from` on, streamed (tar members are read one at a
 *  time; members of samples before `from` are drained without being kept). */
async function* samples(path: string, from: number): AsyncGenerator<Sample> {
  const tar = extract();
  createReadStream(path)
    .on('error', (err) => tar.destroy(new Error(`Cannot read ${path}: ${err.message}`)))
    .pipe(tar);
  let current: Sample | undefined;
  let lastKey: string | undefined;
  let index = -1;
  let entry = 0;
  try {
    for await (const member of tar) {
      const isFile = member.header.type === 'file';
      const { key, ext } = splitName(member.header.name);
      if (isFile && key !== lastKey) {
        if (current) yield current;
        current = undefined;
        lastKey = key;
        index++;
      }
      if (!isFile || index < from) {
        for await (const chunk of member) void chunk; // drain: the tar stream moves on only once a member is read
      } else {
        const chunks: Buffer[] = [];
        for await (const chunk of member) chunks.push(chunk as Buffer);
        current ??= { key, index, entry, members: new Map() };
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
      `no caption (members: ${[...sample.members.keys()].join(', ')}). ` + `Fix: add ${sample.key}.txt, or a ${sample.key}.json with a "caption" field.`,
    );
  }
  return caption.trim();
}

/** Check one sample and decode its image into a caption Document. */
async function sampleToDocument(path: string, sample: Sample, decode: DecodeOptions): Promise<Document> {
  const ext = IMAGE_EXTENSIONS.find((e) => sample.members.has(e));
  if (!ext) {
    throw new Error(`no image member (has: ${[...sample.members.keys()].join(', ')}). Fix: each sample needs one of ${IMAGE_EXTENSIONS.join('/')}.`);
  }
  const caption = captionOf(sample);
  const image = await decodeImage(sample.members.get(ext)!, `${path}:${sample.key}.${ext}`, decode);
  return {
    source: 'caption',
    id: `wds:${basename(path)}:${sample.key}`,
    segments: [
      { kind: 'image', image },
      { kind: 'text', text: caption },
    ],
  };
}

/** The samples of one shard from sample `from` on (offset = sample index), decoded lazily. */
export function webDatasetRecords(decode: DecodeOptions = {}): ShardRecords<Document> {
  return async function* (path, from) {
    for await (const sample of samples(path, from)) {
      yield {
        offset: sample.index,
        where: `sample '${sample.key}' (tar entry ${sample.entry})`,
        load: () => sampleToDocument(path, sample, decode),
      };
    }
  };
}

/** Caption documents from one or more WebDataset shards, in shard and tar order. */
export function readWebDataset(shards: string | string[], options: ReadOptions = {}): Reader<Document> {
  const paths = Array.isArray(shards) ? shards : [shards];
  return readShards(paths.join(', '), paths, webDatasetRecords(), options);
}
