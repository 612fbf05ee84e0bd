// Does the printed word survive the image encoder? Trains (or loads) an encoder, then on
// text-bearing eval scenes measures:
//   - window probe: a linear (ridge) probe for "which of the 20 words" on the features of the
//     patches that cover the word, next to the same probe on those patches' raw pixels;
//   - pooled probe: the same on the pooled image feature CLIP's image side projects (--pool:
//     the mean of all patch features, a learned query's attention output, or the class token);
//   - retrieval: with a CLIP text tower, how often the image is closest to the caption naming
//     its word among 20 captions that differ only in the word ("a picture with the word X."),
//     overall and for world v2's large and small words.
// --captions word trains the stage with the run option encoder.clipTextCaptions "word": the
// text pairs (--text-share of them) are captioned with the retrieval caption itself, so their
// captions differ in the word alone and can be told apart only by reading (no colours, shapes
// or counts to contrast instead). At --text-share 1 every pair is such a pair.
// Usage (see docs/reading.md for the runs):
//   node --import tsx experiments/reading/probe.ts --size 128 --clip-steps 200 --text-share 0.5 --out /tmp/probe/a
//   node --import tsx experiments/reading/probe.ts --size 128 --clip-steps 400 --text-share 1 --hard-negatives 8 --stem conv --feature-layer 0 --pool max --out /tmp/probe/h
//   node --import tsx experiments/reading/probe.ts --size 128 --model runs/x/model   (encoder of a trained model)
//   node --import tsx experiments/reading/probe.ts --size 128 --stem conv --layer-scale 1e-4 --pool max --clip-dir <run cache>/clip-<hash> --world-pairs 500
//     (a finished CLIP stage's saved towers: its retrieval, and --world-pairs: in-batch accuracy on unseen world-caption pairs)
//   node --import tsx experiments/reading/probe.ts --size 128 --stem conv --layer-scale 1e-4 --pool max --init-dir <stage> --clip-steps 800 --text-share 0.5 --captions word --hard-negatives 8 --seed 1 --out /tmp/probe/c
//     (a curriculum: a stage that starts from a finished stage's towers, here trained on mixed pairs drawn with another data seed)
//   node --import tsx experiments/reading/probe.ts --size 128 --stem conv --stem-skip concat --pool max --clip-dir <stage> --world-pairs 500
//     (an encoder whose tokens are the blocks' output beside the stem's, vision.stemSkip: the probes see all 2C channels)
import { parseArgs } from 'node:util';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CompiledGraph } from '../../src/engine/session.js';
import type { HostTensor } from '../../src/engine/host_tensor.js';
import { initParams, type ParamValues } from '../../src/engine/param_store.js';
import { Rng } from '../../src/engine/rng.js';
import { readSafetensors } from '../../src/engine/safetensors.js';
import { preprocessImage } from '../../src/data/subimage.js';
import { generateScene, lexicon, renderScene, type Scene, type WorldVersion } from '../../src/data/world/index.js';
import { buildClip } from '../../src/model/build/clip.js';
import type { VisionConfig } from '../../src/model/build/config.js';
import { encoderOutputWidth } from '../../src/model/build/vit.js';
import { clipPretrain } from '../../src/train/clip_pretrain.js';
import { CAPTION_LEN, clipPair, clipTensors, wordCaption, type ClipDataOptions } from '../../src/train/clip_data.js';
import { parsePretrainConfig } from '../../src/train/config.js';
import { resolveModelConfig } from '../../src/train/model_setup.js';
import { worldTokenizer } from '../../src/train/world_data.js';
import { encoderFromArgs, ENCODER_OPTIONS } from './encoder_args.js';
import { ridgeProbe } from './ridge.js';

