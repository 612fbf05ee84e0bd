// The data pipeline the trainer pulls from: per sequence, the mixture picks a source; the
// row is filled with that source's documents (tokenised, image runs inserted) by the
// packer; B rows make a PackedBatch. cursor() captures everything needed to continue the
// identical stream (sampler state, per-source epoch / item / unit inside a split document,
// counters) as a small JSON object for checkpoints.

import type { PackedBatch } from './packed_batch.js';
import { tokenizeConversation } from './chat.js';
import type { Conversation, Document } from './document.js';
import { tokenizeDocument, type TokenizedDoc } from './doc_tokens.js';
import { MixtureSampler, type MixtureState } from './mixture.js';
import { allocateBatch, RowPacker, tokensPerImage, type PackingConfig } from './packing.js';
import type { Mm1Tokenizer } from './tokenizer.js';

export type Item = Document | Conversation;
export type ItemIterator<T> = Iterator<T> | AsyncIterator<T> | Iterable<T> | AsyncIterable<T>;

export interface DataSource<T extends Item = Item> {
  name: string;
  weight: number;
  /** Items from index `start` of pass `epoch` over the data. Must give the same items every time. */
  open(start: number, epoch: number): ItemIterator<T>;
}

/** A DataSource from a factory that can only start at the beginning: open(start) discards `start` items. */
export function skippingSource<T extends Item>(name: string, weight: number, make: (epoch: number) => ItemIterator<T>): DataSource<T> {
  return {
    name,
    weight,
    open: (start, epoch) =>
      (async function* () {
        const it = iteratorOf(make(epoch));
        for (let i = 0; ; i++) {
          const r = await it.next();
          if (r.done) return;
          if (i >= start) yield r.value;
        }
      })(),
  };
}

function iteratorOf<T>(x: ItemIterator<T>): Iterator<T> | AsyncIterator<T> {
  if (Symbol.asyncIterator in x) return x[Symbol.asyncIterator]();
  if (Symbol.iterator in x) return x[Symbol.iterator]();
  return x;
}

export interface SourcePosition {
  epoch: number;
  /** Index (within the epoch) of the first item not yet fully packed. */
  index: number;
  /** Units of that item already packed (0 = none; > 0 = it was split across rows). */
  unit: number;
}

export interface PackingStats {
  rows: number;
  /** Documents / conversations packed completely. */
  documents: number;
  /** Times a document was cut at a row end and continued in a later row. */
  splits: number;
  /** Rows closed early because the next unit was an image that did not fit (room or slots). */
  imageDeferrals: number;
  tokens: number;
  paddingTokens: number;
  images: number;
}

export interface DataCursor {
  version: 1;
  mixture: MixtureState;
  sources: Record<string, SourcePosition>;
  stats: PackingStats;
}

export interface BatchStreamConfig extends PackingConfig {
  seed: number;
  /** Mixture block size (see mixture.ts); default 100. */
  blockSize?: number;
}

interface Stream {
  source: DataSource;
  pos: SourcePosition;
  it?: Iterator<Item> | AsyncIterator<Item>;
  pending?: TokenizedDoc;
}

export class BatchStream {
  readonly stats: PackingStats;
  /** Source name of each row of the last batch (for per-source loss logging). */
  rowSources: string[] = [];
  private readonly mixture: MixtureSampler;
  private readonly streams: Stream[];
  private readonly row: RowPacker;

  constructor(
    private readonly tokenizer: Mm1Tokenizer,
    sources: DataSource[],
    private readonly config: BatchStreamConfig,
    cursor?: DataCursor,
  ) {
    const names = sources.map((s) => s.name);
    if (new Set(names).size !== names.length) throw new Error(`BatchStream: source names must be unique, got ${names.join(', ')}`);
    if (cursor) {
      const saved = Object.keys(cursor.sources).sort().join(', ');
      if (saved !== [...names].sort().join(', ')) {
        throw new Error(`BatchStream: cursor was saved with sources [${saved}] but got [${names.join(', ')}]; resume with the same sources.`);
      }
    }
    this.mixture = new MixtureSampler(sources.map((s) => s.weight), config.seed, config.blockSize, cursor?.mixture);
    this.streams = sources.map((source) => ({ source, pos: { ...(cursor?.sources[source.name] ?? { epoch: 0, index: 0, unit: 0 }) } }));
    this.stats = { ...(cursor?.stats ?? { rows: 0, documents: 0, splits: 0, imageDeferrals: 0, tokens: 0, paddingTokens: 0, images: 0 }) };
    this.row = new RowPacker(config);
  }

  private tokenize(item: Item): TokenizedDoc {
    const run = { tokensPerImage: tokensPerImage(this.config), markers: this.config.imageMarkers ?? false };
    return 'turns' in item ? tokenizeConversation(item, this.tokenizer, run) : tokenizeDocument(item, this.tokenizer, run);
  }

  /** The item at s.pos.index (opening or re-opening the source as needed). */
  private async pull(s: Stream): Promise<TokenizedDoc> {
    s.it ??= iteratorOf(s.source.open(s.pos.index, s.pos.epoch));
    let r = await s.it.next();
    if (r.done) {
      if (s.pos.index === 0) throw new Error(`source '${s.source.name}' yielded no items (epoch ${s.pos.epoch}).`);
      s.pos = { epoch: s.pos.epoch + 1, index: 0, unit: 0 };
      s.it = iteratorOf(s.source.open(0, s.pos.epoch));
      r = await s.it.next();
      if (r.done) throw new Error(`source '${s.source.name}' yielded no items (epoch ${s.pos.epoch}).`);
    }
    return this.tokenize(r.value);
  }

  private async fillRow(s: Stream): Promise<void> {
    const row = this.row;
    row.reset();
    while (row.used < this.config.T) {
      s.pending ??= await this.pull(s);
      const from = s.pos.unit;
      const reached = row.place(s.pending, from);
      if (reached === s.pending.unitStarts.length) {
        this.stats.documents++;
        s.pos = { ...s.pos, index: s.pos.index + 1, unit: 0 };
        s.pending = undefined;
        continue;
      }
      s.pos = { ...s.pos, unit: reached };
      if (reached > from) this.stats.splits++;
      if (row.lastStop === 'image-no-room' || row.lastStop === 'no-image-slot') this.stats.imageDeferrals++;
      break;
    }
  }

  /** The next batch of B rows. */
  async next(): Promise<PackedBatch> {
    const batch = allocateBatch(this.config, this.tokenizer.special);
    this.rowSources = [];
    for (let b = 0; b < this.config.B; b++) {
      const stream = this.streams[this.mixture.next()];
      this.rowSources.push(stream.source.name);
      await this.fillRow(stream);
      this.row.writeRow(batch, b);
      this.stats.rows++;
      this.stats.tokens += this.row.used;
      this.stats.paddingTokens += this.config.T - this.row.used;
      this.stats.images += batch.imageCount[b];
    }
    return batch;
  }

  /** Where the stream stands after the last batch returned (JSON-serialisable). */
  cursor(): DataCursor {
    const sources: Record<string, SourcePosition> = {};
    for (const s of this.streams) sources[s.source.name] = { ...s.pos };
    return { version: 1, mixture: this.mixture.state(), sources, stats: { ...this.stats } };
  }
}
