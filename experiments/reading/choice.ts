// Reading as a 20-way choice: for text-bearing eval-split pictures, the model's log-likelihood
// of each of the world's 20 words as the answer to "what word is written?"; accuracy of the
// best-scoring word (chance 5%). Unlike generation (world-textvqa) it needs no answer format,
// so it shows whether a short pretraining run has started to read before it answers in form.
// Usage: node --import tsx experiments/reading/choice.ts --model runs/x/model [--n 50]
import { parseArgs } from 'node:util';
import { Rng } from '../../src/engine/rng.js';
import { generateScene, lexicon, qaPrompt, renderScene } from '../../src/data/world/index.js';
import { loadModel } from '../../src/model/infer/load.js';
import { pictureChoice } from './picture_choice.js';

const { values: a } = parseArgs({ options: { model: { type: 'string' }, n: { type: 'string', default: '50' } } });
if (!a.model) throw new Error('choice: pass --model <model dir>');
const WORDS = lexicon.WORDS as readonly string[];
const model = await loadModel(a.model);
const rng = new Rng(9001).fork('reading-choice');
const n = Number(a.n);
const items = Array.from({ length: n }, () => {
  const scene = generateScene(rng, { split: 'eval', requireText: true });
  return { image: renderScene(scene, 128), answer: scene.text!.word };
});
const { right, grayRight: blankRight } = await pictureChoice(model, items, qaPrompt('what word is written?'), WORDS);
await model.release();
console.log(
  JSON.stringify({
    model: a.model,
    items: n,
    accuracy: `${((100 * right) / n).toFixed(1)}%`,
    blankImageAccuracy: `${((100 * blankRight) / n).toFixed(1)}%`,
    chance: '5.0%',
  }),
);