const { values: a } = parseArgs({
  options: {
    ...ENCODER_OPTIONS,
    'clip-steps': { type: 'string', default: '0' },
    'clip-batch': { type: 'string', default: '64' },
    'clip-lr': { type: 'string', default: '1e-3' },
    'text-share': { type: 'string', default: '0' },
    'hard-negatives': { type: 'string', default: '1' },
    captions: { type: 'string', default: 'world' },
    pool: { type: 'string', default: 'mean' },
    world: { type: 'string', default: '2' },
    seed: { type: 'string', default: '0' },
    model: { type: 'string' },
    'clip-dir': { type: 'string' },
    'init-dir': { type: 'string' },
    'world-pairs': { type: 'string', default: '0' },
    'world-seed': { type: 'string', default: '777' },
    n: { type: 'string', default: '1500' },
    out: { type: 'string', default: '/tmp/reading-probe' },
  },
});
const S = Number(a.size);
const encoder = encoderFromArgs(a, 'probe');
const pool = encoder.pool;
const worldVersion = Number(a.world) as WorldVersion;
const width = encoder.vision.width;
// The world version's own vocabulary, as the real CLIP stage tokenises (v2 adds words v1 lacks; runs before session 7 used v1's).
const tokenizer = worldTokenizer(worldVersion);
const run = parsePretrainConfig({
  recipe: 'tiny',
  model: { vision: encoder.vision },
  train: { steps: 1, batchSize: 1, seqLen: 8, maxImages: 1, lr: 1e-3 },
});
const vision: VisionConfig = resolveModelConfig(run, tokenizer.vocabSize).vision;
const WORDS = lexicon.WORDS as readonly string[];
if (a['init-dir'] !== undefined && !(Number(a['clip-steps']) > 0 && a['clip-dir'] === undefined && a.model === undefined))
  throw new Error(`probe: --init-dir ${a['init-dir']} starts a stage that trains: give it --clip-steps above 0, without --clip-dir or --model`);
const B = 20; // probe batch: one caption per word fits one batch
if (!['world', 'word'].includes(a.captions)) throw new Error(`probe: --captions ${a.captions} is not one of world, word`);

/** A finished CLIP stage's towers (clip_pretrain.ts writes settings.json last), its encoder settings checked against the flags. */
function finishedStage(dir: string, flag: string): { towers: ParamValues; steps: number } {
  if (!existsSync(join(dir, 'settings.json')))
    throw new Error(`probe: ${flag} ${dir} has no settings.json: not a finished CLIP stage (train it first, or point at <cache>/clip-<hash>)`);
  const stage = JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')) as { vision: VisionConfig; pool?: string; steps: number };
  // Stages saved before model.vision.stem existed have no stem: theirs is the patch embedding.
  const visionKey = (v: VisionConfig) => JSON.stringify({ ...v, stem: v.stem ?? 'patch' }, Object.keys({ ...v, stem: 0 }).sort());
  if (visionKey(stage.vision) !== visionKey(vision) || (stage.pool ?? 'mean') !== pool)
    throw new Error(
      `probe: ${flag} ${dir} was trained with vision ${JSON.stringify(stage.vision)} and pool ${stage.pool ?? 'mean'}, the flags give ${JSON.stringify(vision)} and pool ${pool}; pass the stage's encoder flags`,
    );
  const towers: ParamValues = new Map();
  for (const file of ['vision.safetensors', 'text_tower.safetensors']) for (const [k, v] of readSafetensors(join(dir, file)).tensors) towers.set(k, v);
  return { towers, steps: stage.steps };
}

