// OBELICS-style interleaved documents in parquet (the layout of the HF OBELICS dataset:
// list<string> `texts`, and `images` as list<string> paths, list<binary> bytes or
// list<struct{bytes, path}>). Rows are read in chunks so a large shard is never fully in
// memory; row rules are shared with the JSON Lines reader (obelics.ts).

import { basename } from 'node:path';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects, parquetSchema } from 'hyparquet';
import type { Document } from '../document.js';
import { obelicsRowToDocument, type ObelicsOptions } from './obelics.js';
import { readShards, type Reader, type ShardRecords } from './reader.js';

export interface ObelicsParquetOptions extends ObelicsOptions {
  /** Rows decoded per chunk (default 256). */
  chunkRows?: number;
}

/** The records of one OBELICS parquet shard from row `from` on (offset = row index), decoded lazily. */
export function obelicsParquetRecords(options: ObelicsParquetOptions = {}): ShardRecords<Document> {
  return async function* (path, from) {
    let file;
    let rows: number;
    let columns: string[];
    try {
      file = await asyncBufferFromFile(path);
      const metadata = await parquetMetadataAsync(file);
      rows = Number(metadata.num_rows);
      columns = parquetSchema(metadata).children.map((c) => c.element.name);
    } catch (err) {
      throw new Error(`${path}: not a readable parquet file (${(err as Error).message}).`);
    }
    const missing = ['texts', 'images'].filter((c) => !columns.includes(c));
    if (missing.length > 0) {
      throw new Error(`${path}: missing column(s) ${missing.join(', ')} (has ${columns.join(', ')}). Fix: write "texts" and "images" list columns.`);
    }
    const wanted = columns.includes('id') ? ['texts', 'images', 'id'] : ['texts', 'images'];
    const chunk = options.chunkRows ?? 256;
    for (let start = Math.max(from, 0); start < rows; start += chunk) {
      // utf8: false keeps un-annotated binary (image bytes) as Uint8Array; UTF8 strings stay strings.
      const batch = await parquetReadObjects({ file, columns: wanted, rowStart: start, rowEnd: Math.min(start + chunk, rows), utf8: false });
      for (let i = 0; i < batch.length; i++) {
        const row = batch[i] as Record<string, unknown>;
        const offset = start + i;
        const where = `row ${offset}`;
        const id = typeof row.id === 'string' || typeof row.id === 'number' ? String(row.id) : `${basename(path)}:${offset}`;
        yield { offset, where, load: () => obelicsRowToDocument(row, `obelics:${id}`, `${path} ${where}`, options.imageRoot ?? '.', options.decode) };
      }
    }
  };
}

/** Interleaved documents from one parquet file, in row order. */
export function readObelicsParquet(path: string, options: ObelicsParquetOptions = {}): Reader<Document> {
  return readShards(path, [path], obelicsParquetRecords(options), options);
}
