// The FeedStream the training loop pulls from: packed batches from the data sources
// (data/batches.ts), each checked (data/packing_check.ts) and turned into the training graph's
// feeds (model/build/batch_feeds.ts). Its own file so the step reads in one direction:
// loop.ts → here → data → model feeds, with nothing calling back into run_training.ts.
import { BatchStream, type BatchStreamConfig, type DataCursor, type DataSource } from '../data/batches.js';
import type { PackedBatch } from '../data/packed_batch.js';
import { validatePackedBatch } from '../data/packing_check.js';
import type { Mm1Tokenizer } from '../data/tokenizer.js';
import { batchFeeds } from '../model/build/batch_feeds.js';
import type { ModelConfig } from '../model/build/config.js';
import type { FeedStream, NextBatch } from './loop.js';
import type { SkipLog } from './skip_log.js';

/**
 * A packed batch, checked (placeholder runs intact, no loss on images or padding: ~3 ms against
 * a ~250 ms step, and mask bugs fail loudly here), as the training graph's feeds with its count of
 * real tokens. Here and in the prefetch worker (prefetch_worker.ts).
 */
export function checkedFeeds(batch: PackedBatch, tokenizer: Mm1Tokenizer, model: ModelConfig): NextBatch {
  validatePackedBatch(batch, tokenizer.special);
  let tokens = 0;
  for (let i = 0; i < batch.segments.length; i++) if (batch.segments[i] !== 0) tokens++;
  return { feeds: batchFeeds(batch, model), tokens };
}

export class PackedFeeds implements FeedStream {
  private stream: BatchStream;
  /** The batch whose feeds the loop holds, until done(). */
  private lent: PackedBatch | undefined;

  constructor(
    private readonly tokenizer: Mm1Tokenizer,
    private readonly sources: DataSource[],
    private readonly packing: BatchStreamConfig,
    private readonly model: ModelConfig,
    /** Where records the sources skipped are logged (and counted across a resume). */
    private readonly skipLog: SkipLog,
  ) {
    this.stream = new BatchStream(tokenizer, sources, packing);
  }

  async next(): Promise<NextBatch> {
    const batch = await this.stream.next().finally(() => this.skipLog.add(this.stream.takeSkips()));
    const ready = checkedFeeds(batch, this.tokenizer, this.model);
    this.lent = batch;
    return ready;
  }

  /** The loop ran the step on the last batch: draw the next one into its arrays (BatchStream.recycle). */
  done(): void {
    if (this.lent) this.stream.recycle(this.lent);
    this.lent = undefined;
  }

  cursor(): unknown {
    return this.stream.cursor();
  }

  restore(cursor: unknown): void {
    this.stream = new BatchStream(this.tokenizer, this.sources, this.packing, cursor as DataCursor);
    this.lent = undefined;
    this.skipLog.restore(cursor as DataCursor);
  }
}
