// Generation: the KV-cache path gives the same greedy tokens as re-running the whole
// sequence per token, for text and image prompts, batch sizes 1-4, left and right padding;
// sampling is seeded; stop ids / strings and the token budget end rows; bad prompts fail early;
// scoring continuations agrees with the training loss.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HostTensor } from '../../src/engine/host_tensor.js';
import { Rng } from '../../src/engine/rng.js';
import { CompiledGraph } from '../../src/engine/session.js';
import { Generator, type TokenPrompt } from '../../src/model/infer/generate.js';
import { buildMultimodalTraining } from '../../src/model/build/multimodal.js';
import { nucleusProbs, pickToken } from '../../src/model/infer/sampling.js';
import { randomParams } from './param_gradcheck.js';
import { IMAGE_TOKEN, randomNormal, standInTower, tinyConfig } from './fixtures.js';

const cfg = tinyConfig();
const params = randomParams(buildMultimodalTraining(cfg, { B: 1, T: 6, N: 1 }, standInTower(cfg)).g, 3, 0.3);
const gen = new Generator(cfg, params, { tower: standInTower(cfg), imageToken: IMAGE_TOKEN, maxLen: 64, threads: 1 });
const rng = new Rng(1);
const img = () => randomNormal(rng, 3 * 8 * 8);
const I = IMAGE_TOKEN;
const prompts: TokenPrompt[] = [
  { tokens: [1, 5, 6] },
  { tokens: [1, I, I, I, I, 7, 8, 9, 2], images: [img()] },
  { tokens: [2] },
  { tokens: [1, I, I, I, I, 5, I, I, I, I, 6, 7], images: [img(), img()] },
];
const toks = (gs: { tokens: number[] }[]) => gs.map((g) => g.tokens);

test('KV cache == full re-run per token (greedy), batch sizes 1, 2, 4, left and right padding, images in prompts', async (t) => {
  const single: number[][] = [];
  for (const p of prompts) {
    const [withCache] = await gen.generate([p], { maxNewTokens: 12 });
    const [noCache] = await gen.generate([p], { maxNewTokens: 12, useCache: false });
    assert.deepEqual(withCache.tokens, noCache.tokens);
    assert.equal(withCache.tokens.length, 12);
    assert.equal(withCache.finish, 'length');
    single.push(withCache.tokens);
  }
  for (const padding of ['left', 'right'] as const)
    for (const batch of [prompts.slice(0, 2), prompts.slice(1, 3).reverse(), prompts]) {
      const want = batch.map((p) => single[prompts.indexOf(p)]);
      assert.deepEqual(toks(await gen.generate(batch, { maxNewTokens: 12, padding })), want, `${padding} padding, cache`);
      assert.deepEqual(toks(await gen.generate(batch, { maxNewTokens: 12, padding, useCache: false })), want, `${padding} padding, no cache`);
    }
  // Speed: 40 tokens with one step each vs a 48-token re-run each (graphs compiled beforehand).
  const long = { maxNewTokens: 40 };
  await gen.generate([prompts[1]], long);
  await gen.generate([prompts[1]], { ...long, useCache: false });
  const t0 = performance.now();
  await gen.generate([prompts[1]], long);
  const t1 = performance.now();
  await gen.generate([prompts[1]], { ...long, useCache: false });
  const t2 = performance.now();
  t.diagnostic(`40 greedy tokens: KV cache ${(t1 - t0).toFixed(1)} ms, no cache ${(t2 - t1).toFixed(1)} ms (×${((t2 - t1) / (t1 - t0)).toFixed(2)})`);
});

test('the image is seen: the same text with another image generates differently', async () => {
  const a = await gen.generate([{ tokens: [1, I, I, I, I, 7], images: [img()] }], { maxNewTokens: 8 });
  const b = await gen.generate([{ tokens: [1, I, I, I, I, 7], images: [img()] }], { maxNewTokens: 8 });
  assert.notDeepEqual(a[0].tokens, b[0].tokens);
});

test('sampling: seeded and reproducible; a tiny top-p is greedy', async () => {
  const o = { maxNewTokens: 10, temperature: 1.5 };
  const s1 = await gen.generate(prompts.slice(0, 2), { ...o, seed: 5 });
  assert.deepEqual(s1, await gen.generate(prompts.slice(0, 2), { ...o, seed: 5 }));
  assert.notDeepEqual(toks(s1), toks(await gen.generate(prompts.slice(0, 2), { ...o, seed: 6 })));
  const greedy = await gen.generate(prompts.slice(0, 2), { maxNewTokens: 10 });
  assert.deepEqual(toks(await gen.generate(prompts.slice(0, 2), { ...o, topP: 1e-6 })), toks(greedy));
});

