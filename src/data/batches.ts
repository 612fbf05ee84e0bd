// The data pipeline the trainer pulls from: per sequence, the mixture picks a source; the
// row is filled with that source's documents (tokenised, image runs inserted) by the
// packer; B rows make a PackedBatch. cursor() captures everything needed to continue the
// identical stream (sampler state, per-source epoch / item / unit inside a split document,
// counters) as a small JSON object for checkpoints. Sources over files also hand each item's
// place in its shard (kept in the cursor, so a resume seeks there) and the broken records
// they passed over (counted per source, listed by takeSkips, and stopping the stream past
// the skip limit).

import type { PackedBatch } from './packed_batch.js';
import { tokenizeConversation } from './chat.js';
import type { Conversation, Document } from './document.js';
import { tokenizeDocument, type TokenizedDoc } from './doc_tokens.js';
import { MixtureSampler, type MixtureState } from './mixture.js';
import { allocateBatch, emptyBatch, RowPacker, tokensPerImage, type PackingConfig } from './packing.js';
import type { Mm1Tokenizer } from './tokenizer.js';

export type Item = Document | Conversation;
export type ItemIterator<T> = Iterator<T> | AsyncIterator<T> | Iterable<T> | AsyncIterable<T>;

/**
 * What a source reading files yields instead of a bare item: the item with where it starts
 * (`at`) and where the record after it starts (`next`), both JSON values the source defines
 * (e.g. {shard, offset}) and gets back in open() to seek there on resume.
 */
export interface PlacedItem<T extends Item = Item> {
  item: T;
  at: unknown;
  next: unknown;
}

/** A broken record the source passed over (e.g. a corrupt image): counted, logged, and the stream moves on. */
export interface SkippedRecord {
  /** The file the record is in. */
  shard: string;
  /** Its offset there (tar sample index, JSON line number, parquet row), as the cursor counts. */
  offset: number;
  /** The record for people, e.g. "sample 's/002' (tar entry 4)" or "line 12". */
  where: string;
  reason: string;
  next: unknown;
}

export type SourceYield<T extends Item = Item> = T | PlacedItem<T> | { skipped: SkippedRecord };

export interface DataSource<T extends Item = Item> {
  name: string;
  weight: number;
  /**
   * Items from index `start` of pass `epoch` over the data. Must give the same items every
   * time. `at`, when given, is the `at`/`next` the source put on the item at `start`: a source
   * that can seek starts there instead of passing over `start` items.
   */
  open(start: number, epoch: number, at?: unknown): ItemIterator<SourceYield<T>>;
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
  /** Where that item starts in a source that can seek (PlacedItem.at); absent for generated sources. */
  at?: unknown;
}

/** Records a source has delivered and passed over as broken, over the whole run. */
export interface RecordCounts {
  /** Items packed whole. */
  read: number;
  skipped: number;
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
  /** Per source: records read and skipped (absent in cursors saved before sources could skip). */
  records?: Record<string, RecordCounts>;
}

export interface SkipLimit {
  /** Largest share of broken records a source may have, e.g. 0.05. */
  maxRate: number;
  /** The rate is judged once a source has seen this many records (or finished a pass), so one early bad record does not stop a run. */
  minRecords: number;
}

export interface BatchStreamConfig extends PackingConfig {
  seed: number;
  /** Mixture block size (see mixture.ts); default 100. */
  blockSize?: number;
  /** Stop with SkipRateError when a source skips more than this; default: never stop. */
  skipLimit?: SkipLimit;
}

/** A skipped record as the run log lists it. */
export interface SkipNote {
  source: string;
  shard: string;
  offset: number;
  where: string;
  reason: string;
}

/** A source passed over more broken records than the skip limit allows. */
export class SkipRateError extends Error {}

/**
 * Throws SkipRateError when `counts.skipped` is over the limit's share of the records seen, judged
 * once limit.minRecords have been seen or from the second pass on (pretraining's streams here;
 * the CLIP stage on files, train/file_clip_data.ts). `who` opens the message; `last` is the
 * latest skipped record; `listedIn` says where the skipped records are listed.
 */
export function checkSkipRate(
  counts: RecordCounts,
  limit: SkipLimit,
  epoch: number,
  o: { who: string; last: Pick<SkipNote, 'shard' | 'where' | 'reason'>; listedIn: string },
): void {
  const seen = counts.read + counts.skipped;
  if (counts.skipped > limit.maxRate * seen && (seen >= limit.minRecords || epoch > 0)) {
    throw new SkipRateError(
      `${o.who}: ${counts.skipped} of ${seen} records were broken and skipped ` +
        `(${((100 * counts.skipped) / seen).toFixed(1)}%, over the limit of ${(100 * limit.maxRate).toFixed(1)}%). ` +
        `Last: ${o.last.shard} ${o.last.where}: ${o.last.reason}\n` +
        `Fix: repair or remove the broken records (each is listed in ${o.listedIn}), or raise data.maxSkipRate in a new run.`,
    );
  }
}