// Encoder weights: a trained model's, a fresh CLIP stage's, or the random initialisation.
const net = buildClip(vision, { B, L: CAPTION_LEN, vocabSize: tokenizer.vocabSize, embed: 64 }, { pool });
let params: ParamValues = initParams(net.g, Number(a.seed));
let clipNote = 'random init';
if (a.model) {
  const w = readSafetensors(join(a.model, 'model.safetensors')).tensors;
  for (const [k, v] of w) if (k.startsWith('vision.')) params.set(k, v);
  clipNote = `encoder of ${a.model}`;
} else if (a['clip-dir']) {
  const stage = finishedStage(a['clip-dir'], '--clip-dir');
  params = new Map([...params, ...stage.towers]);
  clipNote = `CLIP stage ${a['clip-dir']} (${stage.steps} steps)`;
} else if (Number(a['clip-steps']) > 0) {
  const t0 = Date.now();
  // A curriculum's second part: the stage starts from a finished stage's towers and trains on these flags' pairs.
  const init = a['init-dir'] ? finishedStage(a['init-dir'], '--init-dir') : undefined;
  const clip = await clipPretrain({
    vision,
    tokenizer,
    steps: Number(a['clip-steps']),
    batchSize: Number(a['clip-batch']),
    lr: Number(a['clip-lr']),
    seed: Number(a.seed),
    renderSize: 128,
    worldVersion,
    textShare: Number(a['text-share']),
    hardNegatives: Number(a['hard-negatives']),
    // The run option itself (encoder.clipTextCaptions): the text pairs, --text-share of them, captioned with the word alone.
    ...(a.captions === 'word' ? { textCaptions: 'word' as const } : {}),
    pool,
    ...(init ? { init: { id: a['init-dir']!, params: init.towers } } : {}),
    out: a.out,
    quiet: true,
  });
  params = new Map([...params, ...clip.vision, ...clip.textTower]);
  clipNote = `${init ? `from ${a['init-dir']} (${init.steps} steps), then ` : ''}CLIP ${a['clip-steps']} steps, batch ${a['clip-batch']}, text share ${a['text-share']}, hard negatives ${a['hard-negatives']}, captions ${a.captions}, pool ${pool}, last-10 in-batch acc ${clip.accuracy.toFixed(3)} (${((Date.now() - t0) / 1000).toFixed(0)} s)`;
}
const hasTower = a.model === undefined && (a['clip-dir'] !== undefined || Number(a['clip-steps']) > 0);
const inputs = ['pixels', 'caption', 'caption_mask'].map((n) => net.g.tensors.find((t) => t.kind === 'input' && t.name === n)!);
const session = await CompiledGraph.create(
  net.g,
  inputs,
  { feats: net.patchFeatures, pooled: net.pooledFeature, img: net.imageEmbedding, txt: net.textEmbedding },
  { frozen: params },
);

function captionTensors(captions: string[]): Record<string, HostTensor> {
  const caption = new BigInt64Array(B * CAPTION_LEN);
  const mask = new Float32Array(B * CAPTION_LEN);
  captions.forEach((c, b) =>
    tokenizer
      .encode(c)
      .slice(0, CAPTION_LEN)
      .forEach((id, i) => {
        caption[b * CAPTION_LEN + i] = BigInt(id);
        mask[b * CAPTION_LEN + i] = 1;
      }),
  );
  return { caption: { dtype: 'int64', shape: [B, CAPTION_LEN], data: caption }, caption_mask: { dtype: 'float32', shape: [B, CAPTION_LEN], data: mask } };
}

