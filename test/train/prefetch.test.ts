// Batches drawn in a worker thread (train/prefetch.ts) are the batches the main thread draws:
// the same feeds byte for byte, the same losses step for step, and a run stopped and resumed
// with prefetch continues with the uninterrupted run's losses.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { clipImageSlots, modelPreprocess } from '../../src/data/subimage.js';
import { resolveModelConfig } from '../../src/train/model_setup.js';
import { PackedFeeds } from '../../src/train/packed_feeds.js';
import { PrefetchFeeds, prefetchFromEnv } from '../../src/train/prefetch.js';
import { pretrain } from '../../src/train/pretrain.js';
import { SkipLog } from '../../src/train/skip_log.js';
import { worldSources, worldTokenizer } from '../../src/train/world_data.js';
import { microRunConfig } from '../helpers/micro_model.js';

const micro = (steps: number) => microRunConfig(steps, { warmupSteps: 2 });

test('prefetched feeds equal the main thread feeds, batch for batch, and continue from a restored cursor', async () => {
  const config = micro(4);
  const tokenizer = worldTokenizer(config.data.version);
  const model = resolveModelConfig(config, tokenizer.vocabSize);
  const packing = { B: 4, T: 96, N: 3, tokensPerCrop: model.connector.tokens, seed: config.data.seed };
  const dir = mkdtempSync(join(tmpdir(), 'mm1-prefetch-'));
  // The main thread's stream, as pretraining draws it without prefetch.
  const mainThreadFeeds = (): PackedFeeds =>
    new PackedFeeds(tokenizer, worldSources(config.data), { ...packing, images: clipImageSlots(modelPreprocess(model)) }, model, new SkipLog(dir, true));
  const plain = mainThreadFeeds();
  const ahead = new PrefetchFeeds({ data: config.data, packing, preprocess: modelPreprocess(model), model });
  try {
    for (let i = 0; i < 3; i++) {
      const [a, b] = [await plain.next(), await ahead.next()];
      assert.equal(b.tokens, a.tokens);
      assert.deepEqual(Object.keys(b.feeds), Object.keys(a.feeds));
      for (const name of Object.keys(a.feeds)) assert.deepEqual(b.feeds[name], a.feeds[name], `batch ${i}, feed ${name}`);
      assert.deepEqual(ahead.cursor(), plain.cursor());
    }
    // Restored to batch 1's cursor, the worker starts over from there: batch 2 again.
    const again = new PrefetchFeeds({ data: config.data, packing, preprocess: modelPreprocess(model), model });
    const one = mainThreadFeeds();
    await one.next();
    again.restore(one.cursor());
    const [x, y] = [await one.next(), await again.next()];
    assert.deepEqual(y.feeds.images, x.feeds.images);
    assert.deepEqual(y.feeds.tokens, x.feeds.tokens);
    again.close();
  } finally {
    ahead.close();
    rmSync(dir, { recursive: true, force: true });
  }
});

test('pretraining with prefetch gives the same losses, and resumes a stopped run to the same losses', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mm1-prefetch-run-'));
  try {
    const without = await pretrain({ config: micro(6), out: join(dir, 'plain'), quiet: true, prefetch: false });
    const withIt = await pretrain({ config: micro(6), out: join(dir, 'ahead'), quiet: true, prefetch: true });
    const losses = without.records.map((r) => r.loss);
    assert.equal(losses.length, 6);
    assert.deepEqual(
      withIt.records.map((r) => r.loss),
      losses,
    );
    const first = await pretrain({ config: micro(6), out: join(dir, 'split'), quiet: true, prefetch: true, stopAfter: 3 });
    const second = await pretrain({ config: micro(6), out: join(dir, 'split'), quiet: true, prefetch: true, resume: true });
    assert.equal(second.resumedFrom, 3);
    assert.deepEqual(
      [...first.records, ...second.records].map((r) => r.loss),
      losses,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('MM1_PREFETCH reads 1 and 0, is off when unset, and names a bad value', () => {
  assert.equal(prefetchFromEnv({}), false);
  assert.equal(prefetchFromEnv({ MM1_PREFETCH: '1' }), true);
  assert.equal(prefetchFromEnv({ MM1_PREFETCH: '0' }), false);
  assert.throws(() => prefetchFromEnv({ MM1_PREFETCH: 'yes' }), /MM1_PREFETCH must be 1 .* or 0 .*, got 'yes'/);
});
