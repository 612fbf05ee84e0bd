// Each SFT benchmark's answer parsing and metric against its official script, on hand-made
// answers whose official outcome was worked out by reading that script:
// - ScienceQA: haotian-liu/LLaVA llava/eval/eval_science_qa.py @ c121f0432da27facab705978f83c4ada465e46fd
// - MMMU: MMMU-Benchmark/MMMU eval/eval_utils.py @ 44b45b50e925b97aefcef1d75c6946ae3cfccaf2
// - MathVista: lupantech/MathVista evaluation/calculate_score.py @ 2a249bbeb72cf1c25520c2677376def9b6fb4304
//   and evaluation/extract_answer.py @ 0a520c46ca1b41daf4c10656d6fb721b50d15f50
// - MME: BradyFU/Awesome-Multimodal-Large-Language-Models tools/eval_tool.zip (calculation.py)
//   @ 1c1d69e138b57cf8b0400427927bfb8ed4285458
// - MMBench letters: open-compass/VLMEvalKit vlmeval/utils/matching_util.py
//   @ 18fc37a5337e31eec9c104887728ad14e82a6a85 (can_infer) and vlmeval/evaluate/multiple_choice.py
//   @ 674affd92d715a81af5811127cbc73b57ec4fafa (mcq_circular_eval, exact-matching mode)
// - SEED-Bench letters: haotian-liu/LLaVA scripts/convert_seed_for_submission.py @ c121f043 (exact letter)
// - POPE: AoiDragon/POPE evaluate.py @ f3ec604337f1d1c9723ef8d01b4accacf8badb3d
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SftBenchItem, SftGold } from '../../src/eval/sftbench/item.js';
import { extractMathVista, normalizeMathVista, pyFloatRepr, scoreMathVista } from '../../src/eval/sftbench/mathvista.js';
import { scoreMmbench } from '../../src/eval/sftbench/mmbench.js';
import { parseMmeAnswer, scoreMme } from '../../src/eval/sftbench/mme.js';
import { extractNumbers, mmmuCorrect, parseMmmuChoice, parseMmmuOpen } from '../../src/eval/sftbench/mmmu.js';
import { matchOption } from '../../src/eval/sftbench/option_match.js';
import { parsePopeAnswer, scorePope } from '../../src/eval/sftbench/pope.js';
import { scienceQaChoice } from '../../src/eval/sftbench/scienceqa.js';

const item = (id: string, gold: SftGold): SftBenchItem => ({ id, image: { path: 'x.png' }, question: '', reference: '', gold });

test('ScienceQA: LLaVA reads a bare letter, "X. ...", or one "The answer is X"; anything else fails', () => {
  assert.equal(scienceQaChoice('B', 3), 1);
  assert.equal(scienceQaChoice(' C \n', 3), 2, 'the output is stripped first (LLaVA strips it when answering)');
  assert.equal(scienceQaChoice('A. because', 2), 0);
  assert.equal(scienceQaChoice('I think The answer is B.', 2), 1);
  assert.equal(scienceQaChoice('The answer is C', 4), -1, 'the pattern needs a character after the letter');
  assert.equal(scienceQaChoice('The answer is A. No, The answer is B.', 3), -1, 'two matches: FAILED');
  assert.equal(scienceQaChoice('D', 3), -1, 'a letter past the choices is wrong');
  assert.equal(scienceQaChoice('b', 3), -1, 'lower case is not a letter answer');
  assert.equal(scienceQaChoice('(A)', 3), -1, 'no rule reads "(A)"');
  assert.equal(scienceQaChoice('the answer is A.', 3), -1, 'the phrase is case-sensitive');
});

test('MMMU multiple choice: bracketed letters first, then bare letters, then option texts; the last mention wins', () => {
  const opts = ['red apple', 'blue sky', 'green grass', 'yellow sun'];
  assert.equal(parseMmmuChoice('B.', opts, 'q'), 'B', 'trailing punctuation is stripped first');
  assert.equal(parseMmmuChoice('(C) green grass', opts, 'q'), 'C');
  assert.equal(parseMmmuChoice('Not (A) but (D)', opts, 'q'), 'D', 'two bracketed letters: the later one');
  assert.equal(parseMmmuChoice('A or B, I pick B', opts, 'q'), 'B', 'bare letters: the one found last (rfind)');
  assert.equal(parseMmmuChoice('the picture shows a lovely green grass field', opts, 'q'), 'C', 'over five words: option text');
  assert.equal(parseMmmuChoice('green grass', opts, 'q'), parseMmmuChoice('green grass', opts, 'q'), 'five words or fewer: random, but seeded');
  assert.ok(['A', 'B', 'C', 'D'].includes(parseMmmuChoice('no idea', opts, 'q')));
  assert.equal(parseMmmuChoice("'A'", opts, 'q'), 'A', "quotes are stripped (the last char in MMMU's list)");
});

