// An upper bound for the CLIP stage: can this encoder learn to read when it is told the word?
// Trains the ViT, the CLIP stage's pool (--pool) and a linear 20-way classifier directly on
// "which word is written" over text-bearing train scenes, then scores held-out eval scenes,
// split by world v2's large and small words. If direct supervision does not reach the word in
// N steps, a contrastive stage whose captions carry the word as one token among several will
// not either, and the bottleneck is the encoder or its optimisation, not the pool or captions.
// --target cell (which of the 9 cells holds the word) and --target background (its colour)
// are controls: the same pipeline on a target that needs no reading.
// --crop C is a control on the other side: the encoder sees only a C×C window (in 128-px
// pixels) around the word, jittered by up to --jitter px, upsampled to --size. If the ViT
// cannot read even a word that fills its picture, the fault is optimisation or architecture,
// not finding a small word in a large picture.
// Usage (docs/reading.md): node --import tsx experiments/reading/supervised.ts --size 128 --steps 300 --pool attn
//   node --import tsx experiments/reading/supervised.ts --size 64 --steps 1000 --crop 32 --stem conv --layer-scale 1e-4
import { parseArgs } from 'node:util';
import { Graph } from '../../src/engine/graph.js';
import type { HostTensor } from '../../src/engine/host_tensor.js';
import * as op from '../../src/engine/ops/index.js';
import { initParams } from '../../src/engine/param_store.js';
import { Rng } from '../../src/engine/rng.js';
import { CompiledGraph } from '../../src/engine/session.js';
import { TrainStep } from '../../src/engine/train_step.js';
import type { RgbImage } from '../../src/data/document.js';
import { cropImage } from '../../src/data/image.js';
import { preprocessImage } from '../../src/data/subimage.js';
import { generateScene, lexicon, renderScene, type Scene } from '../../src/data/world/index.js';
import { poolImage } from '../../src/model/build/clip.js';
import { VisionConfigSchema } from '../../src/model/build/config.js';
import { visionEncoderTokens } from '../../src/model/build/vit.js';
import { linear } from '../../src/nn/linear.js';
import { learningRate } from '../../src/train/schedule.js';
import { encoderFromArgs, ENCODER_OPTIONS } from './encoder_args.js';

const { values: a } = parseArgs({
  options: {
    ...ENCODER_OPTIONS,
    pool: { type: 'string', default: 'attn' },
    target: { type: 'string', default: 'word' },
    steps: { type: 'string', default: '300' },
    batch: { type: 'string', default: '64' },
    lr: { type: 'string', default: '1e-3' },
    'large-only': { type: 'boolean', default: false },
    crop: { type: 'string', default: '0' },
    'train-pictures': { type: 'string', default: '0' },
    jitter: { type: 'string', default: '4' },
    n: { type: 'string', default: '500' },
    seed: { type: 'string', default: '0' },
  },
});
const encoder = encoderFromArgs(a, 'supervised');
const pool = encoder.pool;
const S = Number(a.size);
const B = Number(a.batch);
const width = encoder.vision.width;
const WORDS = lexicon.WORDS as readonly string[];
const TARGETS = {
  word: { classes: WORDS.length, of: (s: Scene) => WORDS.indexOf(s.text!.word) },
  cell: { classes: 9, of: (s: Scene) => s.text!.cell },
  background: { classes: lexicon.BACKGROUNDS.length, of: (s: Scene) => (lexicon.BACKGROUNDS as readonly string[]).indexOf(s.background.color) },
};
if (!(a.target in TARGETS)) throw new Error(`supervised: --target ${a.target} is not one of ${Object.keys(TARGETS).join(', ')}`);
const target = TARGETS[a.target as keyof typeof TARGETS];
const K = target.classes;
const vision = VisionConfigSchema.parse(encoder.vision);

// pixels [B, 3, S, S] -> patches [B, P, C] -> pooled [B, C] -> target logits [B, K].
const g = new Graph('read');
const pixels = g.input('pixels', [B, 3, S, S]);
const labels = g.input('labels', [B], 'int64');
const onehot = g.input('onehot', [B, K]);
const { patches, cls } = visionEncoderTokens(g, vision, pixels);
const logits = g.scope('clip', () => linear(g, 'word_head', poolImage(g, vision, pool, patches, cls), K));
const loss = op.crossEntropy(logits, labels);
const hit = op.cast(op.equal(op.reduceMax(logits, [1], true), op.reduceSum(op.mul(logits, onehot), [1], true)), 'float32');

function scenesFrom(rng: Rng, split: 'train' | 'eval', count: number): Scene[] {
  const out: Scene[] = [];
  while (out.length < count) {
    const s = generateScene(rng, { split, requireText: true, version: 2 });
    if (!a['large-only'] || (s.text!.scale ?? 1) === 1) out.push(s);
  }
  return out;
}
const CROP = Number(a.crop);
const JITTER = Number(a.jitter);
if (CROP < 0 || CROP > 128 || !Number.isInteger(CROP))
  throw new Error(`supervised: --crop ${a.crop} must be an integer side in [0, 128] (0 = the whole picture)`);
