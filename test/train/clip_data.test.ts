// The CLIP stage's pairs: the caption stream unchanged at textShare 0, TextCaps-like pairs
// (a printed word that the caption names) in the asked share, deterministic by index; with
// hard negatives, groups of pictures of one scene that differ only in the word.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import type { RgbImage } from '../../src/data/document.js';
import { clipBatch, clipPair, CAPTION_LEN, type ClipDataOptions } from '../../src/train/clip_data.js';
import { worldDocument, readWord } from '../../src/data/world/index.js';
import { TEXT_HEIGHT, TEXT_WIDTH } from '../../src/data/world/scene.js';
import { EncoderPretrainSchema, parsePretrainConfig } from '../../src/train/config.js';
import { clipPretrain } from '../../src/train/clip_pretrain.js';
import { VisionConfigSchema } from '../../src/model/build/config.js';
import { worldTokenizer } from '../../src/train/world_data.js';

const tokenizer = worldTokenizer();
const opts = (textShare: number) => ({ tokenizer, imageSize: 32, renderSize: 128, seed: 3, textShare });

test('clip data: textShare 0 is the world caption stream, pair for pair', () => {
  for (const i of [0, 7, 123]) {
    const doc = worldDocument('caption', 3, i, { imageSize: 128 });
    const pair = clipPair(opts(0), i);
    assert.equal(pair.word, null);
    assert.deepEqual(
      doc.segments.map((s) => (s.kind === 'text' ? s.text : s.image.data.length)),
      [pair.image.data.length, pair.caption],
    );
  }
});

test('clip data: text pairs carry the word in the picture and in the caption, in the asked share', () => {
  const n = 100;
  const pairs = Array.from({ length: n }, (_, i) => clipPair(opts(0.5), i));
  const text = pairs.filter((p) => p.word !== null);
  // 100 Bernoulli(0.5) draws: 5 standard deviations is ±25.
  assert.ok(Math.abs(text.length - n / 2) < 25, `${text.length} of ${n} text pairs, expected about ${n / 2}`);
  for (const p of text.slice(0, 2)) {
    assert.match(p.caption, new RegExp(`\\b${p.word}\\b`), `caption "${p.caption}" must name the word`);
    assert.equal(readWord(p.image).word, p.word, 'the template reader finds the same word in the picture');
  }
  assert.deepEqual(clipPair(opts(0.5), 17), clipPair(opts(0.5), 17), 'a pair depends only on its index');
  assert.ok(Array.from({ length: 20 }, (_, i) => clipPair(opts(1), i)).every((p) => p.word !== null));
  assert.throws(() => clipPair(opts(1.5), 0), /textShare must be in \[0, 1\], got 1.5/);
});

test('clip data: a batch has B images, captions padded to L with a mask over real tokens', () => {
  const b = clipBatch(opts(1), 0, 3);
  assert.deepEqual(b.pixels.shape, [3, 3, 32, 32]);
  assert.deepEqual(b.caption.shape, [3, CAPTION_LEN]);
  const words = clipPair(opts(1), 1).caption;
  const mask = Array.from(b.caption_mask.data as Float32Array).slice(CAPTION_LEN, 2 * CAPTION_LEN);
  assert.equal(
    mask.reduce((a, v) => a + v, 0),
    tokenizer.encode(words).length,
  );
  assert.deepEqual(
    Array.from(b.caption.data as BigInt64Array)
      .slice(CAPTION_LEN, CAPTION_LEN + 3)
      .map(Number),
    tokenizer.encode(words).slice(0, 3),
  );
});

test("clip data: a batch drawn into an earlier batch's arrays holds what new arrays would (longer captions there before)", () => {
  // text pairs (share 1) carry the longest captions, so the batch drawn over them must clear their tails
  for (const [from, to] of [
    [opts(1), opts(0)],
    [opts(0), opts(0.5)],
  ]) {
    const spent = clipBatch(from, 40, 5);
    const fresh = clipBatch(to, 0, 5);
    const reused = clipBatch(to, 0, 5, spent);
    assert.equal(reused.pixels.data, spent.pixels.data, 'the spent arrays were drawn into');
    for (const k of ['pixels', 'caption', 'caption_mask']) assert.deepEqual(reused[k].data, fresh[k].data, k);
  }
});

