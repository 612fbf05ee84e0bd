// Scoring by kind on hand-made tasks (a task is plain data, so tests define their own):
// multiple choice picks the argmax of the model's log-likelihoods, raw and length-normalised;
// cloze uses the first generated word and the target's likelihood; open QA exact match; the
// OpenFlamingo-style post-processing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Likelihood, LikelihoodRequest } from '../../src/model/infer/api.js';
import { runEval, type TaskOf } from '../../src/eval/index.js';
import { postprocessCaption, postprocessShortAnswer } from '../../src/eval/postprocess.js';
import { fillTemplate } from '../../src/eval/template.js';
import { MM1_CLOZE, MM1_MULTIPLE_CHOICE, MM1_OPEN_QA } from '../../src/eval/tasks/prompt_formats.js';
import { fakeModel } from './models.js';

const contextText = (r: LikelihoodRequest) =>
  'segments' in r.context ? r.context.segments.map((s) => (s.kind === 'text' ? s.text : '<image>')).join('|') : '';

function scripted(table: Record<string, number>) {
  return (r: LikelihoodRequest): Likelihood => {
    const key = `${contextText(r)} =>${r.continuation}`;
    if (!(key in table)) throw new Error(`no scripted log-prob for ${JSON.stringify(key)}`);
    return { logProb: table[key], tokens: 1, isGreedy: table[key] > -1.5 };
  };
}

const mcTask: TaskOf<'multiple-choice'> = {
  name: 'tiny-mc',
  kind: 'multiple-choice',
  description: 'two hand-made questions',
  metric: 'loglik-choice',
  load: async () => [
    { id: 'q1', context: 'Q1', choices: ['a', 'bbbb'], answerIndex: 1 },
    { id: 'q2', context: 'Q2', choices: ['x', 'y', 'z'], answerIndex: 2 },
  ],
  ...MM1_MULTIPLE_CHOICE,
};

test('multiple choice: argmax of summed log-probs (acc), per character (acc_norm) and per token', async () => {
  const model = fakeModel(() => '', scripted({ 'Q1 => a': -2, 'Q1 => bbbb': -3, 'Q2 => x': -5, 'Q2 => y': -4, 'Q2 => z': -1 }));
  const warnings: string[] = [];
  const report = await runEval(model, { tasks: [mcTask], shots: [0], onWarning: (w) => warnings.push(w) });
  // q1: raw picks "a" (-2 > -3), wrong; per char " a" -2/2 = -1 < " bbbb" -3/5 = -0.6, right.
  // q2: "z" wins either way.
  assert.deepEqual(report.results[0].metrics, { acc: 50, acc_norm: 100, acc_per_token: 50 });
  assert.equal(report.results[0].metric, 'acc');
  assert.equal(model.generated.length, 0, 'multiple choice never generates');
  assert.deepEqual(
    model.likelihoodRequests.map((r) => r.continuation),
    [' a', ' bbbb', ' x', ' y', ' z'],
  );
});

test('multiple-choice shots are solved examples before the context; per-choice contexts (WinoGrande) are scored', async () => {
  const model = fakeModel(
    () => '',
    scripted({
      'Q2 z. Q1 => a': -1,
      'Q2 z. Q1 => bbbb': -2,
      'Q1 bbbb. Q2 => x': -3,
      'Q1 bbbb. Q2 => y': -3,
      'Q1 bbbb. Q2 => z': -3,
    }),
  );
  // The only other item is each query's shot, shown with its right choice.
  const report = await runEval(model, { tasks: [mcTask], shots: [1], onWarning: () => {} });
  assert.equal(report.results[0].metrics.acc, 0, 'q1 picks "a"; q2 is a three-way tie, which goes to the first choice');
  const wino: TaskOf<'multiple-choice'> = {
    ...mcTask,
    name: 'tiny-wino',
    load: async () => [
      { id: 'w', context: 'the cup is in the ', choices: ['box.', 'box.'], answerIndex: 1, choiceContexts: ['the cup is in the bag', 'the cup is in the pan'] },
    ],
  };
  const m2 = fakeModel(() => '', scripted({ 'the cup is in the bag => box.': -4, 'the cup is in the pan => box.': -2 }));
  const r2 = await runEval(m2, { tasks: [wino], shots: [0] });
  assert.equal(r2.results[0].metrics.acc, 100);
});

test('cloze: the first generated word, plus likelihood accuracy and perplexity of the target', async () => {
  const task: TaskOf<'cloze'> = {
    name: 'tiny-cloze',
    kind: 'cloze',
    description: 'two passages',
    metric: 'last-word',
    ...MM1_CLOZE,
    load: async () => [
      { id: 'c1', context: 'one two three', target: 'four' },
      { id: 'c2', context: 'red green', target: 'blue' },
    ],
  };
  const model = fakeModel(
    (segs) => ((segs[0] as { text: string }).text.endsWith('three') ? ' four. five' : ' pink.'),
    scripted({ 'one two three => four': -1, 'red green => blue': -3 }),
  );
  const report = await runEval(model, { tasks: [task], shots: [0] });
  const m = report.results[0].metrics;
  assert.equal(m.acc, 50);
  assert.equal(m.acc_ll, 50);
  assert.ok(Math.abs(m.ppl - Math.exp(2)) < 1e-12, `ppl = exp(-(−1−3)/2 tokens) = e², got ${m.ppl}`);
});

test('open QA: exact match after post-processing and SQuAD normalisation', async () => {
  const task: TaskOf<'open-qa'> = {
    name: 'tiny-qa',
    kind: 'open-qa',
    description: 'three questions',
    metric: 'exact-match',
    ...MM1_OPEN_QA,
    load: async () => [
      { id: 'a', question: 'what color is the sky?', answers: ['blue'] },
      { id: 'b', question: 'how many corners does a circle have?', answers: ['zero', '0', 'none'] },
      { id: 'c', question: 'what color is grass?', answers: ['green'] },
    ],
  };
  const answers: Record<string, string> = { sky: ' The Blue, I think', circle: ' none. question: more', grass: ' red' };
  const model = fakeModel((segs) => answers[Object.keys(answers).find((k) => (segs[0] as { text: string }).text.includes(k))!]);
  const report = await runEval(model, { tasks: [task], shots: [0] });
  assert.equal(report.results[0].metrics.exact_match, (100 * 2) / 3);
});

test('OpenFlamingo-style post-processing', () => {
  assert.equal(postprocessShortAnswer(' red, blue'), 'red');
  assert.equal(postprocessShortAnswer(' two dogs Question: what'), 'two dogs');
  assert.equal(postprocessShortAnswer(' yes. answer: no'), 'yes');
  assert.equal(postprocessShortAnswer(' 3\nquestion'), '3');
  assert.equal(postprocessCaption(' a "red" star. caption: a blue ring.'), 'a red star.');
  assert.equal(postprocessCaption('two cats\nOutput: a dog'), 'two cats');
});

test('templates name their placeholders; a wrong one is an error naming the task and the choices', () => {
  assert.equal(fillTemplate('question: {question} answer: {answer}.', { question: 'q?', answer: 'a' }, 'task t'), 'question: q? answer: a.');
  assert.throws(
    () => fillTemplate('caption: {capton}.', { caption: 'x' }, 'task t'),
    /task t: template "caption: \{capton\}\." uses \{capton\}, but this kind of task offers \{caption\}/,
  );
});