const cropRng = new Rng(Number(a.seed)).fork('reading-supervised/crop');
/** The 128-px render, or with --crop the C×C window around its word (centre jittered, kept inside the picture). */
function picture(s: Scene): RgbImage {
  const image = renderScene(s, 128);
  if (!CROP) return image;
  const k = s.text!.scale ?? 1;
  const cx = s.text!.left + (s.text!.word.length * 6 * k - k) / 2; // glyphs 5 wide on a 6 advance
  const cy = s.text!.top + (7 * k) / 2;
  const at = (c: number) => Math.min(128 - CROP, Math.max(0, Math.round(c - CROP / 2 + (2 * cropRng.next() - 1) * JITTER)));
  return cropImage(image, at(cx), at(cy), CROP, CROP);
}
function feeds(scenes: Scene[]): Record<string, HostTensor> {
  const px = new Float32Array(B * 3 * S * S);
  const y = new BigInt64Array(B);
  const oh = new Float32Array(B * K);
  scenes.forEach((s, b) => {
    preprocessImage(picture(s), { resolution: S }, px, b * 3 * S * S);
    const w = target.of(s);
    y[b] = BigInt(w);
    oh[b * K + w] = 1;
  });
  return {
    pixels: { dtype: 'float32', shape: [B, 3, S, S], data: px },
    labels: { dtype: 'int64', shape: [B], data: y },
    onehot: { dtype: 'float32', shape: [B, K], data: oh },
  };
}

const t0 = Date.now();
const ts = await TrainStep.create(g, loss, initParams(g, Number(a.seed)), {
  optimizer: { kind: 'adamw', weightDecay: 0.1 },
  clipNorm: 1,
  metrics: { accuracy: op.reduceMean(hit) },
});
const steps = Number(a.steps);
const schedule = { kind: 'cosine' as const, peak: Number(a.lr), warmupSteps: Math.min(20, steps), totalSteps: steps, minRatio: 0.1 };
const trainRng = new Rng(Number(a.seed)).fork('reading-supervised/train');
const curve: string[] = [];
const acc: number[] = [];
// --train-pictures N: a fixed pool of N pictures cycled in batches (a memorisation control: a
// pipeline that cannot overfit 64 pictures is broken, not short of data); 0 = fresh ones each step.
const fixedPool = Number(a['train-pictures']) ? scenesFrom(trainRng, 'train', Number(a['train-pictures'])) : null;
const batchAt = (s: number) => (fixedPool ? Array.from({ length: B }, (_, i) => fixedPool[(s * B + i) % fixedPool.length]) : scenesFrom(trainRng, 'train', B));
for (let s = 0; s < steps; s++) {
  const r = await ts.run(feeds(batchAt(s)), learningRate(schedule, s));
  acc.push(r.metrics.accuracy);
  if ((s + 1) % Math.max(1, Math.floor(steps / 6)) === 0) {
    curve.push(`${s + 1}:${(acc.slice(-20).reduce((x, y) => x + y, 0) / Math.min(20, acc.length)).toFixed(2)}`);
    console.error(`step ${curve.at(-1)} (${Math.round((Date.now() - t0) / 1000)} s)`); // progress of a long run, on stderr
  }
}
const params = ts.params;
await ts.release();

// Held-out eval scenes (the eval split's words and layouts), scored by the trained classifier.
const evalSession = await CompiledGraph.create(g, [pixels, labels, onehot], { hit }, { frozen: params });
const evalScenes = scenesFrom(new Rng(9001).fork('reading-supervised/eval'), 'eval', Math.floor(Number(a.n) / B) * B);
const right = { large: 0, small: 0 };
const count = { large: 0, small: 0 };
for (let i = 0; i < evalScenes.length; i += B) {
  const chunk = evalScenes.slice(i, i + B);
  const h = (await evalSession.run(feeds(chunk))).hit.data as Float32Array;
  chunk.forEach((s, b) => {
    const size = (s.text!.scale ?? 1) === 1 ? 'large' : 'small';
    count[size]++;
    right[size] += h[b];
  });
}
await evalSession.release();
const pct = (x: number, n: number) => (n ? `${((100 * x) / n).toFixed(1)}% of ${n}` : '-');
console.log(
  JSON.stringify({
    size: S,
    patch: vision.patchSize,
    encoder: `${width}x${a.depth}`,
    stem: a.stem,
    featureLayer: vision.featureLayer,
    pool,
    target: a.target,
    steps,
    batch: B,
    lr: Number(a.lr),
    largeOnly: a['large-only'],
    crop: CROP ? `${CROP}±${JITTER}` : 'none',
    trainPictures: fixedPool ? fixedPool.length : 'fresh each step',
    trainAccuracyLast20: curve,
    evalLarge: pct(right.large, count.large),
    evalSmall: pct(right.small, count.small),
    chance: `${(100 / K).toFixed(1)}%`,
    seconds: Math.round((Date.now() - t0) / 1000),
  }),
);
