// Scoring continuations that share prompts once per prompt (shared_prompt_score.ts) must give
// the full pass's log-probabilities up to float rounding and the same greedy flags, with
// images in prompts and continuations of 1-5 tokens; it must really prefill each distinct
// prompt once; and MM1_SHARED_PROMPT_SCORING takes 1 or 0 only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../src/engine/rng.js';
import { Generator, type TokenPrompt } from '../../src/model/infer/generate.js';
import { buildMultimodalTraining } from '../../src/model/build/multimodal.js';
import { sharedPromptScoring } from '../../src/model/infer/shared_prompt_score.js';
import { StepRunner } from '../../src/model/infer/step_runner.js';
import { randomParams } from './param_gradcheck.js';
import { IMAGE_TOKEN, randomNormal, standInTower, tinyConfig } from './fixtures.js';

const cfg = tinyConfig();
const params = randomParams(buildMultimodalTraining(cfg, { B: 1, T: 6, N: 1 }, standInTower(cfg)).g, 3, 0.3);
const gen = new Generator(cfg, params, { tower: standInTower(cfg), imageToken: IMAGE_TOKEN, maxLen: 64, threads: 1 });
const rng = new Rng(2);
const I = IMAGE_TOKEN;
const picture = randomNormal(rng, 3 * 8 * 8);
const withImage: TokenPrompt = { tokens: [1, I, I, I, I, 7, 8, 9, 2], images: [picture] };
const textOnly: TokenPrompt = { tokens: [1, 5, 6] };

test('shared-prompt scoring = one full pass per continuation (to 1e-4), same greedy flags, one prefill row per distinct prompt', async () => {
  const [greedy] = await gen.generate([withImage], { maxNewTokens: 3 });
  const items = [
    // Four choices after the image prompt (the greedy one among them), given as equal copies of it.
    ...[greedy.tokens, [7], [3, 4, 5, 6, 2], [9, 9]].map((continuation) => ({ prompt: { ...withImage, images: [Float32Array.from(picture)] }, continuation })),
    { prompt: textOnly, continuation: [7, 7, 9, 1] },
    { prompt: textOnly, continuation: [5] },
  ];
  const full = await gen.score(items, 'right', false);
  const prefillRows: number[] = [];
  const run = StepRunner.prototype.run;
  StepRunner.prototype.run = function (this: StepRunner, ...args: Parameters<StepRunner['run']>) {
    if (!args[0].past) prefillRows.push(args[0].B);
    return run.apply(this, args);
  };
  const shared = await gen.score(items, 'right', true).finally(() => (StepRunner.prototype.run = run));
  assert.deepEqual(prefillRows, [2]);
  shared.forEach((s, i) => {
    assert.equal(s.tokenLogProbs.length, items[i].continuation.length);
    s.tokenLogProbs.forEach((lp, j) => assert.ok(Math.abs(lp - full[i].tokenLogProbs[j]) < 1e-4, `item ${i} token ${j}: ${lp} vs ${full[i].tokenLogProbs[j]}`));
    assert.equal(s.isGreedy, full[i].isGreedy, `item ${i}`);
  });
  assert.equal(shared[0].isGreedy, true);
  assert.equal(shared[1].isGreedy, false);
});

test('MM1_SHARED_PROMPT_SCORING: 1 on, 0 or unset off, anything else fails naming it', () => {
  assert.equal(sharedPromptScoring({}), false);
  assert.equal(sharedPromptScoring({ MM1_SHARED_PROMPT_SCORING: '0' }), false);
  assert.equal(sharedPromptScoring({ MM1_SHARED_PROMPT_SCORING: '1' }), true);
  assert.throws(() => sharedPromptScoring({ MM1_SHARED_PROMPT_SCORING: 'yes' }), /MM1_SHARED_PROMPT_SCORING must be 1 .* or 0 .*, got 'yes'/);
});
