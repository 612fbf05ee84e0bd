// Few-shot prompts: the exact interleaved prompt and its token ids for k = 2, exactly k
// examples of the task's kind before the query, never the query itself, and a selection that
// is fixed by the seed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RgbImage, Segment } from '../../src/data/document.js';
import { tokenizeDocument } from '../../src/data/doc_tokens.js';
import { worldEvalSets } from '../../src/data/world/index.js';
import { runEval, selectShots, shotPool } from '../../src/eval/index.js';
import { fakeModel, tokenizer } from './models.js';

const sameImage = (a: RgbImage, b: RgbImage) => Buffer.from(a.data).equals(Buffer.from(b.data));
const segmentsOf = (p: unknown) => (p as { segments: Segment[] }).segments;
const texts = (segs: Segment[]) => segs.map((s) => (s.kind === 'text' ? s.text : '<image>'));

async function promptsFor(task: string, k: number, opts: { limit?: number; seed?: number; selection?: 'random' | 'similar' } = {}) {
  const model = fakeModel(() => ' x.');
  await runEval(model, {
    worldVersion: 1,
    tasks: [task],
    shots: [k],
    limit: opts.limit ?? 1,
    seed: opts.seed ?? 0,
    selection: opts.selection,
    onWarning: () => {},
  });
  return model.generated.map(segmentsOf);
}

test('the exact 2-shot VQA prompt, as segments and as token ids', async () => {
  const [segs] = await promptsFor('world-vqav2', 2);
  assert.deepEqual(texts(segs), [
    '<image>',
    'question: what color is the shape in the middle? answer: green.',
    '<image>',
    'question: what color is the shape in the bottom left? answer: orange.',
    '<image>',
    'question: what color is the star? answer:',
  ]);
  // The query picture is the test item's; the shots' pictures are training pictures.
  const testSet = worldEvalSets(0, {
    captions: 0,
    textCaptions: 0,
    vqa: 1,
    textVqa: 0,
    gqa: 0,
    vizwiz: 0,
    okvqa: 0,
    heldoutCaptions: 0,
    heldoutVqa: 0,
    multipleChoice: 0,
    cloze: 0,
    openQa: 0,
  });
  const shots = worldEvalSets(
    0,
    {
      captions: 0,
      textCaptions: 0,
      vqa: 400,
      textVqa: 0,
      gqa: 0,
      vizwiz: 0,
      okvqa: 0,
      heldoutCaptions: 0,
      heldoutVqa: 0,
      multipleChoice: 0,
      cloze: 0,
      openQa: 0,
    },
    { split: 'shots' },
  );
  const image = (s: Segment) => (s.kind === 'image' ? s.image : assert.fail('expected an image'));
  assert.ok(sameImage(image(segs[4]), testSet.vqa[0].image));
  const shot1 = shots.vqa.find((it) => sameImage(it.image, image(segs[0])))!;
  assert.equal(shot1.question, 'what color is the shape in the middle?');
  assert.equal(shot1.answers[0], 'green');

  // Rendered with the world's word tokenizer, 2 placeholders per image, with markers.
  const doc = tokenizeDocument({ source: 'interleaved', id: 'prompt', segments: segs }, tokenizer, { tokensPerImage: 2, markers: true });
  const ids = doc.ids.slice(0, -1); // a prompt has no <eos>
  assert.deepEqual(
    ids,
    [
      1, 5, 4, 4, 6, 162, 14, 216, 68, 110, 200, 177, 109, 200, 125, 12, 41, 14, 99, 10, 5, 4, 4, 6, 162, 14, 216, 68, 110, 200, 177, 109, 200, 54, 115, 12, 41,
      14, 146, 10, 5, 4, 4, 6, 162, 14, 216, 68, 110, 200, 192, 12, 41, 14,
    ],
  );
  assert.deepEqual(
    ids.map((id) => tokenizer.decode([id])).join(' '),
    '<bos> <image_start> <image> <image> <image_end> question : what color is the shape in the middle ? answer : green . ' +
      '<image_start> <image> <image> <image_end> question : what color is the shape in the bottom left ? answer : orange . ' +
      '<image_start> <image> <image> <image_end> question : what color is the star ? answer :',
  );
});

test('the exact 2-shot caption prompt', async () => {
  const [segs] = await promptsFor('world-coco', 2);
  assert.deepEqual(texts(segs), ['<image>', 'caption: two stars.', '<image>', 'caption: some red, gray and blue shapes.', '<image>', 'caption:']);
  const doc = tokenizeDocument({ source: 'interleaved', id: 'prompt', segments: segs }, tokenizer, { tokensPerImage: 2, markers: true });
  assert.deepEqual(doc.ids.slice(0, -1), [1, 5, 4, 4, 6, 61, 14, 214, 193, 10, 5, 4, 4, 6, 61, 14, 188, 163, 11, 98, 39, 52, 178, 10, 5, 4, 4, 6, 61, 14]);
});

