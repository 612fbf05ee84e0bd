// The step-graph cache's memory bound (graph_cache.ts): at most keepGraphs multi-token
// graphs stay compiled, least recently used out and released; decode graphs stay; a graph
// still running is released only when it ends; and a bounded generator gives bit-identical
// tokens and log-probabilities to an unbounded one while it recompiles evicted shapes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/engine/rng.js';
import { GraphCache } from '../../src/model/infer/graph_cache.js';
import { prefillRowsFor, rowChunks } from '../../src/model/infer/row_chunks.js';
import { Generator, type TokenPrompt } from '../../src/model/infer/generate.js';
import { buildMultimodalTraining } from '../../src/model/build/multimodal.js';
import { randomParams } from './param_gradcheck.js';
import { IMAGE_TOKEN, randomNormal, standInTower, tinyConfig } from './fixtures.js';

/** A stand-in compiled graph that records when it is released. */
class Fake {
  released = false;
  constructor(readonly key: string) {}
  release(): Promise<void> {
    this.released = true;
    return Promise.resolve();
  }
}

function fakeCache(keep: number) {
  const made: Fake[] = [];
  const cache = new GraphCache<Fake>(keep);
  const use = (key: string, multi = true) =>
    cache.with(
      key,
      multi,
      () => {
        const f = new Fake(key);
        made.push(f);
        return Promise.resolve(f);
      },
      (g) => Promise.resolve(g),
    );
  return { cache, made, use };
}

test('keeps at most keepGraphs multi-token graphs, least recently used out and released; decode graphs stay', async () => {
  const { cache, made, use } = fakeCache(2);
  await use('decode', false);
  const a = await use('a');
  const b = await use('b');
  await use('a'); // a is now the most recently used: b goes first
  await use('c');
  assert.deepEqual(cache.keys(), ['decode', 'a', 'c']);
  assert.equal(b.released, true, 'b was least recently used');
  assert.equal(a.released, false);
  assert.equal((await use('b')) === b, false, 'an evicted shape is compiled again');
  assert.deepEqual(cache.keys(), ['decode', 'c', 'b']);
  assert.equal(a.released, true);
  assert.equal(made[0].released, false, 'the one-token graph is never evicted');
  assert.equal(cache.compiled, 4, 'a, b, c, b again');
  await cache.release();
  assert.ok(made.every((f) => f.released));
});

test('a graph evicted while it runs is released when its run ends, not before', async () => {
  const cache = new GraphCache<Fake>(1);
  const slow = new Fake('slow');
  let finish!: () => void;
  const running = cache.with(
    'slow',
    true,
    () => Promise.resolve(slow),
    () => new Promise<void>((r) => (finish = r)),
  );
  await new Promise((r) => setImmediate(r));
  await cache.with(
    'other',
    true,
    () => Promise.resolve(new Fake('other')),
    () => Promise.resolve(),
  );
  assert.equal(slow.released, false, 'still running');
  assert.deepEqual(cache.keys(), ['other']);
  finish();
  await running;
  assert.equal(slow.released, true);
});

test('a shape that fails to compile is not kept; keepGraphs below 1 names the value and the fix', async () => {
  const cache = new GraphCache<Fake>(1);
  await assert.rejects(
    cache.with(
      'bad',
      true,
      () => Promise.reject(new Error('no value for parameter')),
      () => Promise.resolve(),
    ),
    /no value for parameter/,
  );
  assert.deepEqual(cache.keys(), []);
  for (const bad of [0, 1.5, -1, NaN]) assert.throws(() => new GraphCache<Fake>(bad), new RegExp(`got ${bad}; use 1 \\(least memory\\)`));
});

test('a generator keeping one prefill graph gives bit-identical tokens and log-probabilities to an unbounded one', async () => {
  const cfg = tinyConfig();
  const params = randomParams(buildMultimodalTraining(cfg, { B: 1, T: 6, N: 1 }, standInTower(cfg)).g, 3, 0.3);
  const make = (keepGraphs: number) => new Generator(cfg, params, { tower: standInTower(cfg), imageToken: IMAGE_TOKEN, maxLen: 64, threads: 1, keepGraphs });
  const [one, many] = [make(1), make(50)];
  const rng = new Rng(2);
  const I = IMAGE_TOKEN;
  const img = () => randomNormal(rng, 3 * 8 * 8);
  const short: TokenPrompt[] = [{ tokens: [1, 5, 6] }, { tokens: [1, I, I, I, I, 7], images: [img()] }];
  const long: TokenPrompt[] = [{ tokens: [1, ...Array.from({ length: 18 }, (_, i) => 4 + (i % 6)), I, I, I, I], images: [img()] }, { tokens: [2, 9] }];
  // Short, long, short, long: prefill lengths 16, 32, 16, 32, so the bounded generator recompiles each time.
  for (const batch of [short, long, short, long]) {
    const opts = { maxNewTokens: 6 };
    assert.deepEqual(await one.generate(batch, opts), await many.generate(batch, opts));
    const items = batch.map((prompt) => ({ prompt, continuation: [4, 5, 6] }));
    assert.deepEqual(await one.score(items, 'right', false), await many.score(items, 'right', false));
    const multi = one.runner.graphs.keys().filter((k) => (JSON.parse(k) as { S: number }).S > 1);
    assert.ok(multi.length <= 1, `kept ${multi.length} multi-token graphs: ${multi.join(', ')}`);
  }
  assert.ok(one.runner.graphs.compiled > many.runner.graphs.compiled, `recompiled: ${one.runner.graphs.compiled} vs ${many.runner.graphs.compiled}`);
  await Promise.all([one.release(), many.release()]);
});

