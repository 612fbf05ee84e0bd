// Item 9 (docs/reading.md, session 16): how much of the studies' pretraining loss names a printed
// word, and what those tokens still cost trained models.
//   A (data): per source kind, the share f_k of loss tokens that are a *word token* (a loss token
//     whose id is the printed word of a picture shown earlier in the same document), from the
//     documents themselves (their scene graphs say which word each picture shows); ℓ_k, the loss
//     tokens per packed row of kind k, from the mixed BatchStream at the studies' shape (its
//     rowSources say each row's kind); s = Σ w_k ℓ_k f_k ÷ Σ w_k ℓ_k over the rows' own kinds.
//   B (models): on text-bearing caption documents that name the word, the word's NLL given the
//     picture and the caption before it, the same with a mid-gray picture, and the caption's NLL
//     per token; R = s × L_word ÷ L_train (the run's logged loss over its last 100 steps).
// Usage:
//   node --import tsx experiments/reading/word_share.ts --model <run>/pretrain/model [--model ...]
//     [--docs 2000] [--batches 50] [--items 300] [--out file.json]
import { parseArgs } from 'node:util';
import { writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Rng } from '../../src/engine/rng.js';
import { BatchStream, type DataSource } from '../../src/data/batches.js';
import type { SourceKind } from '../../src/data/document.js';
import { tokenizeDocument } from '../../src/data/doc_tokens.js';
import { IGNORE_INDEX } from '../../src/data/packed_batch.js';
import { clipImageSlots, modelPreprocess } from '../../src/data/subimage.js';
import { pretrainWeights } from '../../src/data/mixture.js';
import { generateScene, renderScene, textCaptionsFor, worldSample, worldSource } from '../../src/data/world/index.js';
import { readModelDir } from '../../src/model/io/model_dir.js';
import { loadModel } from '../../src/model/infer/load.js';
import { readLog } from '../../src/train/loop.js';
import { worldTokenizer } from '../../src/train/world_data.js';
import { grayPicture } from './picture_choice.js';

const { values: a } = parseArgs({
  options: {
    model: { type: 'string', multiple: true, default: [] },
    docs: { type: 'string', default: '2000' },
    batches: { type: 'string', default: '50' },
    items: { type: 'string', default: '300' },
    seed: { type: 'string', default: '3' },
    out: { type: 'string' },
  },
});
const models = a.model;
if (models.length === 0) throw new Error('word_share: pass --model <run>/pretrain/model (one or more); the first fixes the data shape');
const DOCS = Number(a.docs);
const BATCHES = Number(a.batches);
const ITEMS = Number(a.items);
const SEED = Number(a.seed);
// The studies' shape (docs/results/default/run-records/79845fd9d58409cf/config.json).
const SHAPE = { B: 16, T: 320, N: 8 };
const VERSION = 2 as const;
const MIX = { interleaved: 45, caption: 45, text: 10 };

const first = await readModelDir(models[0]);
const tokenizer = worldTokenizer(VERSION);
const run = { tokensPerImage: first.config.connector.tokens, markers: false };
const size = first.config.vision.imageSize;

// --- A: the data ---------------------------------------------------------------------------
const kinds = Object.keys(pretrainWeights(MIX)) as SourceKind[];
const perKind: Record<string, { docs: number; loss: number; word: number; tokens: number; f: number }> = {};
for (const kind of kinds) {
  let loss = 0;
  let word = 0;
  let tokens = 0;
  for (let i = 0; i < DOCS; i++) {
    const { document, scenes } = worldSample(kind, SEED, i, { imageSize: size, version: VERSION });
    const doc = tokenizeDocument(document, tokenizer, run);
    tokens += doc.ids.length;
    // The word each picture shows, as a token id, from the picture's position on.
    const shown = doc.images.map((im, j) => ({ at: im.at, id: scenes[j].text ? tokenizer.encode(scenes[j].text.word)[0] : -1 }));
    for (let p = 0; p < doc.ids.length; p++) {
      if (!doc.loss[p]) continue;
      loss++;
      if (shown.some((s) => s.at < p && s.id === doc.ids[p])) word++;
    }
  }
  perKind[kind] = { docs: DOCS, loss, word, tokens, f: word / loss };
}

