// Pretraining data from files: one sharded source per mixture component with a positive
// weight — WebDataset caption shards, OBELICS-style interleaved documents (JSON Lines or
// parquet), text JSON Lines — read lazily with resumable places (data/formats/sharded_source.ts).
// The counterpart of world_data.ts; the config is checked by file_data_check.ts.
import type { DataSource, SkipLimit } from '../data/batches.js';
import type { Document } from '../data/document.js';
import type { DecodeOptions } from '../data/image.js';
import { obelicsJsonlRecords } from '../data/formats/obelics.js';
import { obelicsParquetRecords } from '../data/formats/obelics_parquet.js';
import type { ShardRecords } from '../data/formats/reader.js';
import { shardedSource } from '../data/formats/sharded_source.js';
import { expandShards } from '../data/formats/shards.js';
import { textJsonlRecords } from '../data/formats/text_jsonl.js';
import { webDatasetRecords } from '../data/formats/webdataset.js';
import { pretrainWeights } from '../data/mixture.js';
import { DEFAULT_MAX_SKIP_RATE, type DataConfig, type DataFiles } from './config.js';

/** Records a source must have seen before its skip rate can stop a run (or one whole pass, if shorter). */
export const SKIP_RATE_MIN_RECORDS = 100;

export function recordsOf(kind: keyof DataFiles, files: NonNullable<DataFiles[keyof DataFiles]>, decode: DecodeOptions): ShardRecords<Document> {
  switch (files.format) {
    case 'webdataset':
      return webDatasetRecords(decode);
    case 'text-jsonl':
      return textJsonlRecords;
    case 'obelics-jsonl':
    case 'obelics-parquet': {
      const imageRoot = 'imageRoot' in files ? files.imageRoot : undefined;
      return files.format === 'obelics-jsonl' ? obelicsJsonlRecords({ imageRoot, decode }) : obelicsParquetRecords({ imageRoot, decode });
    }
    default:
      throw new Error(`data.files.${kind}: unknown format ${JSON.stringify((files as { format: unknown }).format)}`);
  }
}

/**
 * How file sources decode pictures for a model whose preprocessing resizes to at most
 * `imageSide` pixels (encoder resolution × sub-image grid): shrunk while decoding to twice
 * that, so the exact bicubic resize of data/resize.ts starts from a small image instead of a
 * full photo (bench/real_data.ts measures both).
 */
export function decodeForModel(imageSide: number): DecodeOptions {
  return { maxShortSide: 2 * imageSide };
}

/** One source per component with a positive weight; the shard lists are expanded (and checked) here, once. */
export function fileSources(data: DataConfig, decode: DecodeOptions = {}): DataSource[] {
  const weights = pretrainWeights(data.mixture);
  const kinds = (['interleaved', 'caption', 'text'] as const).filter((k) => weights[k]);
  if (kinds.length === 0) throw new Error('data.mixture: every weight is zero; give at least one of interleaved, caption, text a positive weight');
  return kinds.map((kind) => {
    const files = data.files?.[kind];
    if (!files) throw new Error(`data.files.${kind}: no files for a component of weight ${weights[kind]}; see docs/data.md`);
    return shardedSource({
      name: kind,
      weight: weights[kind]!,
      shards: expandShards(files.path, `data.files.${kind}.path`),
      records: recordsOf(kind, files, decode),
      seed: data.seed,
    });
  });
}

export function skipLimit(data: DataConfig): SkipLimit {
  return { maxRate: data.maxSkipRate ?? DEFAULT_MAX_SKIP_RATE, minRecords: SKIP_RATE_MIN_RECORDS };
}
