// The CLIP stage's pairs: the caption stream unchanged at textShare 0, TextCaps-like pairs
// (a printed word that the caption names) in the asked share, deterministic by index.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { clipBatch, clipPair, CAPTION_LEN } from '../../src/train/clip_data.js';
import { worldDocument, readWord } from '../../src/data/world/index.js';
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
