// MM1-Chat's SFT benchmarks end to end: fixture files in each release's layout (JSON, JSON
// Lines, TSV with base64 pictures and pandas quoting, parquet with {bytes, path} image cells,
// MME's folders), read by the registered tasks, asked as chat turns, scored by the official
// rules. The fake models answer from the colour of the picture they are shown.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parquetWriteBuffer } from 'hyparquet-writer';
import type { Segment } from '../../src/data/document.js';
import { resolveTasks, runEval } from '../../src/eval/index.js';
import { pngBytes, solid, tempDir, writePng } from '../data/fixtures.js';
import { fakeModel } from './models.js';

const dir = tempDir('sftbench');
const RGB = { red: [255, 0, 0], green: [0, 255, 0], blue: [0, 0, 255] } as const;
type Colour = keyof typeof RGB;
const png = async (c: Colour) => new Uint8Array(await pngBytes(solid(4, 4, [...RGB[c]])));
const colourOf = (segs: Segment[]): Colour => {
  const img = segs.find((s) => s.kind === 'image');
  if (!img || img.kind !== 'image') throw new Error('no picture in the prompt');
  return (Object.keys(RGB) as Colour[]).find((c) => RGB[c].every((v, i) => v === img.image.data[i]))!;
};
const textOf = (segs: Segment[]): string => segs.flatMap((s) => (s.kind === 'text' ? [s.text] : [])).join(' ');
/** The letter of the option line ("A. red" or "(A) red") naming `colour`. */
const letterFor = (text: string, colour: string): string => {
  const m = text.match(new RegExp(`^(?:\\(([A-Z])\\)|([A-Z])\\.) ${colour}$`, 'm'));
  if (!m) throw new Error(`no option "${colour}" in ${JSON.stringify(text)}`);
  return m[1] ?? m[2];
};
const opts = { shots: [0], onWarning: () => {} };
const struct = (name: string) => [
  { name, repetition_type: 'OPTIONAL', num_children: 2 },
  { name: 'bytes', type: 'BYTE_ARRAY', repetition_type: 'OPTIONAL' },
  { name: 'path', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
];
const str = (name: string) => ({ name, type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' });
const writeParquet = (file: string, columns: Record<string, unknown[]>, schema: object[]) =>
  // hyparquet-writer's schema type is its own SchemaElement; these literals match it.
  writeFileSync(
    file,
    new Uint8Array(parquetWriteBuffer({ columnData: Object.entries(columns).map(([name, data]) => ({ name, data })), schema: schema as never })),
  );

test('scienceqa-img: test-split image questions of problems.json, asked as a chat; LLaVA parsing', async () => {
  const root = join(dir, 'sqa');
  for (const [pid, c] of [
    ['1', 'red'],
    ['2', 'green'],
    ['4', 'blue'],
  ] as const) {
    mkdirSync(join(root, pid === '4' ? 'train' : 'test', pid), { recursive: true });
    await writePng(join(root, pid === '4' ? 'train' : 'test', pid, 'image.png'), [...RGB[c]]);
  }
  const problem = (choices: string[], answer: number, split: string, image: string | null) => ({
    question: 'Which colour is it?',
    choices,
    answer,
    hint: '',
    image,
    split,
    subject: 'natural science',
  });
  writeFileSync(
    join(root, 'problems.json'),
    JSON.stringify({
      1: problem(['red', 'green'], 0, 'test', 'image.png'),
      2: problem(['blue', 'red', 'green'], 2, 'test', 'image.png'),
      3: problem(['yes', 'no'], 0, 'test', null), // no picture: not in ScienceQA-IMG
      4: problem(['blue', 'red'], 0, 'train', 'image.png'),
    }),
  );
  // Says the letter for red pictures, the colour's name otherwise (no rule reads a name).
  const model = fakeModel((segs) => (colourOf(segs) === 'red' ? letterFor(textOf(segs), 'red') : colourOf(segs)));
  const [r] = (await runEval(model, { ...opts, tasks: ['scienceqa-img'], data: { 'scienceqa-img': `${join(root, 'problems.json')}:${root}` } })).results;
  assert.equal(r.n, 2);
  assert.equal(r.metrics.accuracy, 50);
  const first = model.generated[0];
  assert.ok('conversation' in first, 'SFT benchmarks are asked as a user turn');
  assert.equal(
    textOf(first.conversation.turns[0].segments),
    "Which colour is it?\nA. red\nB. green\nAnswer with the option's letter from the given choices directly.",
  );
});

test('mmmu: per-subject validation parquet, options as a Python list literal, image_1 bytes; MMMU parsing', async () => {
  const root = join(dir, 'mmmu');
  mkdirSync(join(root, 'Art'), { recursive: true });
  const cell = async (c: Colour) => ({ bytes: await png(c), path: `${c}.png` });
  writeParquet(
    join(root, 'Art', 'validation-00000-of-00001.parquet'),
    {
      id: ['validation_Art_1', 'validation_Art_2', 'validation_Art_3'],
      question: ['<image 1> Which colour?', '<image 1> How many sides?', '<image 1> Which colour?'],
      options: ["['red', 'green']", '[]', `['blue', "it's green"]`],
      answer: ['A', '4', 'B'],
      question_type: ['multiple-choice', 'open', 'multiple-choice'],
      image_1: [await cell('red'), await cell('green'), await cell('blue')],
    },
    [{ name: 'root', num_children: 6 }, str('id'), str('question'), str('options'), str('answer'), str('question_type'), ...struct('image_1')],
  );
  const model = fakeModel((segs) => (textOf(segs).includes('single word') ? 'The number of sides is 4' : '(A)'));
  const [r] = (await runEval(model, { ...opts, tasks: ['mmmu'], data: { mmmu: root } })).results;
  assert.equal(r.n, 3);
  assert.ok(Math.abs(r.metrics.accuracy - 200 / 3) < 1e-9, `2 of 3 right: ${r.metrics.accuracy}`);
  const asked = model.generated.map((p) => textOf('conversation' in p ? p.conversation.turns[0].segments : p.segments));
  assert.equal(asked[0], "<image 1> Which colour?\n(A) red\n(B) green\n\nAnswer with the option's letter from the given choices directly.");
  assert.equal(asked[1], '<image 1> How many sides?\nAnswer the question using a single word or phrase.');
  assert.ok(asked[2].includes("(B) it's green"), 'a double-quoted Python string keeps its apostrophe');
});

test('mathvista: testmini parquet (query, decoded_image, choices list); extraction and Python rounding', async () => {
  const file = join(dir, 'testmini-00000-of-00001.parquet');
  const list = (name: string) => [
    { name, repetition_type: 'OPTIONAL', num_children: 1, converted_type: 'LIST' },
    { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
    str('element'),
  ];
  writeParquet(
    file,
    {
      pid: ['1', '2', '3'],
      query: ['Which colour?\nChoices:\n(A) red\n(B) green', 'How many?', 'What is the ratio?'],
      decoded_image: [
        { bytes: await png('red'), path: null },
        { bytes: await png('green'), path: null },
        { bytes: await png('blue'), path: null },
      ],
      choices: [['red', 'green'], null, null],
      precision: [null, null, 1],
      answer: ['red', '7', '1.5'],
      question_type: ['multi_choice', 'free_form', 'free_form'],
      answer_type: ['text', 'integer', 'float'],
    },
    [
      { name: 'root', num_children: 8 },
      str('pid'),
      str('query'),
      ...struct('decoded_image'),
      ...list('choices'),
      { name: 'precision', type: 'DOUBLE', repetition_type: 'OPTIONAL' },
      str('answer'),
      str('question_type'),
      str('answer_type'),
    ],
  );
  // "1.45" rounds to 1.4 in Python (the double is just below 1.45), so the third is wrong.
  const answers: Record<Colour, string> = { red: 'The answer is (A) red', green: 'I count 7 things', blue: '1.45' };
  const [r] = (
    await runEval(
      fakeModel((segs) => answers[colourOf(segs)]),
      { ...opts, tasks: ['mathvista'], data: { mathvista: file } },
    )
  ).results;
  assert.ok(Math.abs(r.metrics.accuracy - 200 / 3) < 1e-9, `2 of 3: ${r.metrics.accuracy}`);
});

test('mme: release folders (pictures beside their .txt, or images/ + questions_answers_YN/); scores as calculation.py', async () => {
  const root = join(dir, 'MME_Benchmark_release_version');
  mkdirSync(join(root, 'existence'), { recursive: true });
  mkdirSync(join(root, 'artwork', 'images'), { recursive: true });
  mkdirSync(join(root, 'artwork', 'questions_answers_YN'), { recursive: true });
  await writePng(join(root, 'existence', '000.jpg'), [...RGB.red]); // sharp decodes by content
  writeFileSync(
    join(root, 'existence', '000.txt'),
    'Is there something red? Please answer yes or no.\tYes\nIs there something blue? Please answer yes or no.\tNo\n',
  );
  await writePng(join(root, 'artwork', 'images', '10.jpg'), [...RGB.green]);
  writeFileSync(
    join(root, 'artwork', 'questions_answers_YN', '10.txt'),
    'Is it green? Please answer yes or no.\tYes\nIs it red? Please answer yes or no.\tYes\n',
  );
  const model = fakeModel((segs) => (textOf(segs).includes(colourOf(segs)) ? 'Yes' : 'No'));
  const [r] = (await runEval(model, { ...opts, tasks: ['mme'], data: { mme: root } })).results;
  assert.equal(r.n, 4);
  assert.equal(r.metrics.existence, 200);
  assert.equal(r.metrics.artwork, 50, 'acc 50 + acc+ 0');
  assert.equal(r.metrics.perception, 250);
  assert.equal(r.metric, 'perception');
  assert.equal(
    textOf((model.generated[0] as { conversation: { turns: { segments: Segment[] }[] } }).conversation.turns[0].segments),
    'Is there something red?\nAnswer the question using a single word or phrase.',
    "LLaVA-1.5's MME prompt",
  );

  // The Hugging Face copy (lmms-lab/MME): data/*.parquet, pictures grouped by question_id.
  mkdirSync(join(dir, 'mme-hf', 'data'), { recursive: true });
  const cell = { bytes: await png('green'), path: null };
  writeParquet(
    join(dir, 'mme-hf', 'data', 'test-00000-of-00001.parquet'),
    {
      question_id: ['artwork/10.jpg', 'artwork/10.jpg'],
      image: [cell, cell],
      question: ['Is it green? Please answer yes or no.', 'Is it red? Please answer yes or no.'],
      answer: ['Yes', 'Yes'],
      category: ['artwork', 'artwork'],
    },
    [{ name: 'root', num_children: 5 }, str('question_id'), ...struct('image'), str('question'), str('answer'), str('category')],
  );
  const [hf] = (await runEval(model, { ...opts, tasks: ['mme'], data: { mme: join(dir, 'mme-hf') } })).results;
  assert.equal(hf.n, 2);
  assert.equal(hf.metrics.artwork, 50, 'the same picture as the folder copy, the same score');
});

test('mmbench: dev TSV with base64 pictures and quoted fields; CircularEval by shifting the options, or with the shipped shifts', async () => {
  const b64 = async (c: Colour) => Buffer.from(await png(c)).toString('base64');
  const header = 'index\tquestion\thint\tA\tB\tC\tD\tanswer\tcategory\timage\tsource\tl2-category\tcomment\tsplit';
  const tsv = join(dir, 'MMBench_DEV_EN.tsv');
  writeFileSync(
    tsv,
    [
      header,
      `0\t"Which colour is ""it""?\tReally?"\tnan\tred\tgreen\tblue\t\tA\tcolor\t${await b64('red')}\tx\tFP\t\tdev`,
      `1\tWhich colour?\tLook closely.\tblue\tgreen\tred\t\tB\tcolor\t${await b64('green')}\tx\tFP\t\tdev`,
    ].join('\n'),
  );
  // Right about red pictures; for the green one it always says A (right only when green is A).
  const model = fakeModel((segs) => (colourOf(segs) === 'red' ? letterFor(textOf(segs), 'red') : 'A'));
  const [r] = (await runEval(model, { ...opts, tasks: ['mmbench'], data: { mmbench: tsv } })).results;
  assert.equal(r.n, 6, 'two questions × three shifts');
  assert.equal(r.metrics.accuracy, 50);
  assert.equal(r.metrics.single_pass, 50);
  assert.ok(
    textOf((model.generated[0] as { conversation: { turns: { segments: Segment[] }[] } }).conversation.turns[0].segments).startsWith(
      'Which colour is "it"?\tReally?\nA. red',
    ),
  );

  const shipped = join(dir, 'mmbench_circular.tsv');
  writeFileSync(
    shipped,
    [
      header,
      `5\tWhich colour?\tnan\tred\tgreen\t\t\tA\tcolor\t${await b64('red')}\tx\tFP\t\tdev`,
      `1000005\tWhich colour?\tnan\tgreen\tred\t\t\tB\tcolor\t5\tx\tFP\t\tdev`,
    ].join('\n'),
  );
  const [s] = (
    await runEval(
      fakeModel((segs) => letterFor(textOf(segs), 'red')),
      { ...opts, tasks: ['mmbench'], data: { mmbench: shipped } },
    )
  ).results;
  assert.equal(s.n, 2, 'the file already holds the shifts; the copy points at row 5 for its picture');
  assert.equal(s.metrics.accuracy, 100);
});

test('seed-bench: image questions of SEED-Bench.json; right only when the answer is the letter (LLaVA); per-dimension accuracy', async () => {
  const images = join(dir, 'seed-images');
  mkdirSync(images, { recursive: true });
  await writePng(join(images, 'a.jpg'), [...RGB.red]);
  await writePng(join(images, 'b.jpg'), [...RGB.blue]);
  const q = (id: number, data_id: string, answer: string, type: number, data_type = 'image') => ({
    question: 'Which colour?',
    choice_a: 'red',
    choice_b: 'green',
    choice_c: 'blue',
    choice_d: 'black',
    answer,
    question_id: id,
    question_type_id: type,
    data_type,
    data_id,
  });
  const file = join(dir, 'SEED-Bench.json');
  writeFileSync(
    file,
    JSON.stringify({
      questions: [q(1, 'a.jpg', 'A', 1), q(2, 'b.jpg', 'C', 2), q(3, 'v.mp4', 'A', 10, 'video')],
      question_type: { 'Scene Understanding': 1, 'Instance Identity': 2 },
    }),
  );
  // " A\n" strips to "A"; "C." is not exactly a letter.
  const model = fakeModel((segs) => (colourOf(segs) === 'red' ? ` ${letterFor(textOf(segs), 'red')}\n` : 'C.'));
  const [r] = (await runEval(model, { ...opts, tasks: ['seed-bench'], data: { 'seed-bench': `${file}:${images}` } })).results;
  assert.equal(r.n, 2, 'video questions are not part of the image benchmark');
  assert.equal(r.metrics.accuracy, 50);
  assert.equal(r.metrics['accuracy/Scene Understanding'], 100);
  assert.equal(r.metrics['accuracy/Instance Identity'], 0, '"C." is not the letter C');
});

test('pope: coco_pope_<split>.json lines; F1 and yes-ratio', async () => {
  const images = join(dir, 'val2014');
  mkdirSync(images, { recursive: true });
  await writePng(join(images, 'COCO_val2014_000000000001.jpg'), [...RGB.red]);
  const file = join(dir, 'coco_pope_random.json');
  const line = (id: number, text: string, label: string) => JSON.stringify({ question_id: id, image: 'COCO_val2014_000000000001.jpg', text, label });
  writeFileSync(
    file,
    [
      line(1, 'Is there a red thing in the image?', 'yes'),
      line(2, 'Is there a blue thing in the image?', 'no'),
      line(3, 'Is there a dog in the image?', 'yes'),
    ].join('\n') + '\n',
  );
  const model = fakeModel((segs) => (textOf(segs).includes(colourOf(segs)) ? 'Yes, there is.' : 'No, there is not.'));
  const [r] = (await runEval(model, { ...opts, tasks: ['pope-random'], data: { 'pope-random': `${file}:${images}` } })).results;
  // TP 1, TN 1, FN 1: precision 1, recall 1/2, F1 2/3.
  assert.ok(Math.abs(r.metrics.f1 - 200 / 3) < 1e-9);
  assert.equal(r.metrics.precision, 100);
  assert.equal(r.metrics.recall, 50);
  assert.ok(Math.abs(r.metrics.yes_ratio - 100 / 3) < 1e-9);
});

test('llava-bench and mm-vet: the answer files their GPT-4 judge scripts read', async () => {
  const images = join(dir, 'judge-images');
  mkdirSync(images, { recursive: true });
  await writePng(join(images, '001.jpg'), [...RGB.red]);
  await writePng(join(images, 'v1_0.png'), [...RGB.blue]);
  const questions = join(dir, 'questions.jsonl');
  writeFileSync(questions, JSON.stringify({ question_id: 0, image: '001.jpg', text: 'Describe the picture.', category: 'detail' }) + '\n');
  const mmvet = join(dir, 'mm-vet.json');
  writeFileSync(mmvet, JSON.stringify({ v1_0: { imagename: 'v1_0.png', capability: ['rec'], question: 'What colour is it?', answer: 'blue' } }));
  const out = join(dir, 'judge-out');
  const model = fakeModel((segs) => ` It is ${colourOf(segs)}. `);
  const report = await runEval(model, {
    ...opts,
    tasks: ['llava-bench', 'mm-vet'],
    outDir: out,
    data: { 'llava-bench': `${questions}:${images}`, 'mm-vet': `${mmvet}:${images}` },
  });
  assert.deepEqual(
    report.results.map((r) => r.metrics.answers),
    [1, 1],
  );
  const answer = JSON.parse(readFileSync(join(out, 'llava-bench.answers.0shot.jsonl'), 'utf8').trim());
  assert.deepEqual(
    { ...answer, answer_id: undefined },
    { question_id: 0, prompt: 'Describe the picture.', text: 'It is red.', answer_id: undefined, model_id: 'mm1', metadata: {} },
  );
  assert.deepEqual(JSON.parse(readFileSync(join(out, 'mm-vet.results.0shot.json'), 'utf8')), { v1_0: 'It is blue.' });
});

test('the mm1-chat group names every SFT benchmark; a missing --data says the format', async () => {
  assert.deepEqual(
    resolveTasks(['mm1-chat']).map((t) => t.name),
    ['scienceqa-img', 'mmmu', 'mathvista', 'mme', 'mmbench', 'seed-bench', 'pope-random', 'pope-popular', 'pope-adversarial', 'llava-bench', 'mm-vet'],
  );
  await assert.rejects(
    runEval(
      fakeModel(() => ''),
      { tasks: ['mme'] },
    ),
    /--data mme=MME_PATH/,
  );
});
