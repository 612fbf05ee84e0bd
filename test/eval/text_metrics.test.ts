// Hand-checked values for the TextCore scorers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { exactMatch, exactMatchAccuracy, normalizeAnswer } from '../../src/eval/metrics/exact_match.js';
import { lambadaAccuracy, lambadaPredictedWord } from '../../src/eval/metrics/lambada.js';
import { multipleChoiceAccuracy, pickChoice } from '../../src/eval/metrics/multiple_choice.js';

test('multiple choice: raw, per-token and per-char normalisation pick different answers', () => {
  // totals -4, -3.9, -6; per token -2, -3.9, -3; per char -0.5, -0.65, -0.3
  const q = { logProbs: [-4, -3.9, -6], tokenLengths: [2, 1, 2], charLengths: [8, 6, 20], gold: 0 };
  assert.equal(pickChoice(q), 1);
  assert.equal(pickChoice(q, 'per-token'), 0);
  assert.equal(pickChoice(q, 'per-char'), 2);
  assert.equal(pickChoice({ logProbs: [-1, -1], gold: 1 }), 0); // ties go to the first choice
  assert.equal(multipleChoiceAccuracy([q, { ...q, gold: 1 }, { logProbs: [-1, -1], gold: 1 }]), 1 / 3);
  assert.throws(() => pickChoice({ logProbs: [-1], gold: 0 }, 'per-char'), /needs charLengths/);
  assert.throws(() => multipleChoiceAccuracy([{ logProbs: [-1], gold: 3 }]), /gold 3 but 1 choices/);
});

test('exact match normalises like SQuAD and TriviaQA', () => {
  assert.equal(normalizeAnswer('  The Eiffel-Tower! '), 'eiffeltower'); // SQuAD deletes "-"
  assert.equal(normalizeAnswer('  The Eiffel-Tower! ', 'triviaqa'), 'eiffel tower');
  assert.equal(normalizeAnswer('A theory of an apple'), 'theory of apple'); // articles only as whole words
  assert.equal(normalizeAnswer('Café the'), 'café');
  assert.equal(normalizeAnswer('\u2018Hello\u2019', 'triviaqa'), 'hello');
  assert.equal(exactMatch('the Beatles.', ['Beatles', 'The Fab Four']), true);
  assert.equal(exactMatch('Beatle', ['Beatles']), false);
  assert.equal(
    exactMatchAccuracy([
      { prediction: 'Paris', answers: ['paris'] },
      { prediction: '', answers: ['x'] },
    ]),
    0.5,
  );
});

test('LAMBADA compares the first generated word with the target', () => {
  assert.equal(lambadaPredictedWord(' dog. And then'), 'dog');
  assert.equal(lambadaPredictedWord('"Harry," she said'), 'Harry');
  assert.equal(lambadaPredictedWord(''), '');
  assert.equal(
    lambadaAccuracy([
      { generated: ' dog.', target: 'dog' },
      { generated: 'Dog', target: 'dog' },
      { generated: '', target: 'cat' },
    ]),
    1 / 3,
  );
});
