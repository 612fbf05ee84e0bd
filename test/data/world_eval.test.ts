// The evaluation sets have the shapes their metrics need, and text items are well posed.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { worldEvalSets } from '../../src/data/world/eval_sets.js';
import { FACTS } from '../../src/data/world/knowledge.js';

const sets = worldEvalSets(3, {}, { imageSize: 16 });

test('sizes, ids and image sizes follow the request', () => {
  const small = worldEvalSets(3, { captions: 3, vqa: 0 }, { imageSize: 32 });
  assert.equal(small.captions.length, 3);
  assert.equal(small.vqa.length, 0);
  assert.equal(small.captions[0].image.width, 32);
  const ids = Object.values(sets).flatMap((items) => (items as { id: string }[]).map((i) => i.id));
  assert.equal(new Set(ids).size, ids.length, 'ids are unique');
});

test('caption items have five references; VQA items ten answers of the right kinds', () => {
  for (const it of [...sets.captions, ...sets.textCaptions, ...sets.heldoutCaptions]) assert.equal(it.references.length, 5);
  for (const it of sets.textCaptions) assert.ok(it.references.every((r) => r.includes(it.scene!.text!.word)));
  for (const it of [...sets.vqa, ...sets.textVqa, ...sets.gqa, ...sets.heldoutVqa]) assert.equal(it.answers.length, 10);
  const types = (items: typeof sets.vqa) => [...new Set(items.map((i) => i.questionType))].sort();
  assert.deepEqual(types(sets.vqa), ['color', 'count', 'exist', 'shape']);
  assert.deepEqual(types(sets.textVqa), ['read']);
  assert.deepEqual(types(sets.gqa), ['relation']);
  const yes = sets.vqa.filter((i) => i.answers[0] === 'yes').length;
  const no = sets.vqa.filter((i) => i.answers[0] === 'no').length;
  assert.ok(yes > 0.3 * (yes + no) && no > 0.3 * (yes + no), `yes/no balance ${yes}:${no}`);
});

test('multiple choice: distinct choices, one right answer that matches the fact or story', () => {
  for (const it of sets.multipleChoice) {
    assert.equal(new Set(it.choices).size, it.choices.length, it.id);
    assert.ok(it.choices.length >= 2 && it.answerIndex >= 0 && it.answerIndex < it.choices.length, it.id);
    const fact = FACTS.find((f) => `question: ${f.question} answer:` === it.context);
    if (fact) assert.ok(fact.answers.includes(it.choices[it.answerIndex]), it.id);
  }
});

test('cloze and open QA: answers are words, facts are stated with their answers', () => {
  for (const it of sets.cloze) assert.match(it.target, /^[a-z]+$/, it.id);
  for (const f of FACTS) {
    if (f.clozable) assert.ok(f.statement.endsWith(` ${f.answers[0]}.`), f.statement);
  }
  for (const it of sets.openQa) assert.ok(it.answers.length >= 1 && FACTS.some((f) => f.question === it.question), it.id);
});

test('arithmetic facts are right', () => {
  const n = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];
  let checked = 0;
  for (const f of FACTS) {
    const m = f.statement.match(/^(\w+) (plus|minus) (\w+) is (\w+)\.$/);
    if (!m) continue;
    const [a, b, c] = [n.indexOf(m[1]), n.indexOf(m[3]), n.indexOf(m[4])];
    assert.equal(m[2] === 'plus' ? a + b : a - b, c, f.statement);
    assert.deepEqual(f.answers.slice(0, 2), c === 0 ? ['zero', '0'] : [n[c], String(c)]);
    checked++;
  }
  assert.ok(checked > 40);
});
