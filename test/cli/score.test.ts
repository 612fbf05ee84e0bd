// Runs `mm1 score` as a user would, on tiny fixtures in os.tmpdir(). Expected numbers:
// pycocoevalcap (with CoreNLP 3.4.1 tokenisation) and the official VQA evaluation on the same files.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'mm1-score-'));
const file = (name: string, content: unknown): string => {
  const p = join(dir, name);
  writeFileSync(p, typeof content === 'string' ? content : JSON.stringify(content));
  return p;
};

function mm1(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { cwd: ROOT }, (err, stdout, stderr) =>
      resolve({ code: err ? Number(err.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const captions = file('captions.json', {
  images: [{ id: 1 }, { id: 2 }, { id: 3 }],
  annotations: [
    { image_id: 1, id: 1, caption: 'A dog runs on the grass.' },
    { image_id: 1, id: 2, caption: 'A brown dog running outside.' },
    { image_id: 2, id: 3, caption: 'Two cats sleep on a sofa.' },
    { image_id: 2, id: 4, caption: 'Cats sleeping on a couch.' },
    { image_id: 3, id: 5, caption: 'A man rides a red bike.' },
  ],
});
const answers = (list: string[]) => list.map((answer, i) => ({ answer, answer_confidence: 'yes', answer_id: i + 1 }));
const vqaAnnotations = file('vqa-ann.json', {
  annotations: [
    { question_id: 10, image_id: 1, question_type: 'how many', answer_type: 'number', answers: answers(['2', '2', 'two', '2', '2', '3', '2', '2', '2', '2']) },
    { question_id: 11, image_id: 1, question_type: 'is it', answer_type: 'yes/no', answers: answers(new Array(10).fill('yes')) },
    {
      question_id: 12,
      image_id: 2,
      question_type: 'what color is the',
      answer_type: 'other',
      answers: answers(['red', 'red', 'dark red', 'red', 'maroon', 'red.', 'red', 'burgundy', 'red', 'Red']),
    },
  ],
});
const vqaQuestions = file('vqa-q.json', {
  task_type: 'Open-Ended',
  questions: [10, 11, 12].map((question_id) => ({ question_id, image_id: 1, question: '?' })),
});

test('mm1 score caption prints the pycocoevalcap scores', async () => {
  const results = file('res.json', [
    { image_id: 2, caption: 'two cats on a couch' },
    { image_id: 1, caption: 'a dog running on grass' },
  ]);
  const r = await mm1('score', 'caption', '--results', results, '--annotations', captions);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), {
    BLEU_1: 0.9999999998000004,
    BLEU_2: 0.7905694148740992,
    BLEU_3: 0.47051801433203405,
    BLEU_4: 7.14360107238669e-5,
    ROUGE_L: 0.7577712609970675,
    CIDEr: 2.5798075023295723,
  });
});

test('mm1 score vqa prints the official accuracy', async () => {
  const results = file('vqa-res.json', [
    { question_id: 10, answer: 'two' },
    { question_id: 11, answer: 'Yes' },
    { question_id: 12, answer: 'red' },
  ]);
  const r = await mm1('score', 'vqa', '--results', results, '--questions', vqaQuestions, '--annotations', vqaAnnotations);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(JSON.parse(r.stdout), { overall: 66.67, perAnswerType: { number: 100, 'yes/no': 0, other: 100 } });
});

test('bad inputs fail with a message naming the problem and a non-zero exit', async () => {
  const unknownId = file('res-unknown.json', [{ image_id: 7, caption: 'a cat' }]);
  const broken = file('broken.json', '[{"question_id": 10, "answer": "two"');
  const partial = file('vqa-partial.json', [{ question_id: 10, answer: 'two' }]);
  const runs = await Promise.all([
    mm1('score', 'caption', '--results', unknownId, '--annotations', captions),
    mm1('score', 'vqa', '--results', broken, '--questions', vqaQuestions, '--annotations', vqaAnnotations),
    mm1('score', 'caption', '--results', join(dir, 'missing.json'), '--annotations', captions),
    mm1('score', 'vqa', '--results', partial, '--questions', vqaQuestions, '--annotations', vqaAnnotations),
  ]);
  const expected = [/image_id 7, which is not an image of --annotations/, /is not valid JSON/, /no such file/, /answers 1 of the 3 questions.*--subset/];
  runs.forEach((r, i) => {
    assert.equal(r.code, 1, `run ${i}: ${r.stdout}`);
    assert.match(r.stderr, expected[i]);
    assert.equal(r.stdout, '');
  });
});