test('prefill and full-pass scoring in row chunks give bit-identical tokens and log-probabilities to one call', async () => {
  const cfg = tinyConfig();
  const params = randomParams(buildMultimodalTraining(cfg, { B: 1, T: 6, N: 1 }, standInTower(cfg)).g, 3, 0.3);
  const make = (prefillRows?: number) =>
    new Generator(cfg, params, {
      tower: standInTower(cfg),
      imageToken: IMAGE_TOKEN,
      maxLen: 64,
      threads: 1,
      keepGraphs: 50,
      ...(prefillRows ? { prefillRows } : {}),
    });
  const rng = new Rng(3);
  const I = IMAGE_TOKEN;
  const img = () => randomNormal(rng, 3 * 8 * 8);
  const batch: TokenPrompt[] = [
    { tokens: [1, 5, 6] },
    { tokens: [1, I, I, I, I, 7, 8, 9, 2], images: [img()] },
    { tokens: [2] },
    { tokens: [1, I, I, I, I, 5, I, I, I, I, 6, 7], images: [img(), img()] },
    { tokens: [1, ...Array.from({ length: 17 }, (_, i) => 4 + (i % 6))] },
  ];
  const items = batch.map((prompt, i) => ({ prompt, continuation: [4 + i, 5, 6] }));
  const whole = make();
  const want = await whole.generate(batch, { maxNewTokens: 8 });
  const wantScores = await whole.score(items, 'right', false);
  for (const rows of [1, 2, 3]) {
    const chunked = make(rows);
    for (const padding of ['left', 'right'] as const) {
      const o = { maxNewTokens: 8, padding };
      assert.deepEqual(await chunked.generate(batch, o), padding === 'left' ? want : await whole.generate(batch, o), `${rows} rows, ${padding}`);
    }
    assert.deepEqual(await chunked.score(items, 'right', false), wantScores, `${rows} rows, scores`);
    assert.deepEqual(await chunked.score(items, 'left', false), await whole.score(items, 'left', false), `${rows} rows, left-padded scores`);
    const prefill = chunked.runner.graphs.keys().map((k) => JSON.parse(k) as { B: number; S: number });
    assert.ok(
      prefill.every((s) => s.S === 1 || s.B <= rows),
      `every multi-token call has at most ${rows} rows: ${JSON.stringify(prefill)}`,
    );
    await chunked.release();
  }
  await whole.release();
  assert.throws(() => make(0.5), /prefillRows: expected a whole number ≥ 1 of prompts per prefill call, got 0.5; leave it unset/);
});

test('prefill calls are sized by MB of attention scores, as documented in row_chunks.ts', async () => {
  // rows × heads × S² × 4 bytes ≤ 64 MB: 4 prompts at an ablation base model's 32-shot length, the whole batch below 512.
  assert.equal(prefillRowsFor(16, 976, 4), 4);
  assert.equal(prefillRowsFor(16, 992, 4), 4);
  assert.equal(prefillRowsFor(16, 1024, 4), 4);
  assert.equal(prefillRowsFor(16, 1040, 4), 3);
  assert.equal(prefillRowsFor(16, 512, 4), 16);
  assert.equal(prefillRowsFor(12, 272, 4), 12);
  assert.equal(prefillRowsFor(16, 4096, 32), 1, 'never fewer than one prompt');
  assert.equal(prefillRowsFor(16, 976, 4, 32), 2);
  for (const bad of [0, -1, NaN, Infinity]) assert.throws(() => prefillRowsFor(16, 976, 4, bad), /prefillMB: expected a positive number of MB .* got/);
  assert.deepEqual(rowChunks(10, 4), [
    [0, 4],
    [4, 8],
    [8, 10],
  ]);
  // Through the generator: a budget of 2 rows' scores at S = 16 (tiny config, 2 heads) prefills 5 prompts as 2 + 2 + 1.
  const cfg = tinyConfig();
  const params = randomParams(buildMultimodalTraining(cfg, { B: 1, T: 6, N: 1 }, standInTower(cfg)).g, 3, 0.3);
  const mb = (2 * cfg.llm.heads * 16 * 16 * 4) / 2 ** 20;
  const gen = new Generator(cfg, params, { tower: standInTower(cfg), imageToken: IMAGE_TOKEN, maxLen: 64, threads: 1, keepGraphs: 50, prefillMB: mb });
  await gen.generate(
    Array.from({ length: 5 }, (_, i) => ({ tokens: [1, 4 + i] })),
    { maxNewTokens: 2 },
  );
  const prefills = gen.runner.graphs
    .keys()
    .map((k) => JSON.parse(k) as { B: number; S: number })
    .filter((s) => s.S > 1)
    .map((s) => s.B);
  assert.deepEqual(prefills.sort(), [1, 2]);
  await gen.release();
  assert.throws(() => new Generator(cfg, params, { prefillMB: 0 }), /prefillMB: .* got 0; 64 is the default/);
});
