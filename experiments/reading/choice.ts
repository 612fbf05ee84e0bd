// Reading as a 20-way choice: for text-bearing eval-split pictures, the model's log-likelihood
// of each of the world's 20 words as the answer to "what word is written?"; accuracy of the
// best-scoring word (chance 5%). Unlike generation (world-textvqa) it needs no answer format,
// so it shows whether a short pretraining run has started to read before it answers in form.
// Usage: node --import tsx experiments/reading/choice.ts --model runs/x/model [--n 50]
import { parseArgs } from 'node:util';
import { Rng } from '../../src/engine/rng.js';
import { generateScene, lexicon, qaPrompt, renderScene } from '../../src/data/world/index.js';
import { loadModel } from '../../src/model/infer/load.js';

const { values: a } = parseArgs({ options: { model: { type: 'string' }, n: { type: 'string', default: '50' } } });
if (!a.model) throw new Error('choice: pass --model <model dir>');
const WORDS = lexicon.WORDS as readonly string[];
const model = await loadModel(a.model);
const rng = new Rng(9001).fork('reading-choice');
let right = 0;
let blankRight = 0;
const n = Number(a.n);
for (let i = 0; i < n; i++) {
  const scene = generateScene(rng, { split: 'eval', requireText: true });
  const image = renderScene(scene, 128);
  const blank = { ...image, data: new Uint8Array(image.data.length).fill(128) };
  for (const [img, isBlank] of [
    [image, false],
    [blank, true],
  ] as const) {
    const context = {
      segments: [
        { kind: 'image' as const, image: img },
        { kind: 'text' as const, text: qaPrompt('what word is written?') },
      ],
    };
    const ll = await model.logLikelihood(WORDS.map((w) => ({ context, continuation: ` ${w}` })));
    const best = ll.reduce((b, l, j) => (l.logProb > ll[b].logProb ? j : b), 0);
    if (WORDS[best] === scene.text!.word) {
      if (isBlank) blankRight++;
      else right++;
    }
  }
}
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