test('MMMU open answers: tails after indicator words, their numbers, normalised; eval_open matches', () => {
  // The plain-number pattern also finds "234" in "1,234" and "3" in "5e3" (MMMU's regexes do).
  assert.deepEqual(extractNumbers('total 1,234 and 5e3 or -2.5 and 7'), ['1,234', '5e3', '234', '3', '-2.5', '7']);
  // "the answer is 42." → stripped of ".", lower-cased; tails after "answer " ("is 42") and
  // "is " ("42"): the shorter, "42"; as a number 42.0.
  assert.deepEqual(parseMmmuOpen('The answer is 42.'), [{ num: 42 }, { num: 42 }]);
  assert.ok(mmmuCorrect({ bench: 'mmmu', questionType: 'open', options: [], answer: '42', subject: 'Math', randomGuess: false }, 'The answer is 42.', 'q').hit);
  assert.ok(
    mmmuCorrect({ bench: 'mmmu', questionType: 'open', options: [], answer: '3.14159', subject: 'Math', randomGuess: false }, '3.14', 'q').hit,
    'numbers are compared after rounding to 2 places',
  );
  assert.ok(!mmmuCorrect({ bench: 'mmmu', questionType: 'open', options: [], answer: '3.1', subject: 'Math', randomGuess: false }, '3.14', 'q').hit);
  assert.ok(
    mmmuCorrect(
      { bench: 'mmmu', questionType: 'open', options: [], answer: ['Paris', 'paris city'], subject: 'Geo', randomGuess: false },
      'It is paris, france',
      'q',
    ).hit,
    'a text answer counts when the gold text is inside the tail',
  );
  // A one-letter gold is padded (" x", "x ") so it does not match inside words.
  assert.ok(!mmmuCorrect({ bench: 'mmmu', questionType: 'open', options: [], answer: 'x', subject: 'Math', randomGuess: false }, 'box', 'q').hit);
  // No indicator: the whole answer is the one tail.
  assert.deepEqual(parseMmmuOpen('Blue'), [{ str: 'blue' }]);
});

test('MathVista: official quick rules, mm1 rules in place of GPT-4, then calculate_score normalisation', () => {
  const mc: Extract<SftGold, { bench: 'mathvista' }> = {
    bench: 'mathvista',
    questionType: 'multi_choice',
    answerType: 'text',
    choices: ['145°', '35°', '55°'],
    precision: null,
    answer: '35°',
  };
  assert.equal(extractMathVista('35°', mc), '35°', 'a response that is a choice is kept');
  assert.equal(normalizeMathVista(extractMathVista('The answer is B.', mc), mc), '35°', 'letter B → second choice');
  assert.equal(normalizeMathVista('(C) 55°', mc), '55°', '"(C)" is read as letter C');
  assert.equal(normalizeMathVista('145', mc), '145°', 'else the closest choice by edit distance');
  const int: Extract<SftGold, { bench: 'mathvista' }> = {
    bench: 'mathvista',
    questionType: 'free_form',
    answerType: 'integer',
    choices: null,
    precision: null,
    answer: '12',
  };
  assert.equal(extractMathVista(' 12 ', int), '12', 'int(" 12 ") parses');
  assert.equal(extractMathVista('There are 3 cats and 12 dogs', int), '12', 'mm1: the last number');
  assert.equal(normalizeMathVista('12.7', int), '12', 'str(int(float("12.7")))');
  assert.equal(normalizeMathVista('twelve', int), null, 'not a number: None, never equal');
  const flt: Extract<SftGold, { bench: 'mathvista' }> = {
    bench: 'mathvista',
    questionType: 'free_form',
    answerType: 'float',
    choices: null,
    precision: 1,
    answer: '2.0',
  };
  assert.equal(normalizeMathVista('2', flt), '2.0', 'str(round(2.0, 1)) is "2.0"');
  assert.equal(normalizeMathVista('1.25', { ...flt, precision: 1 }), '1.2', 'Python rounds the binary value: round(1.25, 1) = 1.2');
  assert.equal(pyFloatRepr(1e16), '1e+16');
  assert.equal(pyFloatRepr(0.00001), '1e-05');
  const s = scoreMathVista([
    { item: item('1', mc), prediction: 'B' },
    { item: item('2', int), prediction: '12' },
    { item: item('3', flt), prediction: '2.04' },
    { item: item('4', int), prediction: 'none' },
  ]);
  assert.equal(s.metrics.accuracy, 75);
  assert.equal(s.metrics['accuracy/multi_choice'], 100);
});