interface Stream {
  source: DataSource;
  pos: SourcePosition;
  counts: RecordCounts;
  it?: Iterator<SourceYield> | AsyncIterator<SourceYield>;
  pending?: TokenizedDoc;
  /** `next` of the pending item, for the position after it. */
  pendingNext?: unknown;
}

export class BatchStream {
  readonly stats: PackingStats;
  /** Source name of each row of the last batch (for per-source loss logging). */
  rowSources: string[] = [];
  /** Records skipped since the last takeSkips(), in the order they were met. */
  private skips: SkipNote[] = [];
  private readonly mixture: MixtureSampler;
  private readonly streams: Stream[];
  private readonly row: RowPacker;
  /** A batch handed back by recycle(), drawn into by the next next(). */
  private spare: PackedBatch | undefined;

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
    this.mixture = new MixtureSampler(
      sources.map((s) => s.weight),
      config.seed,
      config.blockSize,
      cursor?.mixture,
    );
    this.streams = sources.map((source) => ({
      source,
      pos: { ...(cursor?.sources[source.name] ?? { epoch: 0, index: 0, unit: 0 }) },
      counts: { ...(cursor?.records?.[source.name] ?? { read: 0, skipped: 0 }) },
    }));
    this.stats = { ...(cursor?.stats ?? { rows: 0, documents: 0, splits: 0, imageDeferrals: 0, tokens: 0, paddingTokens: 0, images: 0 }) };
    this.row = new RowPacker(config);
  }

  private tokenize(item: Item): TokenizedDoc {
    const run = { tokensPerImage: tokensPerImage(this.config), markers: this.config.imageMarkers ?? false };
    return 'turns' in item ? tokenizeConversation(item, this.tokenizer, run) : tokenizeDocument(item, this.tokenizer, run);
  }

  /** The item at s.pos.index (opening or re-opening the source as needed), passing over skipped records. */
  private async pull(s: Stream): Promise<TokenizedDoc> {
    s.it ??= iteratorOf(s.source.open(s.pos.index, s.pos.epoch, s.pos.at));
    for (let reopened = false; ;) {
      const r = await s.it.next();
      if (r.done) {
        if (s.pos.index === 0 || reopened) throw new Error(`source '${s.source.name}' yielded no items (epoch ${s.pos.epoch})${this.skippedNote(s)}.`);
        s.pos = { epoch: s.pos.epoch + 1, index: 0, unit: 0 };
        s.it = iteratorOf(s.source.open(0, s.pos.epoch));
        reopened = true;
        continue;
      }
      const value = r.value;
      if ('skipped' in value) {
        this.skip(s, value.skipped);
        continue;
      }
      if ('item' in value) {
        s.pos = { ...s.pos, at: value.at };
        s.pendingNext = value.next;
        return this.tokenize(value.item);
      }
      return this.tokenize(value);
    }
  }

  private skip(s: Stream, record: SkippedRecord): void {
    s.counts.skipped++;
    s.pos = { ...s.pos, at: record.next };
    this.skips.push({ source: s.source.name, shard: record.shard, offset: record.offset, where: record.where, reason: record.reason });
    const limit = this.config.skipLimit;
    if (limit) checkSkipRate(s.counts, limit, s.pos.epoch, { who: `source '${s.source.name}'`, last: record, listedIn: "the run's skipped.jsonl" });
  }

  private skippedNote(s: Stream): string {
    return s.counts.skipped > 0
      ? `; ${s.counts.skipped} broken records were skipped, e.g. ${this.skips.at(-1)?.shard ?? ''} ${this.skips.at(-1)?.where ?? ''}`
      : '';
  }

  /** The records skipped since the last call, for the run log. */
  takeSkips(): SkipNote[] {
    const out = this.skips;
    this.skips = [];
    return out;
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
        s.counts.read++; // counted once packed whole: a split item is read again on resume
        s.pos = { ...s.pos, index: s.pos.index + 1, unit: 0 };
        if (s.pendingNext !== undefined) s.pos.at = s.pendingNext;
        s.pending = undefined;
        s.pendingNext = undefined;
        continue;
      }
      s.pos = { ...s.pos, unit: reached };
      if (reached > from) this.stats.splits++;
      if (row.lastStop === 'image-no-room' || row.lastStop === 'no-image-slot') this.stats.imageDeferrals++;
      break;
    }
  }

  /**
   * Hands back a batch this stream returned whose arrays nobody reads any more (the step that
   * took it has finished): the next batch is drawn into them instead of into new ones, the same
   * values either way (packing.ts emptyBatch). Optional; without it every batch is new.
   */
  recycle(batch: PackedBatch): void {
    this.spare = emptyBatch(batch, this.config, this.tokenizer.special);
  }

  /** The next batch of B rows. */
  async next(): Promise<PackedBatch> {
    const batch = this.spare ?? allocateBatch(this.config, this.tokenizer.special);
    this.spare = undefined;
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
    const records: Record<string, RecordCounts> = {};
    for (const s of this.streams) {
      sources[s.source.name] = { ...s.pos };
      records[s.source.name] = { ...s.counts };
    }
    return { version: 1, mixture: this.mixture.state(), sources, stats: { ...this.stats }, records };
  }
}