/** sha256 of a batch's three tensors, in order. */
function batchHash(o: ClipDataOptions, start: number, B: number): string {
  const b = clipBatch(o, start, B);
  const h = createHash('sha256');
  for (const k of ['pixels', 'caption', 'caption_mask']) {
    const d = b[k].data as Float32Array | BigInt64Array;
    h.update(new Uint8Array(d.buffer, d.byteOffset, d.byteLength));
  }
  return h.digest('hex');
}

test('clip data: world batches without hard negatives are byte for byte what main made before the option (studies reproduce)', () => {
  // Hashes taken from d8cd5a5's clip_data.ts, before clipHardNegatives existed.
  assert.equal(batchHash({ ...opts(0), version: 1 }, 8, 6), '2b89d47651bcd82bdd10fb94538bf97ae1799994dadf60237edf8694bcfdd26f');
  assert.equal(batchHash({ ...opts(0.5), version: 2 }, 8, 6), '9efdd86ff945f3bf6399854673855d1e6d2f73f0db73d9e61cf1916585fbd8b4');
  assert.equal(
    batchHash({ ...opts(0.5), version: 2, hardNegatives: 1 }, 8, 6),
    '9efdd86ff945f3bf6399854673855d1e6d2f73f0db73d9e61cf1916585fbd8b4',
    'hardNegatives 1 is off',
  );
});

/** Bounding box [width, height] of the pixels where two pictures differ (0×0 if none). */
function diffBox(a: RgbImage, b: RgbImage): [number, number] {
  let [x0, y0, x1, y1] = [Infinity, Infinity, -1, -1];
  for (let y = 0; y < a.height; y++)
    for (let x = 0; x < a.width; x++)
      for (let c = 0; c < 3; c++)
        if (a.data[(y * a.width + x) * 3 + c] !== b.data[(y * b.width + x) * 3 + c])
          [x0, y0, x1, y1] = [Math.min(x0, x), Math.min(y0, y), Math.max(x1, x), Math.max(y1, y)];
  return x1 < 0 ? [0, 0] : [x1 - x0 + 1, y1 - y0 + 1];
}

test('clip data: hard negatives are groups of one scene that differ in the printed word and nothing else', () => {
  const k = 4;
  const o: ClipDataOptions = { ...opts(1), version: 1, hardNegatives: k };
  const group = Array.from({ length: k }, (_, i) => clipPair(o, 8 + i));
  assert.equal(new Set(group.map((p) => p.word)).size, k, `${k} different words: ${group.map((p) => p.word).join(', ')}`);
  for (const p of group) {
    assert.equal(readWord(p.image).word, p.word, 'the template reader finds the pair’s own word in its picture');
    assert.equal(p.caption.replace(p.word!, 'W'), group[0].caption.replace(group[0].word!, 'W'), 'same caption template, only the word differs');
  }
  for (const p of group.slice(1)) {
    const [w, h] = diffBox(group[0].image, p.image);
    assert.ok(w > 0 && w <= TEXT_WIDTH && h > 0 && h <= TEXT_HEIGHT, `pictures differ only inside one word's ${TEXT_WIDTH}×${TEXT_HEIGHT} box, got ${w}×${h}`);
  }
  const next = clipPair(o, 8 + k);
  assert.ok(diffBox(group[0].image, next.image)[0] > TEXT_WIDTH, 'the next group is another scene');
  assert.deepEqual(clipPair(o, 9), group[1], 'a pair depends only on its index');
});

test('clip data: with hard negatives and a text share below 1, whole groups are text pairs or caption-stream pairs', () => {
  const k = 2;
  const o: ClipDataOptions = { ...opts(0.5), version: 2, hardNegatives: k };
  const kinds = Array.from({ length: 80 }, (_, i) => clipPair(o, i).word !== null);
  for (let g = 0; g < 40; g++) assert.equal(kinds[2 * g], kinds[2 * g + 1], `group ${g} is not mixed`);
  const text = kinds.filter(Boolean).length / k;
  // 40 Bernoulli(0.5) groups: 5 standard deviations is about ±16.
  assert.ok(Math.abs(text - 20) < 16, `${text} of 40 groups are text pairs, expected about 20`);
  assert.throws(() => clipPair({ ...o, hardNegatives: 11 }, 0), /hardNegatives must be a whole number from 2 to 10 .*got 11/);
  const base = { recipe: 'tiny', train: { steps: 1, batchSize: 1, seqLen: 8, maxImages: 1, lr: 1e-3 } };
  assert.throws(() => parsePretrainConfig({ ...base, encoder: { clipHardNegatives: 1 } }), /clipHardNegatives/);
  assert.equal(parsePretrainConfig(base).encoder.clipHardNegatives, undefined, 'absent by default, so saved configs read back unchanged');
});

