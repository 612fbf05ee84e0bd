// Public tasks read local files named with `data` (the CLI's --data NAME=SPEC): images are
// decoded for the prompt, shots come from a training split when given, and mistakes in the
// spec are errors that show the expected format.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Segment } from '../../src/data/document.js';
import { resolveTasks, runEval, validateEvalOptions } from '../../src/eval/index.js';
import { tempDir, writePng } from '../data/fixtures.js';
import { fakeModel } from './models.js';

const dir = tempDir('eval-public');
const json = (name: string, value: unknown) => {
  writeFileSync(join(dir, name), JSON.stringify(value));
  return join(dir, name);
};
const COLORS: Record<string, [number, number, number]> = { red: [255, 0, 0], green: [0, 255, 0], blue: [0, 0, 255], gray: [128, 128, 128] };
const colorOf = (segs: Segment[]): string => {
  const img = [...segs].reverse().find((s) => s.kind === 'image');
  if (!img || img.kind !== 'image') throw new Error('no image');
  const px = [...img.image.data.slice(0, 3)];
  return Object.entries(COLORS).find(([, c]) => c.every((v, i) => v === px[i]))![0];
};

test('coco: COCO-format captions, images decoded for the prompt, shots from --shots-data', async () => {
  for (const [name, rgb] of Object.entries(COLORS)) await writePng(join(dir, `${name}.png`), rgb);
  const ann = json('captions_test.json', {
    images: [
      { id: 1, file_name: 'red.png' },
      { id: 2, file_name: 'green.png' },
      { id: 3, file_name: 'blue.png' },
    ],
    annotations: [
      { id: 10, image_id: 1, caption: 'A red square.' },
      { id: 11, image_id: 1, caption: 'red picture' },
      { id: 12, image_id: 2, caption: 'A green square.' },
      { id: 13, image_id: 3, caption: 'A blue square.' },
    ],
  });
  const train = json('captions_train.json', { images: [{ id: 9, file_name: 'gray.png' }], annotations: [{ id: 90, image_id: 9, caption: 'A gray square' }] });
  const model = fakeModel((segs) => ` a ${colorOf(segs)} square. caption: more`);
  const report = await runEval(model, {
    tasks: ['coco'],
    shots: [0, 1],
    data: { coco: `${ann}:${dir}` },
    shotsData: { coco: `${train}:${dir}` },
    onWarning: () => {},
  });
  const [zero, one] = report.results;
  assert.equal(zero.n, 3);
  assert.ok(zero.metrics.CIDEr > 100, `a model that names the colour scores well: ${zero.metrics.CIDEr}`);
  const oneShot = model.generated.slice(3).map((p) => ('segments' in p ? p.segments : []));
  assert.equal(one.effectiveShots.min, 1);
  for (const segs of oneShot) {
    assert.equal(colorOf(segs.slice(0, 1)), 'gray', 'the shot is the training image');
    assert.equal((segs[1] as { text: string }).text, 'caption: A gray square.', 'a period is added to the shot caption');
  }
});

test('vqav2: official questions/annotations JSON; shots from the same file never repeat the query', async () => {
  const ten = (a: string) => Array.from({ length: 10 }, (_, i) => ({ answer: a, answer_id: i + 1 }));
  const images = ['red', 'green', 'blue'];
  // VQAv2 names images COCO_<data_subtype>_<12-digit id>.jpg (sharp decodes by content).
  for (const [i, c] of images.entries()) await writePng(join(dir, `COCO_val2014_${String(i).padStart(12, '0')}.jpg`), COLORS[c]);
  const questions = json('q.json', {
    data_subtype: 'val2014',
    questions: images.map((_, i) => ({ question_id: i, image_id: i, question: 'What color is it?' })),
  });
  const annotations = json('a.json', { annotations: images.map((c, i) => ({ question_id: i, image_id: i, answers: ten(c), answer_type: 'other' })) });
  const model = fakeModel((segs) => ` ${colorOf(segs)}.`);
  const warnings: string[] = [];
  const spec = `${questions}:${annotations}:${dir}`;
  const report = await runEval(model, { tasks: ['vqav2'], shots: [0, 2], data: { vqav2: spec }, onWarning: (w) => warnings.push(w) });
  assert.deepEqual(
    report.results.map((r) => r.metrics.accuracy),
    [100, 100],
  );
  assert.match(warnings.join('\n'), /vqav2: no training split given, so shots are drawn from the evaluated items \(never the query itself\)/);
  for (const p of model.generated.slice(3)) {
    const segs = 'segments' in p ? p.segments : [];
    const shots = [colorOf(segs.slice(0, 1)), colorOf(segs.slice(0, 3))]; // first and second shot pictures
    assert.ok(!shots.includes(colorOf(segs)), 'no shot shows the query image');
  }
});