// Text-bearing eval-split scenes, rendered at 128 px like training pictures, resized to S.
const n = Math.floor(Number(a.n) / B) * B;
const rng = new Rng(9001).fork('reading-probe');
const scenes: Scene[] = Array.from({ length: n }, () => generateScene(rng, { split: 'eval', requireText: true, version: worldVersion }));
const G = S / vision.patchSize;
const C = encoderOutputWidth(vision); // the tokens' channels: 2C with vision.stemSkip
const p = vision.patchSize;
const k = S / 128; // encoder pixels per world pixel
const cols = Math.ceil(((lexicon.WORDS[0].length * 6 - 1) * k) / p) + 1;
const rows = Math.ceil((7 * k) / p) + 1;
const winFeat = new Float64Array(n * cols * rows * C);
const winPix = new Float64Array(n * cols * rows * 3 * p * p);
const pooled = new Float64Array(n * C);
const labels = scenes.map((s) => WORDS.indexOf(s.text!.word));
const img = new Float32Array(n * 64);
const emptyCaptions = captionTensors(Array(B).fill(''));
for (let s0 = 0; s0 < n; s0 += B) {
  const pixels = new Float32Array(B * 3 * S * S);
  for (let b = 0; b < B; b++) preprocessImage(renderScene(scenes[s0 + b], 128), { resolution: S }, pixels, b * 3 * S * S);
  const out = await session.run({ pixels: { dtype: 'float32', shape: [B, 3, S, S], data: pixels }, ...emptyCaptions });
  const f = out.feats.data as Float32Array;
  img.set(out.img.data as Float32Array, s0 * 64);
  for (let i = 0; i < B * C; i++) pooled[s0 * C + i] = (out.pooled.data as Float32Array)[i];
  for (let b = 0; b < B; b++) {
    const i = s0 + b;
    const t = scenes[i].text!;
    const px0 = Math.min(G - cols, Math.floor((t.left * k) / p));
    const py0 = Math.min(G - rows, Math.floor((t.top * k) / p));
    let w = 0;
    let q = 0;
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        const patch = (py0 + r) * G + px0 + c;
        for (let ch = 0; ch < C; ch++) winFeat[i * cols * rows * C + w++] = f[(b * G * G + patch) * C + ch];
        for (let ch = 0; ch < 3; ch++)
          for (let y = 0; y < p; y++)
            for (let x = 0; x < p; x++)
              winPix[i * cols * rows * 3 * p * p + q++] = pixels[b * 3 * S * S + ch * S * S + ((py0 + r) * p + y) * S + (px0 + c) * p + x];
      }
    }
  }
}
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const fp = ridgeProbe({ x: winFeat, labels, d: cols * rows * C }, WORDS.length);
const pp = ridgeProbe({ x: winPix, labels, d: cols * rows * 3 * p * p }, WORDS.length);
const gp = ridgeProbe({ x: pooled, labels, d: C }, WORDS.length);
let retrieval = 'n/a (no text tower)';
if (hasTower) {
  const txt = (
    await session.run({
      pixels: { dtype: 'float32', shape: [B, 3, S, S], data: new Float32Array(B * 3 * S * S) },
      ...captionTensors(WORDS.map(wordCaption)),
    })
  ).txt.data as Float32Array;
  const right = { all: 0, large: 0, small: 0 };
  const count = { all: n, large: 0, small: 0 };
  for (let i = 0; i < n; i++) {
    let best = -Infinity;
    let arg = -1;
    for (let w = 0; w < WORDS.length; w++) {
      let s = 0;
      for (let e = 0; e < 64; e++) s += img[i * 64 + e] * txt[w * 64 + e];
      if (s > best) [best, arg] = [s, w];
    }
    const size = (scenes[i].text!.scale ?? 1) === 1 ? 'large' : 'small';
    count[size]++;
    if (arg === labels[i]) {
      right.all++;
      right[size]++;
    }
  }
  retrieval =
    pct(right.all / n) +
    (count.small > 0 ? ` (large words ${pct(right.large / count.large)} of ${count.large}, small ${pct(right.small / count.small)} of ${count.small})` : '');
}
// In-batch retrieval on unseen world-caption pairs (the caption stream of another seed), B at a
// time as the stage's own accuracy metric counts it: does the stage still learn the world?
let worldAccuracy = 'n/a';
const worldPairs = Math.floor(Number(a['world-pairs']) / B) * B;
if (hasTower && worldPairs > 0) {
  const data: ClipDataOptions = { tokenizer, imageSize: S, renderSize: 128, seed: Number(a['world-seed']), textShare: 0, version: worldVersion };
  let hits = 0;
  for (let s0 = 0; s0 < worldPairs; s0 += B) {
    const out = await session.run(
      clipTensors(
        Array.from({ length: B }, (_, b) => clipPair(data, s0 + b)),
        tokenizer,
        { resolution: S },
      ),
    );
    const [im, tx] = [out.img.data as Float32Array, out.txt.data as Float32Array];
    for (let i = 0; i < B; i++) {
      const scores = Array.from({ length: B }, (_, j) => tx.subarray(j * 64, j * 64 + 64).reduce((t, v, e) => t + v * im[i * 64 + e], 0));
      if (scores.indexOf(Math.max(...scores)) === i) hits++;
    }
  }
  worldAccuracy = `${pct(hits / worldPairs)} of ${worldPairs} (batches of ${B}, chance ${pct(1 / B)})`;
}
await session.release();
console.log(
  JSON.stringify({
    size: S,
    world: worldVersion,
    encoder: `${width}x${a.depth}`,
    weights: clipNote,
    items: n,
    window: `${cols}x${rows} patches`,
    probeFeatures: pct(fp.accuracy),
    probePixels: pct(pp.accuracy),
    probePooled: pct(gp.accuracy),
    retrieval,
    worldAccuracy,
    chance: pct(1 / WORDS.length),
  }),
);
