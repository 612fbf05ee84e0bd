// File sources for pretraining: shards read lazily in a seeded order per pass, every item's
// {shard, offset} place kept in the cursor so a resumed stream seeks there (parsing nothing
// before it) and continues bit for bit; broken records skipped with their file and offset;
// a skip rate over the limit stops with the source, the rate and the fix named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync, readFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BatchStream, SkipRateError, type DataSource, type SkipNote } from '../../src/data/batches.js';
import type { Document } from '../../src/data/document.js';
import { shardedSource, shardOrder } from '../../src/data/formats/sharded_source.js';
import { expandShards } from '../../src/data/formats/shards.js';
import { textJsonlRecords } from '../../src/data/formats/text_jsonl.js';
import { webDatasetRecords } from '../../src/data/formats/webdataset.js';
import { obelicsParquetRecords } from '../../src/data/formats/obelics_parquet.js';
import type { ShardRecords } from '../../src/data/formats/reader.js';
import { clipImageSlots } from '../../src/data/subimage.js';
import { worldTokenizer } from '../../src/train/world_data.js';
import { writeShardSet } from '../helpers/data_shards.js';
import { tempDir } from './fixtures.js';

const tok = worldTokenizer(2);
const packing = { B: 3, T: 40, N: 2, tokensPerCrop: 4, images: clipImageSlots({ resolution: 16 }), seed: 5 };

/** Wraps a format's records so the test sees which offsets were parsed (load called). */
function counting(records: ShardRecords<Document>, loaded: string[]): ShardRecords<Document> {
  return async function* (path, from) {
    for await (const r of records(path, from)) yield { ...r, load: () => (loaded.push(`${path.split('/').pop()}#${r.offset}`), r.load()) };
  };
}

async function fixture(brokenEvery = 3) {
  const dir = tempDir('sharded');
  const set = await writeShardSet({ dir, shards: 3, perShard: 6, brokenEvery });
  return { dir, set };
}

function sources(set: Awaited<ReturnType<typeof writeShardSet>>, dir: string, loaded: string[] = []): DataSource[] {
  const make = (name: string, glob: string, records: ShardRecords<Document>, weight: number) =>
    shardedSource({ name, weight, shards: expandShards(glob, name), records: counting(records, loaded), seed: 9, readAhead: 3 });
  return [
    make('caption', set.webdataset, webDatasetRecords(), 45),
    make('interleaved', set.obelicsParquet, obelicsParquetRecords({ imageRoot: dir }), 45),
    make('text', set.text, textJsonlRecords, 10),
  ];
}