test('MME: calculation.py parsing; per subtask acc + acc+, perception and cognition sums', () => {
  assert.equal(parseMmeAnswer('Yes'), 'yes');
  assert.equal(parseMmeAnswer('No, it is not.'), 'no');
  assert.equal(parseMmeAnswer('not really'), 'no', '"not" starts with "no"');
  assert.equal(parseMmeAnswer('I think yes'), 'other', 'only the first four characters count');
  assert.equal(parseMmeAnswer('Yes and no'), 'yes');
  const q = (subtask: string, image: string, answer: 'yes' | 'no', n: number) =>
    item(`${subtask}/${image}#${n}`, { bench: 'mme', subtask, imageName: image, answer });
  const rows = [
    // existence: picture a both right, picture b one right → acc 3/4, acc+ 1/2 → 75 + 50.
    { item: q('existence', 'a.jpg', 'yes', 0), prediction: 'Yes' },
    { item: q('existence', 'a.jpg', 'no', 1), prediction: 'No' },
    { item: q('existence', 'b.jpg', 'yes', 0), prediction: 'Yes' },
    { item: q('existence', 'b.jpg', 'no', 1), prediction: 'maybe' },
    // count: one picture, both right → 100 + 100.
    { item: q('count', 'c.jpg', 'yes', 0), prediction: 'yes' },
    { item: q('count', 'c.jpg', 'no', 1), prediction: 'no' },
    // code_reasoning: both wrong → 0.
    { item: q('code_reasoning', 'd.png', 'yes', 0), prediction: 'No' },
    { item: q('code_reasoning', 'd.png', 'no', 1), prediction: 'Yes' },
  ];
  const s = scoreMme(rows);
  assert.equal(s.metrics.existence, 125);
  assert.equal(s.metrics['existence/acc'], 75);
  assert.equal(s.metrics['existence/acc_plus'], 50);
  assert.equal(s.metrics.count, 200);
  assert.equal(s.metrics.perception, 325);
  assert.equal(s.metrics.cognition, 0);
  assert.equal(s.primary, 'perception');
});

test('MMBench letters: VLMEvalKit can_infer (one letter among the words, else one option text)', () => {
  const opts = { A: 'cat', B: 'dog', C: 'bird', D: 'fish' };
  assert.equal(matchOption('B', opts), 'B');
  assert.equal(matchOption('(C) bird.', opts), 'C');
  assert.equal(matchOption('The answer is D', opts), 'D');
  assert.equal(matchOption('A or B', opts), undefined, 'two letters: no match');
  assert.equal(matchOption('it is a dog', opts), 'B', 'no letter: the one option text inside');
  assert.equal(matchOption('a dog and a cat', opts), undefined, 'two option texts: no match');
  assert.equal(matchOption('Cannot determine the answer', opts), 'Z');
});

test('MMBench CircularEval: a question counts only if every shift is right', () => {
  const row = (group: number, round: number, answer: string, category = 'ocr') =>
    item(`${group}#${round}`, { bench: 'mmbench', group, round, answer, options: { A: 'x', B: 'y', C: 'z' }, category });
  const s = scoreMmbench([
    { item: row(1, 0, 'A'), prediction: 'A' },
    { item: row(1, 1, 'C'), prediction: 'C' },
    { item: row(1, 2, 'B'), prediction: 'B.' },
    { item: row(2, 0, 'B', 'scene'), prediction: 'B' },
    { item: row(2, 1, 'A', 'scene'), prediction: 'A' },
    { item: row(2, 2, 'C', 'scene'), prediction: 'B' },
  ]);
  assert.equal(s.metrics.accuracy, 50, 'question 2 misses one shift');
  assert.equal(s.metrics.single_pass, 100, 'both are right in the original order');
  assert.equal(s.metrics['accuracy/ocr'], 100);
  assert.equal(s.metrics['accuracy/scene'], 0);
});

test('POPE: evaluate.py keeps the first sentence and looks for no/No/not; accuracy, precision, recall, F1, yes-ratio', () => {
  assert.equal(parsePopeAnswer('Yes, there is.'), 'yes');
  assert.equal(parsePopeAnswer('No.'), 'no');
  assert.equal(parsePopeAnswer('There is not a dog'), 'no');
  assert.equal(parsePopeAnswer('NO'), 'yes', 'upper-case NO is not among the words');
  assert.equal(parsePopeAnswer('Yes. No'), 'yes', 'only the first sentence');
  assert.equal(parsePopeAnswer('no,'), 'no', 'commas are dropped');
  const p = (label: 'yes' | 'no', i: number) => item(String(i), { bench: 'pope', answer: label });
  // labels yes yes yes no no; answers yes yes no yes no → TP 2, FN 1, FP 1, TN 1.
  const s = scorePope(['yes', 'yes', 'yes', 'no', 'no'].map((l, i) => ({ item: p(l as 'yes' | 'no', i), prediction: ['Yes', 'yes', 'No', 'Yes', 'no'][i] })));
  assert.equal(s.metrics.accuracy, 60);
  assert.ok(Math.abs(s.metrics.precision - 200 / 3) < 1e-9);
  assert.ok(Math.abs(s.metrics.recall - 200 / 3) < 1e-9);
  assert.ok(Math.abs(s.metrics.f1 - 200 / 3) < 1e-9);
  assert.equal(s.metrics.yes_ratio, 60);
});