test('arc through runEval: a TextCore task is a reader plus a prompt format', async () => {
  const path = join(dir, 'arc.jsonl');
  writeFileSync(
    path,
    [
      {
        id: 'a',
        question: {
          stem: 'Sky?',
          choices: [
            { label: 'A', text: 'blue' },
            { label: 'B', text: 'green' },
          ],
        },
        answerKey: 'A',
      },
      {
        id: 'b',
        question: {
          stem: 'Grass?',
          choices: [
            { label: 'A', text: 'blue' },
            { label: 'B', text: 'green' },
          ],
        },
        answerKey: 'B',
      },
    ]
      .map((r) => JSON.stringify(r))
      .join('\n'),
  );
  const right: Record<string, string> = { 'Sky?': ' blue', 'Grass?': ' green' };
  const model = fakeModel(
    () => '',
    (r) => {
      const ctx = 'segments' in r.context ? (r.context.segments[0] as { text: string }).text : '';
      const q = ctx.match(/Question: (\w+\?)\nAnswer:$/)![1];
      return { logProb: right[q] === r.continuation ? -1 : -2, tokens: 1, isGreedy: false };
    },
  );
  const report = await runEval(model, { tasks: ['arc'], shots: [0, 1], data: { arc: path }, onWarning: () => {} });
  assert.deepEqual(
    report.results.map((r) => r.metrics.acc),
    [100, 100],
  );
  const oneShot = model.likelihoodRequests.at(-1)!;
  assert.deepEqual(oneShot.context, { segments: [{ kind: 'text', text: 'Question: Sky?\nAnswer: blue\n\nQuestion: Grass?\nAnswer:' }] });
});

test('task names, groups and data specs are checked before anything runs', () => {
  assert.deepEqual(
    resolveTasks(['world-heldout', 'world-coco', 'world-coco']).map((t) => t.name),
    ['world-nocaps', 'world-heldout-vqa', 'world-coco'],
  );
  assert.equal(resolveTasks(['world']).length, 12);
  assert.deepEqual(
    resolveTasks(['world-mm1']).map((t) => t.name),
    ['world-coco', 'world-nocaps', 'world-textcaps', 'world-vqav2', 'world-textvqa', 'world-vizwiz', 'world-okvqa', 'world-gqa'],
  );
  assert.throws(
    () => resolveTasks(['world-cocoa']),
    /unknown task "world-cocoa"\. Known tasks: world-coco, world-nocaps, world-textcaps, .*webqs\. Groups: world, world-heldout/,
  );
  assert.throws(
    () => validateEvalOptions({ tasks: ['coco'] }),
    /task coco reads local files: pass --data coco=ANNOTATIONS\.json:IMAGE_DIR \(e\.g\. --data coco=captions_karpathy_test\.json:val2014\/\)/,
  );
  assert.throws(
    () => validateEvalOptions({ tasks: ['vqav2'], data: { vqav2: 'q.json:images/' } }),
    /--data vqav2=q\.json:images\/: expected 3 parts separated by ":", as --data vqav2=QUESTIONS\.json:ANNOTATIONS\.json:IMAGE_DIR/,
  );
  assert.throws(
    () => validateEvalOptions({ tasks: ['world-coco'], data: { 'world-coco': 'x' } }),
    /task world-coco generates its own data; it takes no --data/,
  );
  assert.throws(() => validateEvalOptions({ tasks: ['world-coco'], data: { cocoa: 'x' } }), /--data cocoa=\.\.\.: there is no task "cocoa"/);
  assert.throws(() => validateEvalOptions({ shots: [0, -1] }), /shots: -1 is not a number of examples/);
  assert.deepEqual(
    validateEvalOptions({ tasks: ['piqa'], data: { piqa: 'valid.jsonl' } }).map((t) => t.name),
    ['piqa'],
    'the labels part is optional',
  );
});
