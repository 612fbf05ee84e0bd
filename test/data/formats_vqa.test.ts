import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { readLlava } from '../../src/data/formats/llava.js';
import { readVqaV2 } from '../../src/data/formats/vqa.js';
import { readGqa, readTextVqa, readVizWiz } from '../../src/data/formats/vqa_variants.js';
import { collect, tempDir, writePng } from './fixtures.js';

function writeJson(dir: string, name: string, value: unknown): string {
  const path = join(dir, name);
  writeFileSync(path, JSON.stringify(value));
  return path;
}

const TEN = (a: string) => Array.from({ length: 10 }, (_, i) => ({ answer: i < 7 ? a : 'other', answer_confidence: 'yes', answer_id: i + 1 }));

test('VQAv2 / OK-VQA: questions joined with annotations, COCO image naming, broken records', async () => {
  const dir = tempDir('vqa');
  writeFileSync(join(dir, 'COCO_val2014_000000000042.jpg'), 'not decoded by the reader');
  const questions = writeJson(dir, 'q.json', {
    data_subtype: 'val2014',
    questions: [
      { image_id: 42, question: 'What colour?', question_id: 42000 },
      { image_id: 43, question: 'Missing image?', question_id: 43000 },
      { image_id: 42, question_id: 42001 },
    ],
  });
  const annotations = writeJson(dir, 'a.json', {
    annotations: [
      { question_id: 42000, image_id: 42, answers: TEN('red'), answer_type: 'other' },
      { question_id: 43000, image_id: 43, answers: TEN('no') },
    ],
  });
  await assert.rejects(collect(readVqaV2({ questions, annotations }, { imageRoot: dir })), (e: Error) =>
    e.message.startsWith(`${questions} questions[1]: image ${join(dir, 'COCO_val2014_000000000043.jpg')} not found. Fix:`),
  );
  const reader = readVqaV2({ questions, annotations, dataset: 'okvqa' }, { imageRoot: dir, onError: 'skip' });
  const items = await collect(reader);
  assert.deepEqual(items, [
    {
      dataset: 'okvqa',
      questionId: '42000',
      imageId: '42',
      imagePath: join(dir, 'COCO_val2014_000000000042.jpg'),
      question: 'What colour?',
      answers: [...Array(7).fill('red'), ...Array(3).fill('other')],
      answerType: 'other',
    },
  ]);
  assert.deepEqual([reader.report.read, reader.report.skipped], [1, 2]);
  assert.match(reader.report.problems[1], /questions\[2\]: question_id 42001 has no annotation in .*a\.json/);
  const testSplit = readVqaV2({ questions }, { imageRoot: dir, onError: 'skip' });
  assert.deepEqual(
    (await collect(testSplit)).map((i) => i.answers),
    [[]],
  );
  assert.match(testSplit.report.problems[1], /questions\[2\]: question: expected string, but the field is missing/);
});

