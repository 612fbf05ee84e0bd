// Shots that do not fit the model's image or token limits are reported, never cut silently:
// k is reduced with a warning and recorded (or the run fails when asked to).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runEval } from '../../src/eval/index.js';
import { countWorldTokens, fakeModel } from './models.js';

const say = (text: string) => () => text;

test('maxImages caps k with a warning, and the report records the effective k', async () => {
  const warnings: string[] = [];
  const model = fakeModel(say(' red.'), undefined, { maxImages: 3 });
  const report = await runEval(model, { worldVersion: 1, tasks: ['world-vqav2'], shots: [0, 4], limit: 5, onWarning: (w) => warnings.push(w) });
  const r4 = report.results.find((r) => r.shots === 4)!;
  assert.deepEqual(r4.effectiveShots, { min: 2, max: 2, mean: 2 });
  assert.equal(warnings.length, 1);
  assert.match(warnings[0], /world-vqav2 4-shot: the model takes at most 3 images per prompt, so at most 2 shots fit; using k = 2/);
  assert.deepEqual(r4.warnings, warnings);
  for (const p of model.generated) assert.ok(('segments' in p ? p.segments : []).filter((s) => s.kind === 'image').length <= 3);
});

test('contextLength drops the earliest shots of the prompts that do not fit, per query, with a warning', async () => {
  const warnings: string[] = [];
  const contextLength = 75; // a 4-shot world VQA prompt is ~85–95 word tokens with 4 per image
  const model = fakeModel(say(' red.'), undefined, { contextLength });
  const report = await runEval(model, { worldVersion: 1, tasks: ['world-vqav2'], shots: [4], limit: 8, onWarning: (w) => warnings.push(w) });
  const r = report.results[0];
  assert.ok(r.effectiveShots.min < 4 && r.effectiveShots.min >= 1, JSON.stringify(r.effectiveShots));
  assert.match(warnings.join('\n'), /world-vqav2 4-shot: \d+ of 8 prompts did not fit 4 shots in contextLength 75/);
  for (const p of model.generated) assert.ok(countWorldTokens(p) + 8 <= contextLength, 'prompt + maxNewTokens fits');
  // Compared with an unconstrained run, the kept shots are the last ones of the same selection.
  const free = fakeModel(say(' red.'));
  await runEval(free, { worldVersion: 1, tasks: ['world-vqav2'], shots: [4], limit: 8 });
  model.generated.forEach((p, i) => {
    const kept = 'segments' in p ? p.segments : [];
    const full = 'segments' in free.generated[i] ? free.generated[i].segments : [];
    assert.deepEqual(kept, full.slice(full.length - kept.length));
  });
});

test("onOverflow 'fail' stops instead of reducing k; a query too long even at 0 shots always fails", async () => {
  await assert.rejects(
    runEval(fakeModel(say(' red.'), undefined, { maxImages: 3 }), { worldVersion: 1, tasks: ['world-vqav2'], shots: [4], limit: 2, onOverflow: 'fail' }),
    /at most 3 images per prompt, so at most 2 shots fit\. Ask for fewer shots/,
  );
  await assert.rejects(
    runEval(fakeModel(say(' red.'), undefined, { contextLength: 60 }), { worldVersion: 1, tasks: ['world-vqav2'], shots: [4], limit: 2, onOverflow: 'fail' }),
    /item world:test:vqav2:0 with 4 shots needs \d+ tokens \(answer included\), more than the model's contextLength 60/,
  );
  await assert.rejects(
    runEval(fakeModel(say(' red.'), undefined, { contextLength: 10 }), { worldVersion: 1, tasks: ['world-vqav2'], shots: [0], limit: 2 }),
    /needs \d+ tokens .*contextLength 10, even without shots/,
  );
});

test('a pool smaller than k is reported too', async () => {
  const warnings: string[] = [];
  // No shots split for a custom task: shots come from its other items (3 of them here).
  const task = {
    name: 'tiny-qa',
    kind: 'open-qa' as const,
    description: 'four questions',
    metric: 'exact-match' as const,
    load: async () => ['a', 'b', 'c', 'd'].map((w, i) => ({ id: `q${i}`, question: `is it ${w}?`, answers: ['yes'] })),
    template: { shot: 'question: {question} answer: {answer}.', query: 'question: {question} answer:' },
    stop: ['.'],
    maxNewTokens: 3,
    postprocess: 'short-answer' as const,
  };
  const report = await runEval(fakeModel(say(' yes.')), { worldVersion: 1, tasks: [task], shots: [8], onWarning: (w) => warnings.push(w) });
  assert.deepEqual(report.results[0].effectiveShots, { min: 3, max: 3, mean: 3 });
  assert.match(warnings.join('\n'), /no training split given, so shots are drawn from the evaluated items/);
  assert.match(warnings.join('\n'), /shot pool had fewer than 8 usable examples for 4 queries/);
});