const sources: DataSource[] = Object.entries(pretrainWeights(MIX)).map(([kind, weight]) => ({
  name: kind,
  weight: weight,
  open: (start: number) => worldSource(kind as SourceKind, SEED, { start, imageSize: size, version: VERSION }),
}));
const stream = new BatchStream(tokenizer, sources, {
  ...SHAPE,
  tokensPerCrop: first.config.connector.tokens,
  images: clipImageSlots(modelPreprocess(first.config)),
  seed: SEED,
});
const rows: Record<string, { rows: number; loss: number }> = {};
for (let b = 0; b < BATCHES; b++) {
  const batch = await stream.next();
  stream.rowSources.forEach((kind, r) => {
    let n = 0;
    for (let t = 0; t < SHAPE.T; t++) if (batch.targets[r * SHAPE.T + t] !== IGNORE_INDEX) n++;
    rows[kind] ??= { rows: 0, loss: 0 };
    rows[kind].rows++;
    rows[kind].loss += n;
  });
}
// Σ over rows of ℓ_row f_kind ÷ Σ ℓ_row: the rows' own kinds weight the sum, as training sees them.
let wordLoss = 0;
let allLoss = 0;
for (const [kind, r] of Object.entries(rows)) {
  wordLoss += r.loss * perKind[kind].f;
  allLoss += r.loss;
}
const share = wordLoss / allLoss;

// --- B: the models -------------------------------------------------------------------------
const rng = new Rng(9016).fork('word-share');
const items: { image: ReturnType<typeof renderScene>; prefix: string; word: string; caption: string }[] = [];
while (items.length < ITEMS) {
  const scene = generateScene(rng, { split: 'train', version: VERSION, requireText: true });
  const caption = textCaptionsFor(scene, rng)[0];
  const w = scene.text!.word;
  const m = new RegExp(`^(.*\\b(?:word|says)) ${w}\\b`).exec(caption);
  if (!m) throw new Error(`word_share: caption ${JSON.stringify(caption)} does not name ${w} after "word" or "says"`);
  items.push({ image: renderScene(scene, size), prefix: m[1], word: w, caption });
}

const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
const results = [];
for (const dir of models) {
  const model = await loadModel(dir);
  const ctx = (image: ReturnType<typeof renderScene>, text?: string) => ({
    segments: [{ kind: 'image' as const, image }, ...(text === undefined ? [] : [{ kind: 'text' as const, text }])],
  });
  const wordPic = await model.logLikelihood(items.map((it) => ({ context: ctx(it.image, it.prefix), continuation: ` ${it.word}` })));
  const wordBlank = await model.logLikelihood(items.map((it) => ({ context: ctx(grayPicture(it.image), it.prefix), continuation: ` ${it.word}` })));
  const whole = await model.logLikelihood(items.map((it) => ({ context: ctx(it.image), continuation: it.caption })));
  await model.release();
  const runDir = dirname(dir);
  const log = readLog(runDir);
  const lastStep = Math.max(...log.map((r) => r.step));
  const tail = new Map(log.filter((r) => r.step > lastStep - 100).map((r) => [r.step, r.loss]));
  const lTrain = mean([...tail.values()]);
  const lWord = -mean(wordPic.map((l) => l.logProb));
  results.push({
    model: dir,
    steps: lastStep,
    lTrain,
    lWord,
    lWordBlank: -mean(wordBlank.map((l) => l.logProb)),
    wordGreedy: wordPic.filter((l) => l.isGreedy).length / items.length,
    lCaptionPerToken: whole.reduce((s, l) => s - l.logProb, 0) / whole.reduce((s, l) => s + l.tokens, 0),
    R: (share * lWord) / lTrain,
  });
}

const report = { seed: SEED, docsPerKind: DOCS, batches: BATCHES, items: ITEMS, perKind, rows, share, chanceNats: Math.log(20), results };
const json = JSON.stringify(report, null, 2);
if (a.out) writeFileSync(a.out, json + '\n');
console.log(json);
