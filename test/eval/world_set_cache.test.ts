// World evaluation sets are generated once per process and shared by later evaluations: the
// kept copy must be exactly what generation gives, for every request size.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DEFAULT_EVAL_SIZES, worldEvalSets } from '../../src/data/world/index.js';
import { findTask } from '../../src/eval/tasks/index.js';
import { WorldSetCache, worldSetCache } from '../../src/eval/tasks/world_set_cache.js';

/** Only the VQA set, n items (worldEvalSets makes every other set at its default size otherwise). */
const onlyVqa = (n: number) => ({ ...Object.fromEntries(Object.keys(DEFAULT_EVAL_SIZES).map((k) => [k, 0])), vqa: n });
const key = { set: 'vqa', split: 'test', seed: 0, version: 2, renderSize: 32 } as const;

test('WorldSetCache: a kept set serves equal and shorter requests without generating; a longer one generates again', () => {
  const cache = new WorldSetCache(2);
  const made: number[] = [];
  const make = (n: number) => {
    made.push(n);
    return Array.from({ length: n }, (_, i) => ({ id: `q${i}` })) as never;
  };
  assert.equal(cache.get(key, 4, make).length, 4);
  assert.deepEqual(
    cache.get(key, 4, make).map((x: { id: string }) => x.id),
    ['q0', 'q1', 'q2', 'q3'],
  );
  assert.equal(cache.get(key, 2, make).length, 2);
  assert.deepEqual(made, [4], 'served from the kept copy');
  cache.get(key, 6, make);
  assert.deepEqual(made, [4, 6]);
  // Another seed, split or render size is another set; the oldest goes when the capacity is passed.
  cache.get({ ...key, seed: 1 }, 1, make);
  cache.get({ ...key, renderSize: 64 }, 1, make);
  cache.get(key, 1, make);
  assert.deepEqual(made, [4, 6, 1, 1, 1]);
  // A caller that edits its array does not edit the kept copy.
  const a = cache.get(key, 1, make) as unknown as unknown[];
  a.length = 0;
  assert.equal(cache.get(key, 1, make).length, 1);
});

test('world tasks load the same items from the kept copy as from a fresh generation', async () => {
  worldSetCache.clear();
  const task = findTask('world-vqav2')!;
  const long = await task.load({ seed: 3, limit: 6, worldVersion: 2, renderSize: 32 });
  const short = await task.load({ seed: 3, limit: 4, worldVersion: 2, renderSize: 32 });
  const fresh = worldEvalSets(3, onlyVqa(4), { version: 2, imageSize: 32 }).vqa;
  assert.deepEqual(short, fresh);
  assert.deepEqual(long.slice(0, 4), fresh);
  const shots = await task.shots!({ seed: 3, worldVersion: 2, renderSize: 32 });
  assert.deepEqual(shots.slice(0, 3), worldEvalSets(3, onlyVqa(3), { split: 'shots', version: 2, imageSize: 32 }).vqa);
  worldSetCache.clear();
});
