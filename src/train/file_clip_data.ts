// The CLIP stage on your files: image–caption pairs from the caption shards of a file data
// config (data.files.caption, WebDataset), read as pretraining reads them — shards in an order
// shuffled per pass with data.seed, records in file order, pictures decoded shrunk to twice the
// encoder side and preprocessed as the model's — broken records skipped, listed in the stage's
// own skipped.jsonl and held to data.maxSkipRate as the pretraining stream is. The stage is
// all or nothing (clip_pretrain.ts keeps its weights once trained, and a stopped stage starts
// over), so it needs no cursor: run again, it reads the same pairs from the start.
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { checkSkipRate, type SkipNote, type SourceYield } from '../data/batches.js';
import type { Document, RgbImage } from '../data/document.js';
import { shardedSource } from '../data/formats/sharded_source.js';
import { expandShards } from '../data/formats/shards.js';
import type { ImagePreprocessConfig } from '../data/subimage.js';
import type { Mm1Tokenizer } from '../data/tokenizer.js';
import { clipTensors } from './clip_data.js';
import type { ClipPairBatches } from './clip_pretrain.js';
import type { DataConfig } from './config.js';
import { decodeForModel, recordsOf, skipLimit } from './file_data.js';
import { SkipLog } from './skip_log.js';

export interface FileClipPairOptions {
  data: DataConfig;
  tokenizer: Mm1Tokenizer;
  /** The model's picture preprocessing (data/subimage.ts modelPreprocess); one crop per picture. */
  image: ImagePreprocessConfig;
  /** The stage's directory: its skipped.jsonl goes there. */
  out: string;
  quiet?: boolean;
}

type Pair = { image: RgbImage; caption: string };

/** The stage's batches from data.files.caption; refuses a config that names no caption shards. */
export function fileClipPairs(o: FileClipPairOptions): ClipPairBatches {
  const files = o.data.files?.caption;
  if (!files)
    throw new Error(
      'encoder.clipSteps: the CLIP stage on files reads image–caption pairs from data.files.caption, but it names no shards. Fix: add --webdataset SHARDS (or data.files.caption), or set --clip-steps 0.',
    );
  const shards = expandShards(files.path, 'data.files.caption.path');
  const source = shardedSource({
    name: 'caption',
    weight: 1,
    shards,
    records: recordsOf('caption', files, decodeForModel(o.image.resolution)),
    seed: o.data.seed,
  });
  const limit = skipLimit(o.data);
  mkdirSync(o.out, { recursive: true });
  const log = new SkipLog(o.out, o.quiet);
  const counts = { read: 0, skipped: 0 };

  function skip(note: SkipNote, epoch: number): void {
    counts.skipped++;
    log.add([note]);
    checkSkipRate(counts, limit, epoch, { who: "CLIP stage, source 'caption'", last: note, listedIn: `${o.out}/skipped.jsonl` });
  }

  async function* pairs(): AsyncGenerator<Pair> {
    for (let epoch = 0; ; epoch++) {
      const before = counts.read;
      const opened = source.open(0, epoch);
      if (!(Symbol.asyncIterator in opened)) throw new Error('fileClipPairs: the sharded source is expected to be an async iterable');
      for await (const y of opened as AsyncIterable<SourceYield<Document>>) {
        if ('skipped' in y) {
          const { shard, offset, where, reason } = y.skipped;
          skip({ source: 'caption', shard, offset, where, reason }, epoch);
          continue;
        }
        const doc = 'item' in y ? y.item : y;
        const image = doc.segments.find((s) => s.kind === 'image');
        const text = doc.segments.find((s) => s.kind === 'text');
        if (!image || !text) continue; // the WebDataset reader only yields samples with both; skips arrive above
        counts.read++;
        yield { image: image.image, caption: text.text };
      }
      if (counts.read === before)
        throw new Error(
          `data.files.caption: a whole pass over its ${shards.length} shard(s) gave no readable image–caption pair; the CLIP stage has nothing to train on.`,
        );
    }
  }

  const stream = pairs();
  // Names the pairs in the stage's settings, so a stage trained on other shards (or another order) is not reused.
  const id = `files:${createHash('sha256').update(shards.join('\n')).digest('hex').slice(0, 16)}:seed${o.data.seed}`;
  return {
    id,
    async next(B: number) {
      const batch: Pair[] = [];
      while (batch.length < B) batch.push((await stream.next()).value as Pair);
      return clipTensors(batch, o.tokenizer, o.image);
    },
  };
}