test('k-shot prompts hold exactly k examples of the task kind, then the query, never the query as a shot', async () => {
  const queries = worldEvalSets(0, {
    captions: 0,
    textCaptions: 0,
    vqa: 12,
    textVqa: 0,
    gqa: 0,
    vizwiz: 0,
    okvqa: 0,
    heldoutCaptions: 0,
    heldoutVqa: 0,
    multipleChoice: 0,
    cloze: 0,
    openQa: 0,
  }).vqa;
  for (const k of [0, 1, 4, 8]) {
    const prompts = await promptsFor('world-vqav2', k, { limit: 12 });
    prompts.forEach((segs, i) => {
      assert.equal(segs.length, 2 * (k + 1));
      segs.forEach((s, j) => assert.equal(s.kind, j % 2 === 0 ? 'image' : 'text'));
      const t = texts(segs);
      for (let j = 0; j < k; j++) assert.match(t[2 * j + 1], /^question: [a-z ]+\? answer: [a-z0-9 ]+\.$/);
      assert.equal(t.at(-1), `question: ${queries[i].question} answer:`);
      for (let j = 0; j < k; j++) assert.ok(!sameImage((segs[2 * j] as { image: RgbImage }).image, queries[i].image), 'the query picture is never a shot');
    });
  }
  // Text-only tasks: shots and query in one text, joined by the separator.
  const [mc] = await promptsFor('world-openqa', 3);
  assert.equal(mc.length, 1);
  const parts = (mc[0] as { text: string }).text.split(/(?<=\.) (?=question:)/);
  assert.equal(parts.length, 4);
  assert.equal(new Set(parts.map((p) => p.replace(/ answer:.*/, ''))).size, 4, 'no shot asks the query question');
});

test('selection is fixed by the seed, changes with it, and 4-shot examples are the first of the 8-shot ones', () => {
  const pool = Array.from({ length: 50 }, (_, i) => ({ id: `p${i}` }));
  const query = { id: 'p7' };
  const pick = (k: number, seed: number) => selectShots({ pool, query, k, seed, task: 't', selection: 'random', sameQuery: () => false }).map((s) => s.id);
  assert.deepEqual(pick(8, 1), pick(8, 1));
  assert.notDeepEqual(pick(8, 1), pick(8, 2));
  assert.deepEqual(pick(8, 1).slice(0, 4), pick(4, 1));
  for (let seed = 0; seed < 20; seed++) {
    const shots = pick(8, seed);
    assert.equal(new Set(shots).size, 8, 'no repeats');
    assert.ok(!shots.includes('p7'), 'never the query');
  }
  // sameQuery excludes more than the id (e.g. the same question under another id).
  const excluded = selectShots({ pool, query, k: 49, seed: 0, task: 't', selection: 'random', sameQuery: (c) => c.id === 'p8' });
  assert.equal(excluded.length, 48, 'fewer only when the pool runs out');
  assert.ok(!excluded.some((s) => s.id === 'p8' || s.id === 'p7'));
});

test('the harness selection is deterministic per seed and differs across seeds', async () => {
  const a = await promptsFor('world-vqav2', 4, { limit: 3, seed: 5 });
  const b = await promptsFor('world-vqav2', 4, { limit: 3, seed: 5 });
  const c = await promptsFor('world-vqav2', 4, { limit: 3, seed: 6 });
  assert.deepEqual(a.map(texts), b.map(texts));
  assert.notDeepEqual(a.map(texts), c.map(texts));
});

test("'similar' selection puts the pool items sharing most words with the query last", () => {
  const pool = [
    { id: 'a', q: 'what color is the star?' },
    { id: 'b', q: 'how many circles are there?' },
    { id: 'c', q: 'what color is the small star?' },
    { id: 'd', q: 'is there a ring?' },
  ];
  const query = { id: 'q', q: 'what color is the star?' };
  const shots = selectShots({ pool, query, k: 2, seed: 0, task: 't', selection: 'similar', sameQuery: () => false, text: (x) => x.q });
  assert.deepEqual(
    shots.map((s) => s.id),
    ['c', 'a'],
  );
});

test('the shot pool keeps repeated texts once and samples large pools by seed', () => {
  const items = ['x', 'y', 'x', 'z', 'y'].map((t, i) => ({ id: String(i), t }));
  assert.deepEqual(
    shotPool(items, 10, 0, 't', (it) => it.t).map((it) => it.id),
    ['0', '1', '3'],
  );
  const many = Array.from({ length: 100 }, (_, i) => i);
  const s1 = shotPool(many, 10, 1, 't');
  assert.equal(new Set(s1).size, 10);
  assert.deepEqual(s1, shotPool(many, 10, 1, 't'));
  assert.notDeepEqual(s1, shotPool(many, 10, 2, 't'));
});
