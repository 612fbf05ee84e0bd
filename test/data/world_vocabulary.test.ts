// The world's language is closed and small: everything generated, for training and for
// evaluation, splits into words of worldVocabulary(), and that list stays a few hundred long.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { worldEvalSets } from '../../src/data/world/eval_sets.js';
import { splitWorldText, worldCorpusText, worldVocabulary } from '../../src/data/world/vocabulary.js';

test('every generated word is in the vocabulary, which stays small', () => {
  const vocab = new Set(worldVocabulary());
  assert.ok(vocab.size >= 150 && vocab.size <= 400, `vocabulary has ${vocab.size} entries`);
  const texts = [...worldCorpusText(1, 600)];
  const sets = worldEvalSets(1, {}, { imageSize: 8 });
  for (const it of [...sets.captions, ...sets.textCaptions, ...sets.heldoutCaptions]) texts.push(...it.references);
  for (const it of [...sets.vqa, ...sets.textVqa, ...sets.gqa, ...sets.heldoutVqa]) texts.push(it.question, ...it.answers);
  for (const it of sets.multipleChoice) texts.push(it.context, ...it.choices);
  for (const it of sets.cloze) texts.push(it.context, it.target);
  for (const it of sets.openQa) texts.push(it.question, ...it.answers);
  const used = new Set<string>();
  for (const t of texts) {
    assert.match(t, /^[a-z0-9.,?: ]+$/, `unexpected characters in "${t}"`);
    for (const w of splitWorldText(t)) {
      assert.ok(vocab.has(w), `"${w}" (in "${t}") is missing from worldVocabulary()`);
      used.add(w);
    }
  }
  // the list is not padded: nearly all of it shows up in a modest sample
  assert.ok(used.size >= vocab.size - 5, `only ${used.size} of ${vocab.size} words appear`);
});

test('splitWorldText separates words, numbers and punctuation', () => {
  assert.deepEqual(splitWorldText('question: how many stars? answer: 2.'), ['question', ':', 'how', 'many', 'stars', '?', 'answer', ':', '2', '.']);
});