test('nucleus probabilities, hand-checked', () => {
  const logits = [Math.log(0.5), Math.log(0.3), Math.log(0.2)];
  // p = [.5, .3, .2]; top-p 0.7 keeps .5 and .3 (the token crossing 0.7 stays), renormalised.
  const p = nucleusProbs(logits, 1, 0.7);
  [0.625, 0.375, 0].forEach((v, i) => assert.ok(Math.abs(p[i] - v) < 1e-12, `p[${i}] = ${p[i]}`));
  // Temperature 2 takes square roots: √.5, √.3, √.2 normalised.
  const q = nucleusProbs(logits, 2);
  const s = Math.sqrt(0.5) + Math.sqrt(0.3) + Math.sqrt(0.2);
  [0.5, 0.3, 0.2].forEach((v, i) => assert.ok(Math.abs(q[i] - Math.sqrt(v) / s) < 1e-12));
  assert.equal(pickToken([0, 3, 3, 1], {}, new Rng(1)), 1);
  assert.throws(() => pickToken([0], { topP: 0 }, new Rng(1)), /topP must be in \(0, 1\]/);
});

test('stop token ids, stop strings and the token budget end each row', async () => {
  const [full] = await gen.generate([prompts[0]], { maxNewTokens: 12 });
  const stopId = full.tokens[4];
  const firstStop = full.tokens.indexOf(stopId);
  const streamed: number[] = [];
  const [s] = await gen.generate([prompts[0]], { maxNewTokens: 12, stopTokenIds: [stopId], onToken: (_row, tok) => streamed.push(tok) });
  assert.deepEqual(s, { tokens: full.tokens.slice(0, firstStop), finish: 'stop_token' });
  assert.deepEqual(streamed, s.tokens);
  const decode = (ids: number[]) => ids.map((i) => String.fromCharCode(97 + i)).join('');
  const stop = decode(full.tokens.slice(5, 7));
  const [r] = await gen.generate([prompts[0], prompts[2]], { maxNewTokens: 12, stopStrings: [stop], decode });
  const cut = decode(full.tokens).indexOf(stop);
  assert.equal(r.finish, 'stop_string');
  assert.equal(r.text, decode(full.tokens).slice(0, cut));
});

test('prompts that cannot fit or whose placeholders do not match their images fail before running', async () => {
  await assert.rejects(
    gen.generate([{ tokens: [1, I, I, 5], images: [img()] }], { maxNewTokens: 4 }),
    /prompt 0: 2 image placeholders \(id 3\) for 1 images × 4 tokens per image/,
  );
  await assert.rejects(
    gen.generate([{ tokens: new Array(60).fill(5) }], { maxNewTokens: 8 }),
    /longest prompt \(60 tokens\) \+ maxNewTokens \(8\) exceeds maxLen 64/,
  );
  await assert.rejects(gen.generate([{ tokens: [1] }], { maxNewTokens: 2, stopStrings: ['x'] }), /stopStrings need a decode function/);
});

test('score: continuation log-probabilities equal the training loss, greedy continuations are flagged, padding does not matter', async () => {
  const [greedy] = await gen.generate([prompts[1]], { maxNewTokens: 3 });
  const items = [
    { prompt: prompts[1], continuation: greedy.tokens },
    { prompt: prompts[0], continuation: [7, 7, 9, 1] },
  ];
  const [a, b] = await gen.score(items);
  assert.equal(a.isGreedy, true);
  assert.equal(b.isGreedy, false);
  assert.deepEqual(
    (await gen.score(items, 'left')).map((s) => s.logProb.toFixed(4)),
    [a, b].map((s) => s.logProb.toFixed(4)),
  );
  // Independent check: the training graph's mean cross-entropy on the continuation targets.
  const p = prompts[0];
  const seq = [...p.tokens, ...items[1].continuation];
  const T = seq.length;
  const m = buildMultimodalTraining(cfg, { B: 1, T, N: 0 }, standInTower(cfg));
  const c = await CompiledGraph.create(m.g, [...m.g.inputs, ...m.g.params], { loss: m.loss }, { threads: 1 });
  const i64 = (f: (i: number) => number): HostTensor => ({ dtype: 'int64', shape: [1, T], data: BigInt64Array.from({ length: T }, (_, i) => BigInt(f(i))) });
  const targets = { ...i64((i) => (i >= p.tokens.length - 1 && i < T - 1 ? seq[i + 1] : -100)), shape: [T] };
  const out = await c.run({ tokens: i64((i) => seq[i]), positions: i64((i) => i), segments: i64(() => 1), targets, ...Object.fromEntries(params) });
  await c.release();
  assert.ok(Math.abs(-Number(out.loss.data[0]) * 4 - b.logProb) < 1e-4, `loss ${out.loss.data[0]} × 4 vs logProb ${b.logProb}`);
  assert.ok(Math.abs(b.tokenLogProbs.reduce((x, y) => x + y, 0) - b.logProb) < 1e-9);
});
