// The world's MM1-Chat analogues as `mm1 eval` tasks: asked as chat turns, scored by the public
// benchmarks' scorers (CircularEval, POPE's evaluate.py, MME's calculation.py). Fake models
// answer from the text of the prompt, so every expected number is worked out by hand.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Segment } from '../../src/data/document.js';
import { runEval } from '../../src/eval/index.js';
import { findTask } from '../../src/eval/tasks/index.js';
import { worldChoiceItems, OPTION_LABELS } from '../../src/eval/tasks/world_sft.js';
import { fakeModel } from './models.js';

const opts = { shots: [0], renderSize: 16, onWarning: () => {} };
const textOf = (segs: Segment[]): string => segs.flatMap((s) => (s.kind === 'text' ? [s.text] : [])).join(' ');
/** The option lines of a multiple-choice prompt: label → text. */
const optionsOf = (text: string) => Object.fromEntries([...text.matchAll(/^(\d)\. (\w+)$/gm)].map((m) => [m[1], m[2]]));

test('CircularEval rotations: each question is asked once per shift, every option visiting every position, the label following the right option', () => {
  const items = worldChoiceItems({ seed: 0, limit: 10, renderSize: 16 });
  assert.equal(items.length, 10 * 4 - 2, 'the two pattern questions have 3 options, so 3 shifts');
  const groups = new Map<number, typeof items>();
  for (const it of items) {
    if (it.gold.bench !== 'mmbench') throw new Error('world-mmbench items carry MMBench gold');
    groups.set(it.gold.group, [...(groups.get(it.gold.group) ?? []), it]);
  }
  for (const [g, rounds] of groups) {
    const texts = rounds.map((r) => (r.gold.bench === 'mmbench' ? r.gold.options : {}));
    const right = rounds.map((r) => (r.gold.bench === 'mmbench' ? r.gold.options[r.gold.answer] : ''));
    assert.equal(new Set(right).size, 1, `question ${g}: one right option in every shift`);
    const n = rounds.length;
    for (let pos = 0; pos < n; pos++)
      assert.equal(new Set(texts.map((t) => t[OPTION_LABELS[pos]])).size, n, `question ${g}: position ${pos + 1} shows every option once`);
    assert.deepEqual(rounds.map((r) => r.reference).sort(), OPTION_LABELS.slice(0, n).slice().sort(), `question ${g}: the answer sits once at each label`);
    for (const r of rounds) assert.deepEqual(optionsOf(r.question), texts[rounds.indexOf(r)], 'the prompt lists the options the gold holds');
  }
});

test('world-mmbench: right in every shift scores, right in all shifts but one does not (CircularEval), and option text counts as an answer', async () => {
  const rightText = (segs: Segment[]) => {
    const text = textOf(segs);
    const item = worldChoiceItems({ seed: 0, limit: 8, renderSize: 16 }).find((i) => i.question === text)!;
    return item.gold.bench === 'mmbench' ? item.gold : undefined;
  };
  // Says the right option's text: VLMEvalKit's option-text rule reads it.
  const [texts] = (
    await runEval(
      fakeModel((s) => rightText(s)!.options[rightText(s)!.answer]),
      { ...opts, tasks: ['world-mmbench'], limit: 8 },
    )
  ).results;
  assert.equal(texts.metrics.accuracy, 100);
  // Says the right number unless it is the last one shown, then "1": one shift of every question is wrong.
  const lastWrong = fakeModel((s) => {
    const g = rightText(s)!;
    return g.answer === String(Object.keys(g.options).length) ? '1' : g.answer;
  });
  const [r] = (await runEval(lastWrong, { ...opts, tasks: ['world-mmbench'], limit: 8 })).results;
  assert.equal(r.metrics.accuracy, 0, 'CircularEval: no question right in every shift');
  assert.ok(r.metrics.single_pass > 60, `the first shift alone is mostly right (${r.metrics.single_pass})`);
});

test('world POPE and MME: a model that always says yes gets POPE accuracy 50, F1 66.7, and MME acc 50 / acc+ 0 per subtask', async () => {
  const yes = fakeModel(() => 'yes');
  const report = await runEval(yes, { ...opts, tasks: ['world-pope-adversarial', 'world-mme'], limit: 20 });
  const pope = report.results.find((r) => r.task === 'world-pope-adversarial')!;
  assert.equal(pope.metrics.accuracy, 50);
  assert.equal(pope.metrics.yes_ratio, 100);
  assert.ok(Math.abs(pope.metrics.f1 - 200 / 3) < 1e-9, `F1 = 2·0.5·1/1.5 = 66.67, got ${pope.metrics.f1}`);
  const mme = report.results.find((r) => r.task === 'world-mme')!;
  for (const s of ['existence', 'count', 'position', 'color', 'OCR']) {
    assert.equal(mme.metrics[`${s}/acc`], 50, s);
    assert.equal(mme.metrics[`${s}/acc_plus`], 0, s);
  }
  assert.equal(mme.metrics.perception, 250, '5 subtasks × (50 + 0)');
  // Asked as one chat user turn: the picture, then the question alone.
  const prompt = yes.generated[0];
  assert.ok('conversation' in prompt && prompt.conversation.turns.length === 1 && prompt.conversation.turns[0].role === 'user');
  assert.match(textOf(prompt.conversation.turns[0].segments), /^is there an? \w+ \w+ in the picture\?$/);
});

test('the world-sft group: the chat VQA tasks keep the world VQA items and metric', () => {
  const chat = findTask('world-sft-vqav2')!;
  const plain = findTask('world-vqav2')!;
  assert.equal(chat.chat, true);
  assert.equal(chat.metric, plain.metric);
  assert.equal(chat.load, plain.load, 'the same items, so pretrained and fine-tuned runs pair item by item');
});
