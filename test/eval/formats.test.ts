// The TextCore readers on tiny fixtures in their released layouts, and their errors on
// malformed input (file and line named, with what to fix).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { readArc } from '../../src/eval/formats/arc.js';
import { readHellaswag } from '../../src/eval/formats/hellaswag.js';
import { collect } from '../../src/eval/formats/jsonl.js';
import { readLambada } from '../../src/eval/formats/lambada.js';
import { readPiqa } from '../../src/eval/formats/piqa.js';
import { readSciq } from '../../src/eval/formats/sciq.js';
import { readTriviaqa } from '../../src/eval/formats/triviaqa.js';
import { readWebqs } from '../../src/eval/formats/webqs.js';
import { readWinogrande } from '../../src/eval/formats/winogrande.js';
import { tempDir } from '../data/fixtures.js';

const dir = tempDir('textcore');
const jsonl = (name: string, rows: unknown[]): string => {
  const path = join(dir, name);
  writeFileSync(path, rows.map((r) => (typeof r === 'string' ? r : JSON.stringify(r))).join('\n') + '\n');
  return path;
};

test('ARC: stem and labelled choices; answerKey letters or digits', async () => {
  const path = jsonl('arc.jsonl', [
    {
      id: 'Mercury_1',
      question: {
        stem: 'Which is a gas?',
        choices: [
          { label: 'A', text: 'ice' },
          { label: 'B', text: 'steam' },
        ],
      },
      answerKey: 'B',
    },
    {
      id: 'NYSED_2',
      question: {
        stem: 'Pick one.',
        choices: [
          { label: '1', text: 'x' },
          { label: '2', text: 'y' },
          { label: '3', text: 'z' },
        ],
      },
      answerKey: '1',
    },
  ]);
  assert.deepEqual(await collect(readArc(path)), [
    { id: 'Mercury_1', context: 'Question: Which is a gas?\nAnswer:', choices: ['ice', 'steam'], answerIndex: 1 },
    { id: 'NYSED_2', context: 'Question: Pick one.\nAnswer:', choices: ['x', 'y', 'z'], answerIndex: 0 },
  ]);
  const bad = jsonl('arc-bad.jsonl', [
    {
      question: {
        stem: 'ok',
        choices: [
          { label: 'A', text: 'a' },
          { label: 'B', text: 'b' },
        ],
      },
      answerKey: 'A',
    },
    '',
    {
      question: {
        stem: 'q',
        choices: [
          { label: 'A', text: 'a' },
          { label: 'B', text: 'b' },
        ],
      },
      answerKey: 'E',
    },
  ]);
  await assert.rejects(collect(readArc(bad)), (e: Error) => e.message === `${bad} line 3: answerKey "E" is not one of the labels A, B.`);
});

test('PIQA: labels from the .lst file or a label field', async () => {
  const path = jsonl('piqa.jsonl', [
    { goal: 'Open a jar', sol1: 'twist the lid', sol2: 'eat the lid' },
    { goal: 'Dry hair', sol1: 'use water', sol2: 'use a towel' },
  ]);
  const labels = join(dir, 'piqa-labels.lst');
  writeFileSync(labels, '0\n1\n');
  const items = await collect(readPiqa(path, labels));
  assert.deepEqual(
    items.map((i) => [i.context, i.choices, i.answerIndex]),
    [
      ['Question: Open a jar\nAnswer:', ['twist the lid', 'eat the lid'], 0],
      ['Question: Dry hair\nAnswer:', ['use water', 'use a towel'], 1],
    ],
  );
  const withField = jsonl('piqa-label.jsonl', [{ goal: 'g', sol1: 'a', sol2: 'b', label: 1 }]);
  assert.equal((await collect(readPiqa(withField)))[0].answerIndex, 1);
  writeFileSync(labels, '0\n');
  await assert.rejects(collect(readPiqa(path, labels)), /piqa\.jsonl line 2: no label: .*piqa-labels\.lst has only 1 lines/);
  await assert.rejects(collect(readPiqa(path)), /piqa\.jsonl line 1: no "label" field and no labels file\. Fix: pass the labels file/);
});

