// Item 10 (docs/reading.md, session 16): the printed word as nearly the whole loss, through the
// studies' own pipeline. From a trained model directory, train on one source of reading pairs —
// a train-split, text-bearing world-v2 scene, then "the word X." — at the studies' shape, with the
// encoder frozen or unfrozen; then score the 20-way choice on held-out (eval-split) pictures:
// rank the 20 words by log-likelihood after [picture, "the word"], and the same with a gray picture.
// Resumes from its checkpoints when run again with the same flags.
// Usage:
//   node --import tsx experiments/reading/word_only.ts --init <run>/pretrain/model --arm frozen|unfrozen --out <dir> [--steps 400]
//   node --import tsx experiments/reading/word_only.ts --score-only <model dir> --out <dir>   (the choice alone, e.g. for the starting model)
//   ... --target background   (the control: "the background is X." and a 5-way choice of the background colour, which
//     every model reads: shows the script's pictures reach the model and a pictorial label is learnt this way)
import { parseArgs } from 'node:util';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '../../src/engine/rng.js';
import type { DataSource } from '../../src/data/batches.js';
import type { Document } from '../../src/data/document.js';
import { generateScene, lexicon, renderScene, type Scene } from '../../src/data/world/index.js';
import { readModelDir } from '../../src/model/io/model_dir.js';
import { loadModel } from '../../src/model/infer/load.js';
import { TrainConfigSchema } from '../../src/train/config.js';
import { ClaimedRunDir } from '../../src/train/run_dir.js';
import { runTraining } from '../../src/train/run_training.js';
import { latestCheckpoint } from '../../src/engine/checkpoint.js';
import { pictureChoice } from './picture_choice.js';

const ARMS = {
  frozen: { freeze: ['vision'] as const, lrScale: {} },
  unfrozen: { freeze: [] as const, lrScale: { vision: 0.3 } },
};

const { values: a } = parseArgs({
  options: {
    init: { type: 'string' },
    arm: { type: 'string' },
    out: { type: 'string' },
    steps: { type: 'string', default: '400' },
    'score-only': { type: 'string' },
    items: { type: 'string', default: '300' },
    target: { type: 'string', default: 'word' },
  },
});
if (!a.out) throw new Error('word_only: pass --out <dir>');
const SIZE = 128;
if (a.target !== 'word' && a.target !== 'background') throw new Error(`word_only: --target is word or background, got ${a.target}`);
/** What a pair names and the choice ranks: the printed word (the item), or the background colour (the control). */
const TARGET =
  a.target === 'word'
    ? { options: lexicon.WORDS as readonly string[], prefix: 'the word', of: (s: Scene) => s.text!.word }
    : { options: lexicon.BACKGROUNDS as readonly string[], prefix: 'the background is', of: (s: Scene) => s.background.color as string };

/** Reading pair `i`: a pure function of i, so the stream resumes at any index. */
function readingPair(i: number): Document {
  const rng = new Rng(16).fork(`word-only/${i}`);
  const scene = generateScene(rng, { split: 'train', version: 2, requireText: true });
  return {
    source: 'caption',
    id: `word-only:${i}`,
    segments: [
      { kind: 'image', image: renderScene(scene, SIZE) },
      { kind: 'text', text: `${TARGET.prefix} ${TARGET.of(scene)}.` },
    ],
  };
}
function* readingPairs(start: number): Generator<Document, never> {
  for (let i = start; ; i++) yield readingPair(i);
}

/** The choice on held-out pictures (picture_choice.ts), with the picture and with a gray one. */
async function score(modelDir: string, n: number): Promise<{ accuracy: number; grayAccuracy: number; items: number }> {
  const model = await loadModel(modelDir);
  const rng = new Rng(9010).fork('word-only-eval');
  const items = Array.from({ length: n }, () => {
    const scene = generateScene(rng, { split: 'eval', version: 2, requireText: true });
    return { image: renderScene(scene, SIZE), answer: TARGET.of(scene) };
  });
  const { right, grayRight } = await pictureChoice(model, items, TARGET.prefix, TARGET.options);
  await model.release();
  return { accuracy: right / n, grayAccuracy: grayRight / n, items: n };
}

const items = Number(a.items);
if (a['score-only']) {
  const r = { model: a['score-only'], ...(await score(a['score-only'], items)) };
  writeFileSync(join(a.out, 'choice.json'), JSON.stringify(r, null, 2) + '\n');
  console.log(JSON.stringify(r));
} else {
  if (!a.init || !a.arm || !(a.arm in ARMS)) throw new Error(`word_only: pass --init <model dir> and --arm ${Object.keys(ARMS).join('|')}`);
  const arm = ARMS[a.arm as keyof typeof ARMS];
  const base = await readModelDir(a.init);
  const train = TrainConfigSchema.parse({
    steps: Number(a.steps),
    batchSize: 16,
    seqLen: 320,
    maxImages: 8,
    lr: 3e-3,
    warmupSteps: 20,
    minLrRatio: 0.1,
    freeze: [...arm.freeze],
    lrScale: arm.lrScale,
    checkpointEvery: 100,
    seed: 0,
  });
  const sources: DataSource[] = [{ name: 'reading-pairs', weight: 1, open: (start: number) => readingPairs(start) }];
  const runConfig = { experiment: 'word_only', init: a.init, arm: a.arm, train, ...(a.target === 'word' ? {} : { target: a.target }) };
  const r = await runTraining({
    run: ClaimedRunDir.claim(a.out, runConfig, latestCheckpoint(a.out) !== null),
    model: base.config,
    tokenizer: base.tokenizer,
    train,
    sources,
    dataSeed: 0,
    init: base.weights,
    initCoverage: 'all',
    label: `word-only ${a.arm}`,
  });
  const modelDir = r.modelDir ?? join(a.out, 'model');
  if (!existsSync(modelDir)) throw new Error(`word_only: no model at ${modelDir}`);
  const s = { arm: a.arm, target: a.target, steps: train.steps, wallSeconds: r.wallSeconds, ...(await score(modelDir, items)) };
  writeFileSync(join(a.out, 'choice.json'), JSON.stringify(s, null, 2) + '\n');
  console.log(JSON.stringify(s));
}