test('TextVQA, VizWiz and GQA layouts map onto the same item', async () => {
  const dir = tempDir('vqa-variants');
  await writePng(join(dir, 'abc123.jpg'), [0, 0, 0]);
  await writePng(join(dir, 'VizWiz_val_00000001.jpg'), [0, 0, 0]);
  await writePng(join(dir, 'n161313.jpg'), [0, 0, 0]);
  const textvqa = writeJson(dir, 'textvqa.json', {
    dataset_name: 'textvqa',
    data: [
      { question: 'What brand?', image_id: 'abc123', answers: Array(10).fill('nokia'), question_id: 34602, set_name: 'val' },
      { question: 'Broken?', image_id: 'abc123', answers: 'nokia', question_id: 34603 },
    ],
  });
  const tv = readTextVqa(textvqa, { imageRoot: dir, onError: 'skip' });
  const [t] = await collect(tv);
  assert.deepEqual([t.dataset, t.questionId, t.imageId, t.answers.length, t.answers[0]], ['textvqa', '34602', 'abc123', 10, 'nokia']);
  assert.match(tv.report.problems[0], /data\[1\]: "answers" must be a list/);

  const vizwiz = writeJson(dir, 'vizwiz.json', [
    {
      image: 'VizWiz_val_00000001.jpg',
      question: 'What is this?',
      answers: [
        { answer: 'soup', answer_confidence: 'yes' },
        { answer: 'unanswerable', answer_confidence: 'maybe' },
      ],
      answer_type: 'other',
      answerable: 1,
    },
  ]);
  const [v] = await collect(readVizWiz(vizwiz, { imageRoot: dir }));
  assert.deepEqual([v.dataset, v.questionId, v.answers, v.answerType], ['vizwiz', 'VizWiz_val_00000001.jpg', ['soup', 'unanswerable'], 'other']);

  const gqa = writeJson(dir, 'gqa.json', {
    '201307251': { imageId: 'n161313', question: 'Is the woman to the left or right?', answer: 'left', fullAnswer: 'The woman is to the left.' },
    '201307252': { question: 'No image id?', answer: 'yes' },
  });
  await assert.rejects(collect(readGqa(gqa, { imageRoot: dir })), /gqa\.json question "201307252": field "imageId" must be a string or number id/);
  const [g] = await collect(readGqa(gqa, { imageRoot: dir, onError: 'skip' }));
  assert.deepEqual([g.dataset, g.questionId, g.imagePath, g.answers], ['gqa', '201307251', join(dir, 'n161313.jpg'), ['left']]);
});

test('LLaVA: <image> placement, roles, text-only records, broken records', async () => {
  const dir = tempDir('llava');
  await writePng(join(dir, 'bus.png'), [9, 9, 9]);
  const path = writeJson(dir, 'llava.json', [
    {
      id: '1',
      image: 'bus.png',
      conversations: [
        { from: 'human', value: '<image>\nWhat colour is the bus?' },
        { from: 'gpt', value: 'White and red.' },
        { from: 'human', value: 'Is it moving?' },
        { from: 'gpt', value: 'No.' },
      ],
    },
    {
      id: 2,
      conversations: [
        { from: 'human', value: 'Hi' },
        { from: 'gpt', value: 'Hello!' },
      ],
    },
    {
      id: '3',
      image: 'bus.png',
      conversations: [
        { from: 'human', value: 'Describe.' },
        { from: 'gpt', value: 'A bus.' },
      ],
    },
    {
      id: '4',
      conversations: [
        { from: 'human', value: '<image>\nNo image given?' },
        { from: 'gpt', value: '?' },
      ],
    },
    {
      id: '5',
      conversations: [
        { from: 'system', value: 'x' },
        { from: 'gpt', value: 'y' },
      ],
    },
  ]);
  await assert.rejects(collect(readLlava(path, { imageRoot: dir })), (e: Error) =>
    e.message.startsWith(`${path} [3]: 1 "<image>" mark(s) but 0 image(s). Fix:`),
  );
  const reader = readLlava(path, { imageRoot: dir, onError: 'skip' });
  const convs = await collect(reader);
  assert.deepEqual([reader.report.read, reader.report.skipped], [3, 2]);
  assert.match(reader.report.problems[1], /\[4\]: conversations\[0\]\.from must be "human" or "gpt", got "system"/);
  const [first, textOnly, implicit] = convs;
  assert.equal(first.id, 'llava:1');
  assert.deepEqual(
    first.turns.map((t) => t.role),
    ['user', 'assistant', 'user', 'assistant'],
  );
  assert.deepEqual(
    first.turns[0].segments.map((s) => s.kind),
    ['image', 'text'],
  );
  assert.deepEqual(first.turns[0].segments[1], { kind: 'text', text: 'What colour is the bus?' });
  assert.deepEqual(textOnly.turns[1].segments, [{ kind: 'text', text: 'Hello!' }]);
  // No mark but an image: placed first in the first human turn, as LLaVA does.
  assert.deepEqual(
    implicit.turns[0].segments.map((s) => (s.kind === 'text' ? s.text : 'IMG')),
    ['IMG', 'Describe.'],
  );
});
