import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IGNORE_INDEX as X } from '../../src/data/packed_batch.js';
import { BatchStream, type DataSource } from '../../src/data/batches.js';
import type { Document } from '../../src/data/document.js';
import { validatePackedBatch } from '../../src/data/packing_check.js';
import { RowPacker } from '../../src/data/packing.js';
import { wordTokenizer } from '../../src/data/word_tokenizer.js';
import { tagSlots, taggedImage, WORDS } from './gen.js';

const tok = wordTokenizer(WORDS);
const id = (w: string) => tok.tokenToId(w)!;
const { bos, eos, pad, image: IMG } = tok.special;

function arraySource(docs: Document[]): DataSource {
  return { name: 'docs', weight: 1, open: (start) => docs.slice(start) };
}

const caption = (tag: number, text: string): Document => ({
  source: 'caption',
  id: `cap${tag}`,
  segments: [
    { kind: 'image', image: taggedImage(tag) },
    { kind: 'text', text },
  ],
});

test('two captions, N = 1: the second image starts a new row; arrays worked by hand', async () => {
  const config = { B: 2, T: 10, N: 1, tokensPerCrop: 2, images: tagSlots(), seed: 1 };
  const stream = new BatchStream(tok, [arraySource([caption(7, 'a red cube'), caption(9, 'the sphere')])], config);
  const batch = await stream.next();
  validatePackedBatch(batch, tok.special);
  const [a, red, cube, the, sphere] = ['a', 'red', 'cube', 'the', 'sphere'].map(id);
  assert.deepEqual([...batch.tokens], [bos, IMG, IMG, a, red, cube, eos, pad, pad, pad, bos, IMG, IMG, the, sphere, eos, pad, pad, pad, pad]);
  // The last placeholder predicts the first caption word; nothing predicts <bos>/<image>/padding.
  assert.deepEqual([...batch.targets], [X, X, a, red, cube, eos, X, X, X, X, X, X, the, sphere, eos, X, X, X, X, X]);
  assert.deepEqual([...batch.segments], [1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0]);
  assert.deepEqual([...batch.positions], [0, 1, 2, 3, 4, 5, 6, 0, 0, 0, 0, 1, 2, 3, 4, 5, 0, 0, 0, 0]);
  assert.deepEqual([...batch.imageTokenIndex], [-1, 0, 1, -1, -1, -1, -1, -1, -1, -1, -1, 2, 3, -1, -1, -1, -1, -1, -1, -1]);
  assert.deepEqual([...batch.imageCount], [1, 1]);
  assert.deepEqual([batch.images[0], batch.images[11], batch.images[12], batch.images[23]], [7, 7, 9, 9]);
  // Both rows closed early for lack of an image slot: row 1 met the first caption again (the
  // source wrapped to epoch 1), which now waits in the cursor.
  assert.equal(stream.stats.imageDeferrals, 2);
  assert.deepEqual(stream.cursor().sources.docs, { epoch: 1, index: 0, unit: 0 });
});

test('image markers wrap each run; a long text splits between tokens and keeps its next target', async () => {
  const long: Document = { source: 'text', id: 'long', segments: [{ kind: 'text', text: 'a red cube is on the big blue sphere' }] };
  const config = { B: 3, T: 6, N: 1, tokensPerCrop: 1, images: tagSlots(), imageMarkers: true, seed: 1 };
  const stream = new BatchStream(tok, [arraySource([caption(3, 'small'), long])], config);
  const batch = await stream.next();
  validatePackedBatch(batch, tok.special);
  const { imageStart: S, imageEnd: E } = tok.special;
  const w = (s: string) => s.split(' ').map(id);
  // Row 0: caption (6 tokens, full). Row 1: long doc's first 6 tokens, whose last target is
  // the first token of row 2. Row 2 continues with positions from 0 and no new <bos>.
  assert.deepEqual([...batch.tokens], [bos, S, IMG, E, id('small'), eos, bos, ...w('a red cube is on'), ...w('the big blue sphere'), eos, pad]);
  assert.deepEqual([...batch.targets.subarray(0, 6)], [X, X, X, id('small'), eos, X]);
  assert.deepEqual([...batch.targets.subarray(6, 12)], [...w('a red cube is on the')]);
  assert.deepEqual([...batch.positions.subarray(12)], [0, 1, 2, 3, 4, 0]);
  assert.equal(stream.stats.splits, 1);
  assert.equal(stream.stats.documents, 2);
});

test('a unit that cannot fit an empty row fails loudly before anything is cut', async () => {
  assert.throws(() => new RowPacker({ B: 1, T: 4, N: 1, tokensPerCrop: 4, images: tagSlots() }), /T=4 cannot hold <bos> plus one image run of 4 tokens/);
  const noSlots = new BatchStream(tok, [arraySource([caption(1, 'a')])], { B: 1, T: 16, N: 0, tokensPerCrop: 2, images: tagSlots(), seed: 1 });
  await assert.rejects(noSlots.next(), /cap1 unit at token 0 cannot fit an empty row \(T=16, N=0\)/);
  const bad: Document = { source: 'text', id: 'sneaky', segments: [{ kind: 'text', text: 'a <image> b' }] };
  const s = new BatchStream(tok, [arraySource([bad])], { B: 1, T: 16, N: 1, tokensPerCrop: 2, images: tagSlots(), seed: 1 });
  await assert.rejects(s.next(), /sneaky: text "a <image> b" encodes to image token id/);
});

test('validatePackedBatch catches broken runs, wrong indices and loss on placeholders', async () => {
  const config = { B: 1, T: 10, N: 1, tokensPerCrop: 2, images: tagSlots(), seed: 1 };
  const fresh = async () => new BatchStream(tok, [arraySource([caption(7, 'a red cube')])], config).next();
  let batch = await fresh();
  batch.tokens[2] = id('a');
  assert.throws(() => validatePackedBatch(batch, tok.special), /image run shorter than 2/);
  batch = await fresh();
  batch.imageTokenIndex[2] = 5;
  assert.throws(() => validatePackedBatch(batch, tok.special), /position 2: imageTokenIndex 5, expected 1/);
  batch = await fresh();
  batch.targets[0] = IMG;
  assert.throws(() => validatePackedBatch(batch, tok.special), /target .* is a placeholder/);
  batch = await fresh();
  batch.targets[8] = id('a');
  assert.throws(() => validatePackedBatch(batch, tok.special), /padding must be/);
  batch = await fresh();
  batch.imageCount[0] = 0;
  assert.throws(() => validatePackedBatch(batch, tok.special), /1 image runs but imageCount 0/);
});
