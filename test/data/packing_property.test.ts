// Property test: for a few hundred random configurations and document sets, every batch
// passes validatePackedBatch, and reading the rows back in order reproduces the documents'
// token streams exactly (nothing dropped, duplicated or reordered), with the right targets
// and each image in the slot of its run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IGNORE_INDEX } from '../../src/data/packed_batch.js';
import { BatchStream } from '../../src/data/batches.js';
import { tokenizeDocument } from '../../src/data/doc_tokens.js';
import { validatePackedBatch } from '../../src/data/packing_check.js';
import { imageTokenCount } from '../../src/data/image_tokens.js';
import { wordTokenizer } from '../../src/data/word_tokenizer.js';
import { Rng } from '../../src/engine/rng.js';
import { randomDocs, tagSlots, WORDS } from './gen.js';

const tok = wordTokenizer(WORDS);

test('packing invariants and exact reconstruction over 300 random seeds', async () => {
  let batches = 0;
  let splits = 0;
  let deferrals = 0;
  for (let seed = 0; seed < 300; seed++) {
    const rng = new Rng(seed);
    const grid = rng.int(3);
    const tokensPerCrop = 1 + rng.int(3);
    const markers = rng.next() < 0.5;
    const run = imageTokenCount({ tokensPerCrop, grid }) + (markers ? 2 : 0);
    const config = { B: 1 + rng.int(3), T: run + 1 + rng.int(40), N: 1 + rng.int(3), tokensPerCrop, images: tagSlots(grid, 1), imageMarkers: markers, seed };
    const docs = randomDocs(seed, 1 + rng.int(10));
    const k = imageTokenCount({ tokensPerCrop, grid });
    // Expected global stream: the documents tokenised, repeated (the source wraps around).
    const expected = { ids: [] as number[], loss: [] as number[], docEnd: [] as boolean[], tags: [] as number[] };
    // Enough repetitions for two epochs plus one batch whose rows may each hold a whole epoch.
    const epochTokens = docs.reduce((n, d) => n + tokenizeDocument(d, tok, { tokensPerImage: k, markers }).ids.length, 0);
    const reps = 3 + Math.ceil((config.B * config.T) / epochTokens);
    for (let rep = 0; rep < reps; rep++) {
      for (const doc of docs) {
        const t = tokenizeDocument(doc, tok, { tokensPerImage: k, markers });
        t.ids.forEach((id, i) => {
          expected.ids.push(id);
          expected.loss.push(t.loss[i]);
          expected.docEnd.push(i === t.ids.length - 1);
        });
        for (const im of t.images) expected.tags.push(im.image.data[0]);
      }
    }
    const stream = new BatchStream(tok, [{ name: 'r', weight: 1, open: (start) => docs.slice(start) }], config);
    let g = 0;
    let tagIndex = 0;
    while (stream.cursor().sources.r.epoch < 2) {
      const batch = await stream.next();
      batches++;
      validatePackedBatch(batch, tok.special);
      const per = 3 * (grid === 0 ? 1 : 1 + grid * grid);
      for (let b = 0; b < batch.B; b++) {
        let slot = 0;
        for (let t = 0; t < batch.T && batch.segments[b * batch.T + t] !== 0; t++, g++) {
          const at = b * batch.T + t;
          const where = `seed ${seed} row ${b} pos ${t} (stream ${g})`;
          assert.equal(batch.tokens[at], expected.ids[g], `token at ${where}`);
          const wantTarget = !expected.docEnd[g] && expected.loss[g + 1] ? expected.ids[g + 1] : IGNORE_INDEX;
          assert.equal(batch.targets[at], wantTarget, `target at ${where}`);
          if (batch.imageTokenIndex[at] >= 0 && batch.imageTokenIndex[at] % k === 0) {
            const pixel = batch.images[(b * batch.N + slot) * per];
            assert.equal(pixel, expected.tags[tagIndex++], `image tag at ${where}`);
            slot++;
          }
        }
      }
    }
    assert.ok(g > 0);
    splits += stream.stats.splits;
    deferrals += stream.stats.imageDeferrals;
  }
  // The random cases exercised both kinds of cut.
  assert.ok(splits > 100 && deferrals > 100, `splits ${splits}, deferrals ${deferrals}, batches ${batches}`);
});
