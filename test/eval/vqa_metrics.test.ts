// Expected values: the official VQA evaluation (GT-Vision-Lab/VQA @ a013f00, vqaEval.py with its
// two Python-2 print statements made Python 3) run on these questions, and its
// processPunctuation / processDigitArticle on these strings. Comments give the hand check.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gqaAccuracy } from '../../src/eval/metrics/gqa.js';
import { vqaAccuracy, vqaQuestionAccuracy } from '../../src/eval/metrics/vqa_accuracy.js';
import { vqaNormalizeAnswer, vqaProcessPunctuation } from '../../src/eval/metrics/vqa_normalize.js';

const rep = (a: string, n: number): string[] => new Array<string>(n).fill(a);

test('normalisation matches the official processPunctuation + processDigitArticle', () => {
  const cases: [string, string, string][] = [
    // input, after processPunctuation, after both
    ['?!', '  ', ''], // all punctuation
    ['1,000', '1000', '1000'], // digit,comma,digit: every punctuation mark is deleted
    ['3,5 (approx.)', '35 approx', '35 approx'],
    ['red - white', 'red  white', 'red white'], // mark next to a space: deleted
    ['red-white', 'red white', 'red white'], // otherwise: replaced by a space
    ['St. Louis', 'St Louis', 'st louis'],
    ['2.', '2', '2'], // the mistyped look-behind strips a period after a digit too
    ['.'.repeat(33) + 'x', '.x', '.x'], // at most 32 periods are stripped (count = re.UNICODE)
    ['none of the above', 'none of the above', '0 of above'], // number words, articles
    ['ten 10 zero', 'ten 10 zero', '10 10 0'],
    ['dont know', 'dont know', "don't know"], // contractions restored
    ['Im here', 'Im here', 'im here'], // capitalised table entries never match
    ["somebody'd", "somebody'd", 'somebodyd'], // the table maps this one backwards
    ["what's up", "what's up", "what's up"], // apostrophes are kept
  ];
  for (const [input, punct, both] of cases) {
    assert.equal(vqaProcessPunctuation(input), punct, input);
    assert.equal(vqaNormalizeAnswer(input), both, input);
  }
});

const QUESTIONS = [
  { prediction: 'yes', answers: rep('yes', 10), answerType: 'yes/no' }, // 1
  { prediction: 'Yes', answers: rep('yes', 10), answerType: 'yes/no' }, // 0: humans agree -> no normalisation
  { prediction: 'two', answers: ['2', '2', 'two', '2', '2', '3', '2', '2', '2', '2'], answerType: 'number' }, // 1
  { prediction: 'red', answers: [...rep('red', 2), ...rep('blue', 8)], answerType: 'other' }, // (2/3 + 8 * 2/3 ... ) = 0.6
  { prediction: '?!', answers: [...rep('...', 3), ...rep('yes', 7)], answerType: 'other' }, // "" = "": (3 * 2/3 + 7) / 10
  { prediction: '1,000', answers: [...rep('1,000', 4), ...rep('1000', 6)], answerType: 'number' }, // 1
  { prediction: 'dont know', answers: [...rep('dont know', 3), ...rep("don't know", 3), ...rep('no idea', 4)], answerType: 'other' }, // 1
  { prediction: 'dog', answers: [...rep('a dog', 2), 'the dog', ...rep('dogs', 7)], answerType: 'other' }, // 0.9
  { prediction: 'St. Louis', answers: [...rep('st louis', 5), ...rep('saint louis', 5)], answerType: 'other' }, // 1
  { prediction: '2.', answers: [...rep('2', 4), ...rep('3', 6)], answerType: 'number' }, // 1
  { prediction: 'red - white', answers: [...rep('red white', 5), ...rep('red/white', 5)], answerType: 'other' }, // 1
  { prediction: '.'.repeat(33) + 'x', answers: [...rep('x', 9), 'y'], answerType: 'other' }, // 0: ".x" != "x"
  { prediction: '  two\n', answers: [...rep('2', 3), ...rep('4', 7)], answerType: 'number' }, // 3 held out: 2/3; 7: 1 -> 0.9
];

test('per-question accuracy and rounded totals match the official evaluation', () => {
  const acc = vqaAccuracy(QUESTIONS);
  assert.deepEqual(acc.perQuestion, [1, 0, 1, 0.6, 0.9, 1, 1, 0.9, 1, 1, 1, 0, 0.9]);
  assert.equal(acc.overall, 79.23);
  assert.deepEqual(acc.perAnswerType, { 'yes/no': 50, number: 97.5, other: 77.14 });
});

test('answers are left out as whole records, as the official code compares dicts', () => {
  // Identical records (no answer_id) are all left out together: 3 held-out "yes" see 0 matches.
  const records = [{ answer: 'yes' }, { answer: 'yes' }, { answer: 'yes' }, { answer: 'no' }];
  assert.equal(vqaQuestionAccuracy('yes', records), 0.25);
  assert.equal(vqaQuestionAccuracy('yes', ['yes', 'yes', 'yes', 'no']), 0.75); // strings are distinct: (3 * 2/3 + 1) / 4
});

test('transformPrediction hooks in stemming (OK-VQA) before scoring', () => {
  const stem = (p: string): string => p.replace(/ing$/, '');
  assert.equal(vqaQuestionAccuracy('surfing', rep('surf', 10), { transformPrediction: stem }), 1);
});

test('GQA accuracy is exact, case-sensitive match', () => {
  assert.equal(
    gqaAccuracy([
      { prediction: 'left', answer: 'left' },
      { prediction: 'Left', answer: 'left' },
      { prediction: 'no', answer: 'yes' },
      { prediction: 'yes', answer: 'yes' },
    ]),
    50,
  );
});
