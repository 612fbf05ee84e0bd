// A CLIP stage that starts from another stage's towers (clip_pretrain.ts `init`): the second
// part of a curriculum (docs/reading.md, session 8).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clipPretrain } from '../../src/train/clip_pretrain.js';
import { worldTokenizer } from '../../src/train/world_data.js';
import { recipeModel } from '../../src/model/build/recipes.js';

process.env.MM1_ORT_THREADS = '1'; // read when each session is made (engine/session.ts): bit-repeatable stages to compare

test('clip stage from starting weights: trains on from them, names them in its settings, and refuses weights that lack a parameter', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mm1-clip-init-'));
  try {
    const tokenizer = worldTokenizer();
    const vision = { ...recipeModel('tiny', tokenizer.vocabSize).vision, imageSize: 32, width: 32, depth: 1, heads: 2, mlpHidden: 64 };
    const o = { vision, tokenizer, steps: 4, batchSize: 8, lr: 1e-3, seed: 0, renderSize: 64, quiet: true };
    const first = await clipPretrain({ ...o, out: join(dir, 'first') });
    const params = new Map([...first.vision, ...first.textTower]);
    // At an LR of 1e-12 the second part cannot move the weights: they end where the first part left them, not at the seed's.
    const still = { ...o, seed: 1, lr: 1e-12, init: { id: 'first', params } };
    const second = await clipPretrain({ ...still, out: join(dir, 'second') });
    const fresh = await clipPretrain({ ...still, init: undefined, out: join(dir, 'fresh') });
    const name = 'vision.patch_embedding.weight';
    const gap = (x: Float32Array, y: Float32Array) => x.reduce((m, v, i) => Math.max(m, Math.abs(v - y[i])), 0);
    const start = first.vision.get(name)!.data as Float32Array;
    assert.ok(gap(second.vision.get(name)!.data as Float32Array, start) < 1e-6, 'the stage starts from the given weights');
    assert.ok(gap(fresh.vision.get(name)!.data as Float32Array, start) > 1e-3, 'without them it starts from the seed');
    // Other starting weights are another stage: not reused from the saved one.
    const other = await clipPretrain({ ...still, init: { id: 'fresh', params: new Map([...fresh.vision, ...fresh.textTower]) }, out: join(dir, 'second') });
    assert.equal(other.losses.length, 4, 'a stage from other starting weights trains again');
    const partial = new Map([...params].filter(([k]) => k !== name));
    await assert.rejects(
      clipPretrain({ ...o, init: { id: 'partial', params: partial }, out: join(dir, 'partial') }),
      /partial lack vision\.patch_embedding\.weight/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a stage with a first part on word pairs (wordSteps) is that part at text share 1, then the configured pairs from its towers with the data seed + 1', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mm1-clip-parts-'));
  try {
    const tokenizer = worldTokenizer();
    const vision = { ...recipeModel('tiny', tokenizer.vocabSize).vision, imageSize: 32, width: 32, depth: 1, heads: 2, mlpHidden: 64 };
    const stage = { vision, tokenizer, steps: 3, batchSize: 8, lr: 1e-3, seed: 0, renderSize: 64, worldVersion: 2 as const, quiet: true };
    const mixed = { ...stage, textShare: 0.5, hardNegatives: 4, textCaptions: 'word' as const, pool: 'max' as const };
    const parts = await clipPretrain({ ...mixed, wordSteps: 2, out: join(dir, 'parts') });
    assert.equal(parts.losses.length, 5, 'two steps of the first part, then three');
    // By hand, as docs/reading.md's C1 ran it: the word-only stage, then a stage from its towers.
    const word = await clipPretrain({ ...mixed, steps: 2, textShare: 1, out: join(dir, 'word') });
    const rest = await clipPretrain({
      ...mixed,
      seed: 1,
      init: { id: 'word-first 2 steps', params: new Map([...word.vision, ...word.textTower]) },
      out: join(dir, 'rest'),
    });
    assert.deepEqual(parts.losses, [...word.losses, ...rest.losses]);
    for (const [name, t] of rest.vision) assert.deepEqual(parts.vision.get(name)!.data, t.data, name);
    // A stage of the mixed pairs alone trains another encoder.
    const one = await clipPretrain({ ...mixed, out: join(dir, 'one') });
    assert.notDeepEqual(one.losses, parts.losses.slice(2));
    await assert.rejects(
      clipPretrain({ ...stage, wordSteps: 2, pairs: { id: 'shards', next: () => Promise.reject(new Error('unused')) }, out: join(dir, 'files') }),
      /encoder\.clipWordSteps 2.*from files/,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