test('file sources: a resumed stream seeks to its places and continues bit for bit, skips included', async () => {
  const { dir, set } = await fixture();
  try {
    const first = new BatchStream(tok, sources(set, dir), packing);
    const skipsBefore: SkipNote[] = [];
    for (let i = 0; i < 5; i++) {
      await first.next();
      skipsBefore.push(...first.takeSkips());
    }
    const cursor = JSON.parse(JSON.stringify(first.cursor()));
    assert.ok(
      Object.values(cursor.sources).every((p) => (p as { at?: unknown }).at !== undefined),
      'every source has a place',
    );
    const loaded: string[] = [];
    const resumed = new BatchStream(tok, sources(set, dir, loaded), packing, cursor);
    const skipsAfter: [SkipNote[], SkipNote[]] = [[], []];
    for (let i = 0; i < 25; i++) {
      const [a, b] = [await first.next(), await resumed.next()];
      assert.deepEqual(b, a, `batch ${i} after resume differs`);
      skipsAfter[0].push(...first.takeSkips());
      skipsAfter[1].push(...resumed.takeSkips());
    }
    assert.deepEqual(resumed.cursor(), first.cursor());
    assert.deepEqual(skipsAfter[1], skipsAfter[0], 'the same broken records are met after the resume');
    assert.ok(first.cursor().sources.caption.epoch >= 1, 'the caption source wrapped around: a second pass in a new shard order');
    // The resume parsed no record before its places: the first record it loaded per source is the saved one.
    const at = cursor.sources.caption.at as { shard: number; offset: number };
    const shardName = expandShards(set.webdataset, 'x')[shardOrder(3, 9, 'caption', cursor.sources.caption.epoch)[at.shard]].split('/').pop();
    assert.equal(
      loaded.find((l) => l.includes('.tar#')),
      `${shardName}#${at.offset}`,
    );
    // Broken records: 1 of every 3 per shard, named by file and offset.
    const all = [...skipsBefore, ...skipsAfter[0]];
    const wds = all.find((s) => s.source === 'caption')!;
    assert.match(wds.shard, /wds\/000\d\.tar$/);
    assert.equal(wds.offset % 3, 2);
    assert.match(wds.reason, /Cannot decode image .*corrupt, truncated or not an image/);
    assert.ok(all.some((s) => s.source === 'interleaved' && /missing\.png/.test(s.reason)));
    assert.ok(all.some((s) => s.source === 'text' && s.where === `line ${s.offset}` && /invalid JSON/.test(s.reason)));
    const counts = first.cursor().records!;
    assert.ok(counts.caption.skipped > 0 && counts.caption.read > counts.caption.skipped, JSON.stringify(counts));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('file sources: a skip rate over the limit stops naming the source, the rate and the fix', async () => {
  const { dir, set } = await fixture(2); // half of every shard is broken
  try {
    const stream = new BatchStream(tok, sources(set, dir), { ...packing, skipLimit: { maxRate: 0.2, minRecords: 6 } });
    await assert.rejects(
      (async () => {
        for (let i = 0; i < 50; i++) await stream.next();
      })(),
      (e: Error) =>
        e instanceof SkipRateError &&
        /source '(caption|interleaved|text)': \d+ of \d+ records were broken and skipped \(\d+\.\d%, over the limit of 20\.0%\)/.test(e.message) &&
        /Fix: repair or remove the broken records .*skipped\.jsonl.*data\.maxSkipRate/.test(e.message),
    );
    // Under the limit the same data trains on.
    const lenient = new BatchStream(tok, sources(set, dir), { ...packing, skipLimit: { maxRate: 0.6, minRecords: 6 } });
    for (let i = 0; i < 20; i++) await lenient.next();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('file sources: a truncated shard skips its rest once and reading goes on; other files on resume are refused', async () => {
  const dir = tempDir('sharded-cut');
  try {
    const set = await writeShardSet({ dir, shards: 2, perShard: 4 });
    const [a] = expandShards(set.webdataset, 'x');
    const bytes = readFileSync(a);
    writeFileSync(a, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    const source = shardedSource({ name: 'caption', weight: 1, shards: expandShards(set.webdataset, 'x'), records: webDatasetRecords(), seed: 0 });
    const got: string[] = [];
    for await (const y of source.open(0, 0) as AsyncIterable<{ item?: Document; skipped?: { shard: string; where: string; reason: string } }>) {
      got.push(y.item ? y.item.id : `skip ${y.skipped!.shard.split('/').pop()} ${y.skipped!.where}: ${y.skipped!.reason.slice(0, 40)}`);
    }
    assert.equal(got.filter((g) => g.startsWith('wds:0001.tar')).length, 4, got.join('\n'));
    assert.equal(got.filter((g) => g.startsWith('skip 0000.tar the rest of the shard')).length, 1, got.join('\n'));
    assert.ok(got.filter((g) => g.startsWith('wds:0000.tar')).length < 4);

    const stream = new BatchStream(tok, [source], { ...packing, B: 1 });
    await stream.next();
    const cursor = stream.cursor();
    mkdirSync(join(dir, 'more'));
    writeFileSync(join(dir, 'more', 'extra.tar'), bytes);
    const grown = shardedSource({
      name: 'caption',
      weight: 1,
      shards: [...expandShards(set.webdataset, 'x'), join(dir, 'more', 'extra.tar')],
      records: webDatasetRecords(),
      seed: 0,
    });
    await assert.rejects(
      new BatchStream(tok, [grown], { ...packing, B: 1 }, cursor).next(),
      /saved over other files \(2 shards\) than its paths now match \(3\)/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('shard lists: brace ranges and globs expand sorted; a pattern matching nothing is named', () => {
  const dir = tempDir('globs');
  try {
    for (const n of ['000', '001', '002', '010']) writeFileSync(join(dir, `s-${n}.tar`), '');
    assert.deepEqual(
      expandShards(join(dir, 's-{000..002}.tar'), 'f').map((p) => p.split('/').pop()),
      ['s-000.tar', 's-001.tar', 's-002.tar'],
    );
    assert.deepEqual(
      expandShards([join(dir, 's-01*.tar'), join(dir, 's-00?.tar')], 'f').map((p) => p.split('/').pop()),
      ['s-010.tar', 's-000.tar', 's-001.tar', 's-002.tar'],
    );
    assert.throws(
      () => expandShards(join(dir, 's-9*.tar'), 'data.files.caption.path'),
      /data\.files\.caption\.path: ".*s-9\*\.tar" matches no files .*Fix: correct the path or glob/,
    );
    assert.throws(() => expandShards(join(dir, 'missing.tar'), 'f'), /matches no files/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