test('the CLIP stage refuses hard negatives that a batch would split, or that have no text pairs to group, before any work', async () => {
  const vision = VisionConfigSchema.parse({ imageSize: 16, patchSize: 8, width: 8, depth: 1, heads: 1, mlpHidden: 16 });
  const stage = { vision, tokenizer, steps: 1, lr: 1e-3, seed: 0, renderSize: 128, out: '/nonexistent/clip' };
  await assert.rejects(clipPretrain({ ...stage, batchSize: 6, textShare: 1, hardNegatives: 4 }), /a multiple of 4 \(got 6\).*encoder\.clipBatchSize/);
  await assert.rejects(clipPretrain({ ...stage, batchSize: 8, textShare: 0, hardNegatives: 4 }), /text share 0\).*encoder\.clipTextShare/);
});

test('clip data: word captions rename the text pairs alone — same pictures, "a picture with the word X." naming the word the reader finds', () => {
  const plain = Array.from({ length: 40 }, (_, i) => clipPair(opts(0.5), i));
  const word = Array.from({ length: 40 }, (_, i) => clipPair({ ...opts(0.5), textCaptions: 'word' }, i));
  assert.ok(plain.some((p) => p.word !== null) && plain.some((p) => p.word === null), 'both kinds of pair among 40');
  plain.forEach((p, i) => {
    const w = word[i];
    assert.equal(w.word, p.word);
    assert.deepEqual(w.image.data, p.image.data, `pair ${i}: the picture is unchanged`);
    if (p.word === null) assert.equal(w.caption, p.caption, `pair ${i}: caption-stream pairs keep their caption`);
    else {
      assert.equal(w.caption, `a picture with the word ${p.word}.`);
    }
  });
  assert.ok(
    plain.some((p, i) => p.word !== null && p.caption !== word[i].caption),
    'some world captions of text pairs say more than the word (colours, shapes, places)',
  );
  const w = word.find((p) => p.word !== null)!;
  assert.equal(readWord(w.image).word, w.word);
  // With hard negatives, a group's captions differ in the word alone, as its pictures do.
  const group = Array.from({ length: 4 }, (_, i) => clipPair({ ...opts(1), hardNegatives: 4, textCaptions: 'word' }, i));
  assert.deepEqual(
    group.map((p) => p.caption),
    group.map((p) => `a picture with the word ${p.word}.`),
  );
  assert.equal(new Set(group.map((p) => p.word)).size, 4);
});

test('the CLIP stage refuses word captions with no text pairs to rename, and a config key off leaves saved configs as they were', async () => {
  const vision = VisionConfigSchema.parse({ imageSize: 16, patchSize: 8, width: 8, depth: 1, heads: 1, mlpHidden: 16 });
  const stage = { vision, tokenizer, steps: 1, lr: 1e-3, seed: 0, renderSize: 128, out: '/nonexistent/clip', batchSize: 8 };
  await assert.rejects(
    clipPretrain({ ...stage, textShare: 0, textCaptions: 'word' }),
    /text share 0\).*encoder\.clipTextShare above 0.*encoder\.clipTextCaptions out/,
  );
  assert.equal('clipTextCaptions' in EncoderPretrainSchema.parse({}), false, 'absent stays absent: run and stage hashes unchanged');
  assert.equal(EncoderPretrainSchema.parse({ clipTextCaptions: 'word', clipTextShare: 0.5 }).clipTextCaptions, 'word');
  assert.throws(() => EncoderPretrainSchema.parse({ clipTextCaptions: 'ocr' }), /clipTextCaptions|Invalid/);
});