test('LAMBADA: the last word is the target', async () => {
  const path = jsonl('lambada.jsonl', [{ text: 'he handed her the key and she opened the door' }, { text: 'oneword' }]);
  const reader = readLambada(path);
  await assert.rejects(collect(reader), (e: Error) => e.message.startsWith(`${path} line 2: the passage has no space`));
  assert.deepEqual(await collect(readLambada(path), 1), [{ id: 'lambada.jsonl:1', context: 'he handed her the key and she opened the', target: 'door' }]);
});

test('WinoGrande: each option fills the blank; the rest of the sentence is scored', async () => {
  const path = jsonl('wino.jsonl', [
    { qID: 'w1', sentence: 'The trophy did not fit in the case because _ was too big.', option1: 'the trophy', option2: 'the case', answer: '1' },
  ]);
  assert.deepEqual(await collect(readWinogrande(path)), [
    {
      id: 'w1',
      context: 'The trophy did not fit in the case because ',
      choices: ['was too big.', 'was too big.'],
      answerIndex: 0,
      choiceContexts: ['The trophy did not fit in the case because the trophy', 'The trophy did not fit in the case because the case'],
    },
  ]);
  const unlabeled = jsonl('wino-test.jsonl', [{ sentence: 'a _ b', option1: 'x', option2: 'y', answer: '' }]);
  await assert.rejects(collect(readWinogrande(unlabeled)), /wino-test\.jsonl line 1: "answer" is empty \(the unlabeled test split\?\)/);
});

test('HellaSwag: activity label, WikiHow markup removed, numeric or string label', async () => {
  const path = jsonl('hs.jsonl', [
    { ind: 4, activity_label: 'Baking cookies', ctx: 'A woman [header] mixes flour.', endings: ['She bakes.', 'She [title] swims.'], label: '1' },
  ]);
  assert.deepEqual(await collect(readHellaswag(path)), [
    { id: '4', context: 'Baking cookies: A woman mixes flour.', choices: ['She bakes.', 'She. swims.'], answerIndex: 1 },
  ]);
  const bad = jsonl('hs-bad.jsonl', [{ ctx: 'c', endings: ['a', 'b'], label: 5 }]);
  await assert.rejects(collect(readHellaswag(bad)), /hs-bad\.jsonl line 1: label 5 is out of range: there are 2 choices/);
});

test('SciQ: support, question, distractors then the correct answer', async () => {
  const path = jsonl('sciq.jsonl', [
    {
      question: 'What do plants make?',
      distractor1: 'salt',
      distractor2: 'iron',
      distractor3: 'oil',
      correct_answer: 'sugar',
      support: '  Plants photosynthesise.',
    },
  ]);
  assert.deepEqual(await collect(readSciq(path)), [
    {
      id: 'sciq.jsonl:1',
      context: 'Plants photosynthesise.\nQuestion: What do plants make?\nAnswer:',
      choices: ['salt', 'iron', 'oil', 'sugar'],
      answerIndex: 3,
    },
  ]);
});

test('TriviaQA and WebQuestions: every alias counts', async () => {
  const tq = jsonl('tq.jsonl', [{ question_id: 'tc_1', question: 'Which planet is red?', answer: { value: 'Mars', aliases: ['Mars', 'The Red Planet'] } }]);
  assert.deepEqual(await collect(readTriviaqa(tq)), [{ id: 'tc_1', question: 'Which planet is red?', answers: ['Mars', 'The Red Planet'] }]);
  const wq = jsonl('wq.jsonl', [
    { question: 'where is paris?', answers: ['France'] },
    { question: 'who?', answers: [] },
  ]);
  await assert.rejects(collect(readWebqs(wq)), /wq\.jsonl line 2: field "answers" must be a non-empty list of strings, got \[\]\. Fix:/);
});

test('not JSON, wrong shape or a missing file: named with the fix', async () => {
  const broken = jsonl('broken.jsonl', [{ question: 'q', answers: ['a'] }, '{"question": "q", "answers": [']);
  await assert.rejects(collect(readWebqs(broken)), /broken\.jsonl line 2: invalid JSON .*Fix: each line must be one JSON object like/);
  const arr = jsonl('array.jsonl', ['[1, 2]']);
  await assert.rejects(collect(readLambada(arr)), /array\.jsonl line 1: expected a JSON object like \{"text": "\.\.\."\}, got \[1,2\]/);
  await assert.rejects(collect(readArc(join(dir, 'nope.jsonl'))), /cannot read .*nope\.jsonl: no such file/);
});
