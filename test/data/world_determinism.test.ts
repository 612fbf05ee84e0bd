// The same seed gives byte-identical pictures and texts, run after run and platform after
// platform (a pinned digest catches drift); a different seed gives different data.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import type { Segment } from '../../src/data/document.js';
import { Rng } from '../../src/engine/rng.js';
import { captionsFor, denseCaption } from '../../src/data/world/captions.js';
import { worldConversation } from '../../src/data/world/conversations.js';
import { worldEvalSets } from '../../src/data/world/eval_sets.js';
import { renderScene } from '../../src/data/world/render.js';
import { generateScene } from '../../src/data/world/scene.js';
import { WORLD_SOURCE_KINDS, worldDocument } from '../../src/data/world/sources.js';
import { vqaFor } from '../../src/data/world/vqa.js';

function hashSegments(h: ReturnType<typeof createHash>, segments: Segment[]): void {
  for (const s of segments) {
    if (s.kind === 'text') h.update(`T${s.text}\n`);
    else h.update(`I${s.image.width}x${s.image.height}`).update(s.image.data);
  }
}

/** Digest of a few hundred samples of every generator for one seed. */
function digest(seed: number): string {
  const h = createHash('sha256');
  for (const kind of WORLD_SOURCE_KINDS) {
    for (let i = 0; i < 60; i++) hashSegments(h, worldDocument(kind, seed, i, { imageSize: 64 }).segments);
  }
  for (let i = 0; i < 60; i++) for (const t of worldConversation(seed, i, { imageSize: 64 }).turns) hashSegments(h, t.segments);
  const sets = worldEvalSets(
    seed,
    { captions: 20, textCaptions: 10, vqa: 20, textVqa: 10, gqa: 20, heldoutCaptions: 10, heldoutVqa: 10, multipleChoice: 20, cloze: 20, openQa: 20 },
    { imageSize: 32 },
  );
  h.update(JSON.stringify(sets, (k, v) => (v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v)));
  return h.digest('hex');
}

test('same seed, same bytes; another seed, other bytes', () => {
  const a = digest(7);
  assert.equal(digest(7), a);
  assert.notEqual(digest(8), a);
});

test('documents are addressable: document i does not depend on documents before it', () => {
  const h = (kind: (typeof WORLD_SOURCE_KINDS)[number], i: number) => {
    const x = createHash('sha256');
    hashSegments(x, worldDocument(kind, 3, i, { imageSize: 32 }).segments);
    return x.digest('hex');
  };
  for (const kind of WORLD_SOURCE_KINDS) {
    const late = h(kind, 41);
    for (let i = 0; i < 5; i++) h(kind, i);
    assert.equal(h(kind, 41), late);
    assert.notEqual(h(kind, 40), late);
  }
});

// Pinned digest of 200 scenes at 128 px with their texts. It must not change between
// platforms or Node versions. If you changed the world on purpose, print the new digest
// with MM1_PRINT_GOLDEN=1 and update it here (the world's data, and any results, change too).
const GOLDEN = 'ede92bfd2e26e748ad9f26075e4ce4b43505e8b5b0a488c36e41f1e89d75d644';

test('200 rendered scenes and their texts match the pinned digest', () => {
  const rng = new Rng(2024);
  const h = createHash('sha256');
  for (let i = 0; i < 200; i++) {
    const scene = generateScene(rng, { textProbability: 0.5 });
    h.update(renderScene(scene, 128).data);
    h.update([...captionsFor(scene, rng), denseCaption(scene), ...vqaFor(scene, rng).map((q) => q.question + q.answers)].join('\n'));
  }
  const got = h.digest('hex');
  if (process.env.MM1_PRINT_GOLDEN) console.log(`world golden digest: ${got}`);
  assert.equal(got, GOLDEN, 'the world generator changed its output for a fixed seed (see the comment above GOLDEN)');
});
