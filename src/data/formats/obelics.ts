// OBELICS-style interleaved documents: parallel lists `texts` and `images` of equal length
// where exactly one of the two is non-null at each position, in reading order:
//   {"texts": ["A cat.", null, "It sleeps."], "images": [null, "img/cat.jpg", null]}
// An image entry is a path (relative to imageRoot), raw bytes (parquet binary), or a
// Hugging Face Image struct {bytes, path} (bytes as base64 text in JSON Lines).
// This file reads JSON Lines; obelics_parquet.ts reads parquet with the same row rules.

import { basename } from 'node:path';
import type { Document, Segment } from '../document.js';
import { decodeImage, readImageFile, type DecodeOptions } from '../image.js';
import { jsonLineRecords, parseJsonLine, readShards, resolveImagePath, type ReadOptions, type Reader, type ShardRecords } from './reader.js';

export interface ObelicsOptions extends ReadOptions {
  /** Folder that relative image paths are resolved against. */
  imageRoot?: string;
  /** How images are decoded (e.g. shrunk while decoding for a known model resolution). */
  decode?: DecodeOptions;
}

const ROW_SHAPE = 'with parallel "texts" and "images" lists (one non-null entry per position)';

function imageBytes(entry: unknown): Uint8Array | undefined {
  if (entry instanceof Uint8Array) return entry;
  const bytes = (entry as { bytes?: unknown } | null)?.bytes;
  if (bytes instanceof Uint8Array) return bytes;
  if (typeof bytes === 'string') return Buffer.from(bytes, 'base64');
  return undefined;
}

function imagePath(entry: unknown): string | undefined {
  if (typeof entry === 'string') return entry;
  const path = (entry as { path?: unknown } | null)?.path;
  return typeof path === 'string' ? path : undefined;
}

/** Check one row and decode its images into a Document; `where` names the row for errors. */
export async function obelicsRowToDocument(
  row: Record<string, unknown>,
  id: string,
  where: string,
  imageRoot: string,
  decode: DecodeOptions = {},
): Promise<Document> {
  const { texts, images } = row;
  if (!Array.isArray(texts) || !Array.isArray(images)) {
    throw new Error(`expected a row ${ROW_SHAPE}; got fields ${Object.keys(row).join(', ') || 'none'}.`);
  }
  if (texts.length !== images.length) {
    throw new Error(`"texts" has ${texts.length} entries but "images" has ${images.length}; they must be parallel. Fix: pad the shorter list with nulls.`);
  }
  const segments: Segment[] = [];
  for (let i = 0; i < texts.length; i++) {
    const t = texts[i];
    const img = images[i];
    if ((t == null) === (img == null)) {
      throw new Error(
        `position ${i} has ${t == null ? 'neither a text nor an image' : 'both a text and an image'}. ` +
          `Fix: exactly one of texts[${i}] / images[${i}] must be non-null.`,
      );
    }
    if (t != null) {
      if (typeof t !== 'string') throw new Error(`texts[${i}] must be a string, got ${typeof t}.`);
      segments.push({ kind: 'text', text: t });
      continue;
    }
    const bytes = imageBytes(img);
    const path = imagePath(img);
    if (bytes) {
      segments.push({ kind: 'image', image: await decodeImage(bytes, `${where} images[${i}]`, decode) });
    } else if (path !== undefined) {
      segments.push({ kind: 'image', image: await readImageFile(resolveImagePath(imageRoot, path), decode) });
    } else {
      throw new Error(`images[${i}] must be a path, bytes or {bytes, path}; got ${JSON.stringify(img).slice(0, 60)}.`);
    }
  }
  if (segments.length === 0) throw new Error('empty document (no texts, no images). Fix: remove the row.');
  return { source: 'interleaved', id, segments };
}

/** The records of one OBELICS JSON Lines shard (offset = line number), parsed and decoded lazily. */
export function obelicsJsonlRecords(options: ObelicsOptions = {}): ShardRecords<Document> {
  return jsonLineRecords((text, line, path) => {
    const row = parseJsonLine(text, ROW_SHAPE);
    const id = typeof row.id === 'string' || typeof row.id === 'number' ? String(row.id) : `${basename(path)}:${line}`;
    return obelicsRowToDocument(row, `obelics:${id}`, `${path} line ${line}`, options.imageRoot ?? '.', options.decode);
  });
}

/** Interleaved documents from a JSON Lines file, one row per line. */
export function readObelicsJsonl(path: string, options: ObelicsOptions = {}): Reader<Document> {
  return readShards(path, [path], obelicsJsonlRecords(options), options);
}
