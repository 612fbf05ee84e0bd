// A DataSource over files: shards read one after the other, lazily (a record is parsed and
// its images decoded only when the stream gets near it), in a shard order shuffled afresh
// each pass with the data seed. Every item carries its place {shard, offset}, which the
// stream keeps in its checkpoint cursor, so a resumed run seeks straight to it: the shard is
// opened at that record (a tar or JSON Lines shard is read up to it without parsing, a
// parquet shard starts at that row). A broken record — or the unreadable rest of a shard —
// is yielded as a skip with its file and offset, so the stream counts and logs it.
import type { DataSource, Item, SkippedRecord, SourceYield } from '../batches.js';
import { Rng } from '../../engine/rng.js';
import type { ShardRecord, ShardRecords } from './reader.js';
import { shardListId } from './shards.js';

/** Where a record sits: `shard` indexes this pass's shard order, `offset` is the record's offset in that shard. */
export interface ShardPlace {
  shard: number;
  offset: number;
  /** shardListId of the shard list, so a resume over other files is refused. */
  shards: string;
}

export interface ShardedSourceOptions<T extends Item> {
  name: string;
  weight: number;
  /** Absolute shard paths (expandShards). */
  shards: readonly string[];
  records: ShardRecords<T>;
  /** Seeds each pass's shard order. */
  seed: number;
  /** Records parsed ahead of the one being consumed, so image decoding (libvips threads) overlaps packing; default 8. */
  readAhead?: number;
}

type Parsed<T> = { ok: true; item: T } | { ok: false; reason: string };

/** Shard indices in the order pass `epoch` reads them. */
export function shardOrder(count: number, seed: number, name: string, epoch: number): number[] {
  return new Rng(seed).fork(`shards:${name}:${epoch}`).shuffle(Array.from({ length: count }, (_, i) => i));
}

export function shardedSource<T extends Item>(o: ShardedSourceOptions<T>): DataSource<T> {
  const listId = shardListId(o.shards);
  const readAhead = o.readAhead ?? 8;

  /** Records of one shard with their parse results, `readAhead` parses in flight; a shard that fails mid-way ends in one skip. */
  async function* shardYields(order: number, path: string, from: number): AsyncGenerator<SourceYield<T>> {
    const place = (offset: number): ShardPlace => ({ shard: order, offset, shards: listId });
    const records = o.records(path, from);
    const queue: { record: ShardRecord<T>; parsed: Promise<Parsed<T>> }[] = [];
    let ended = false;
    let failure: string | undefined;
    let lastOffset = from - 1;
    try {
      for (;;) {
        while (!ended && failure === undefined && queue.length < readAhead) {
          try {
            const r = await records.next();
            if (r.done) ended = true;
            else
              queue.push({
                record: r.value,
                parsed: r.value.load().then(
                  (item) => ({ ok: true, item }),
                  (e: Error) => ({ ok: false, reason: e.message }),
                ),
              });
          } catch (err) {
            failure = (err as Error).message;
          }
        }
        const head = queue.shift();
        if (!head) break;
        lastOffset = head.record.offset;
        const parsed = await head.parsed;
        const { offset, where } = head.record;
        if (parsed.ok) yield { item: parsed.item, at: place(offset), next: place(offset + 1) };
        else yield { skipped: { shard: path, offset, where, reason: parsed.reason, next: place(offset + 1) } };
      }
    } finally {
      await records.return(undefined);
    }
    if (failure !== undefined) {
      const offset = lastOffset + 1;
      const skipped: SkippedRecord = {
        shard: path,
        offset,
        where: `the rest of the shard from offset ${offset}`,
        reason: failure,
        next: { shard: order + 1, offset: 0, shards: listId },
      };
      yield { skipped };
    }
  }

  return {
    name: o.name,
    weight: o.weight,
    open: (start, epoch, at) =>
      (async function* () {
        const from = (at as ShardPlace | undefined) ?? { shard: 0, offset: 0, shards: listId };
        if (from.shards !== listId) {
          throw new Error(
            `source '${o.name}': the run was saved over other files (${from.shards.split(':')[0]} shards) than its paths now match ` +
              `(${o.shards.length}). Fix: resume with the same files, or start a new run.`,
          );
        }
        // Every item carries its place, so a stream past index 0 always hands one back (`start` is then not needed).
        if (at === undefined && start > 0) throw new Error(`source '${o.name}': resuming at item ${start} needs its shard place; the cursor has none.`);
        const order = shardOrder(o.shards.length, o.seed, o.name, epoch);
        for (let k = from.shard; k < order.length; k++) {
          yield* shardYields(k, o.shards[order[k]], k === from.shard ? from.offset : 0);
        }
      })(),
  };
}
