// What the connector is given: the encoder's patch tokens [P, C], probed for the world
// attributes the image tasks ask, and described by their statistics. Session 9 (docs/reading.md):
// the base run with the word-first reading encoder collapsed on every image task, and this asks
// whether its tokens carry less of the world than the studies' encoders' do.
// On N eval-split world v2 scenes, with or without a word (rendered at 128 px, resized to each
// encoder's side, CLIP-normalised as training does), per encoder:
//   - region probe: ridge probe from the mean of the tokens in the connector's pooled cell that
//     holds an object's centre (the C-Abstractor pools the G×G grid to 4×4, so a cell is a
//     quarter of the picture's side at any resolution) to that object's colour (8) and shape (6);
//   - patch probe: the same from the single token at the object's centre;
//   - pooled probe: the mean of all tokens to the background colour (5) and the object count;
//   - token statistics: mean token norm, the share of the tokens' energy in their common mean
//     (a constant the connector must see past), the shares of the variance that lie between
//     positions and between pictures, per-channel std (min / median / max), and how peaked each
//     channel is over a picture's patches ((max − mean) / std, mean over channels and pictures),
//     and the pooled cells' spread across objects (root of the summed variance) beside the norm
//     of their mean: the probes standardise each feature, the connector does not.
// Beside them, encoder-free references on the pixels: the region's 128-px pixels average-pooled
// to 8×8×3, and the whole picture pooled to 16×16×3.
// Usage:
//   node --import tsx experiments/reading/token_probe.ts [--n 1000] label=<dir> ...
//   <dir>: a CLIP stage (settings.json + vision.safetensors), a model directory (config.json +
//   model.safetensors: its vision.* weights), or random:<stage dir> (that stage's encoder at its
//   seed-0 initialisation).
//   An encoder with vision.stemSkip (tokens of 2C: the blocks' output, then the stem's) gets
//   two more rows, each half alone: "<label> (blocks half)" and "<label> (stem half)".
import { parseArgs } from 'node:util';
import { Rng } from '../../src/engine/rng.js';
import { generateScene, lexicon, renderScene, type Scene } from '../../src/data/world/index.js';
import type { RgbImage } from '../../src/data/document.js';
import { encoderOutputWidth } from '../../src/model/build/vit.js';
import { encoderTokens, loadEncoder } from './encoder_tokens.js';
import { ridgeProbe } from './ridge.js';

const { values: a, positionals } = parseArgs({ options: { n: { type: 'string', default: '1000' } }, allowPositionals: true });
if (positionals.length === 0) throw new Error('token_probe: name at least one encoder as label=<stage or model dir> (or label=random:<stage dir>)');
const B = 20;
const n = Math.floor(Number(a.n) / B) * B;
const RENDER = 128;
const POOLED_SIDE = 4; // the C-Abstractor's 16 tokens: a 4×4 grid over the patches

// The pictures: eval-split world v2 scenes, as the evaluation draws them (text or not).
const rng = new Rng(9002).fork('token-probe');
const scenes: Scene[] = Array.from({ length: n }, () => generateScene(rng, { split: 'eval', version: 2 }));
const images: RgbImage[] = scenes.map((s) => renderScene(s, RENDER));
const objects = scenes.flatMap((s, i) => s.objects.map((o) => ({ scene: i, o })));
const COLORS = lexicon.COLORS as readonly string[];
const SHAPES = lexicon.SHAPES as readonly string[];
const BACKGROUNDS = lexicon.BACKGROUNDS as readonly string[];
const maxCount = Math.max(...scenes.map((s) => s.objects.length));
const labels = {
  colour: objects.map(({ o }) => COLORS.indexOf(o.color)),
  shape: objects.map(({ o }) => SHAPES.indexOf(o.shape)),
  background: scenes.map((s) => BACKGROUNDS.indexOf(s.background.color)),
  count: scenes.map((s) => s.objects.length),
};
/** Which pooled cell (row-major over POOLED_SIDE²) and patch hold a point given as fractions of the side. */
const cellOf = (x: number, y: number, side: number) => Math.min(side - 1, Math.floor(y * side)) * side + Math.min(side - 1, Math.floor(x * side));

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const probe = (x: Float64Array, d: number, y: number[], classes: number) => pct(ridgeProbe({ x, labels: y, d }, classes).accuracy);

/** Mean RGB (0–1) of the picture's `side`×`side` blocks inside the square [x0, x0 + span) × [y0, y0 + span). */
function pooledPixels(im: RgbImage, x0: number, y0: number, span: number, side: number, out: Float64Array, at: number): void {
  const step = span / side;
  for (let by = 0; by < side; by++)
    for (let bx = 0; bx < side; bx++)
      for (let ch = 0; ch < 3; ch++) {
        let s = 0;
        for (let y = 0; y < step; y++) for (let x = 0; x < step; x++) s += im.data[((y0 + by * step + y) * im.width + x0 + bx * step + x) * 3 + ch];
        out[at + (by * side + bx) * 3 + ch] = s / (step * step * 255);
      }
}

const rows: Record<string, Record<string, string>> = {};
{
  // Encoder-free references.
  const span = RENDER / POOLED_SIDE;
  const region = new Float64Array(objects.length * 192);
  objects.forEach(({ scene, o }, r) => {
    const cell = cellOf(o.x, o.y, POOLED_SIDE);
    pooledPixels(images[scene], (cell % POOLED_SIDE) * span, Math.floor(cell / POOLED_SIDE) * span, span, 8, region, r * 192);
  });
  const whole = new Float64Array(n * 768);
  images.forEach((im, i) => pooledPixels(im, 0, 0, RENDER, 16, whole, i * 768));
  rows['pixels (reference)'] = {
    'region→colour': probe(region, 192, labels.colour, COLORS.length),
    'region→shape': probe(region, 192, labels.shape, SHAPES.length),
    'whole→background': probe(whole, 768, labels.background, BACKGROUNDS.length),
    'whole→count': probe(whole, 768, labels.count, maxCount + 1),
  };
}

/** Channels [from, from + width) of tokens [rows, C]: one half of an encoder's vision.stemSkip tokens. */
function channels(tokens: Float32Array, C: number, from: number, width: number): Float32Array {
  const rows = tokens.length / C;
  const out = new Float32Array(rows * width);
  for (let t = 0; t < rows; t++) out.set(tokens.subarray(t * C + from, t * C + from + width), t * width);
  return out;
}

for (const spec of positionals) {
  const eq = spec.indexOf('=');
  if (eq < 0) throw new Error(`token_probe: ${spec} is not label=<dir>`);
  const label = spec.slice(0, eq);
  const encoder = loadEncoder(spec.slice(eq + 1), 'token_probe');
  const { vision } = encoder;
  const S = vision.imageSize;
  const G = S / vision.patchSize;
  const C = encoderOutputWidth(vision); // the tokens' channels: 2C with vision.stemSkip
  const tokens = await encoderTokens(encoder, images, B); // [n, P, C]
  describe(label, tokens, G, C);
  // With vision.stemSkip each half also alone: the blocks' output (comparable with encoders without the skip) and the stem's tokens.
  if (vision.stemSkip !== undefined) {
    describe(`${label} (blocks half)`, channels(tokens, C, 0, vision.width), G, vision.width);
    describe(`${label} (stem half)`, channels(tokens, C, vision.width, vision.width), G, vision.width);
  }
  console.error(`${label}: done (${S} px, ${G * G} tokens of ${C})`);
}
console.log(JSON.stringify({ pictures: n, objects: objects.length, rows }, null, 1));

/** The probes and statistics of tokens [n, G², C] as the row `label`. */
function describe(label: string, tokens: Float32Array, G: number, C: number): void {
  const P = G * G;
  // Features for the probes.
  const per = G / POOLED_SIDE;
  const region = new Float64Array(objects.length * C);
  const patch = new Float64Array(objects.length * C);
  objects.forEach(({ scene, o }, r) => {
    const cell = cellOf(o.x, o.y, POOLED_SIDE);
    const [cy, cx] = [Math.floor(cell / POOLED_SIDE) * per, (cell % POOLED_SIDE) * per];
    for (let y = 0; y < per; y++)
      for (let x = 0; x < per; x++) for (let c = 0; c < C; c++) region[r * C + c] += tokens[(scene * P + (cy + y) * G + cx + x) * C + c] / (per * per);
    const at = cellOf(o.x, o.y, G);
    for (let c = 0; c < C; c++) patch[r * C + c] = tokens[(scene * P + at) * C + c];
  });
  const pooled = new Float64Array(n * C);
  for (let i = 0; i < n; i++) for (let p = 0; p < P; p++) for (let c = 0; c < C; c++) pooled[i * C + c] += tokens[(i * P + p) * C + c] / P;

  // Token statistics.
  const mean = new Float64Array(C);
  const posMean = new Float64Array(P * C);
  let energy = 0;
  let norm = 0;
  for (let i = 0; i < n; i++)
    for (let p = 0; p < P; p++) {
      let sq = 0;
      for (let c = 0; c < C; c++) {
        const v = tokens[(i * P + p) * C + c];
        mean[c] += v / (n * P);
        posMean[p * C + c] += v / n;
        sq += v * v;
      }
      energy += sq / (n * P);
      norm += Math.sqrt(sq) / (n * P);
    }
  const meanSq = mean.reduce((t, v) => t + v * v, 0);
  const total = energy - meanSq; // variance summed over channels
  const between = { positions: 0, pictures: 0 };
  for (let p = 0; p < P; p++) for (let c = 0; c < C; c++) between.positions += (posMean[p * C + c] - mean[c]) ** 2 / P;
  for (let i = 0; i < n; i++) for (let c = 0; c < C; c++) between.pictures += (pooled[i * C + c] - mean[c]) ** 2 / n;
  const channelStd = Array.from({ length: C }, (_, c) => {
    let v = 0;
    for (let t = 0; t < n * P; t++) v += (tokens[t * C + c] - mean[c]) ** 2;
    return Math.sqrt(v / (n * P));
  }).sort((x, y) => x - y);
  let peak = 0;
  for (let i = 0; i < n; i++)
    for (let c = 0; c < C; c++) {
      let [mx, s, s2] = [-Infinity, 0, 0];
      for (let p = 0; p < P; p++) {
        const v = tokens[(i * P + p) * C + c];
        mx = Math.max(mx, v);
        s += v;
        s2 += v * v;
      }
      const m = s / P;
      peak += (mx - m) / (Math.sqrt(Math.max(s2 / P - m * m, 0)) + 1e-6) / (n * C);
    }
  // How large the picture-dependent part of the connector's pooled cells is against their common offset.
  const regionMean = new Float64Array(C);
  for (let r = 0; r < objects.length; r++) for (let c = 0; c < C; c++) regionMean[c] += region[r * C + c] / objects.length;
  let regionVar = 0;
  for (let r = 0; r < objects.length; r++) for (let c = 0; c < C; c++) regionVar += (region[r * C + c] - regionMean[c]) ** 2 / objects.length;
  const regionOffset = Math.sqrt(regionMean.reduce((t, v) => t + v * v, 0));
  rows[label] = {
    'region→colour': probe(region, C, labels.colour, COLORS.length),
    'region→shape': probe(region, C, labels.shape, SHAPES.length),
    'patch→colour': probe(patch, C, labels.colour, COLORS.length),
    'patch→shape': probe(patch, C, labels.shape, SHAPES.length),
    'pooled→background': probe(pooled, C, labels.background, BACKGROUNDS.length),
    'pooled→count': probe(pooled, C, labels.count, maxCount + 1),
    'token norm': norm.toFixed(2),
    'constant share': pct(meanSq / energy),
    'between positions': pct(between.positions / total),
    'between pictures': pct(between.pictures / total),
    'channel std min/med/max': [channelStd[0], channelStd[C >> 1], channelStd[C - 1]].map((v) => v.toFixed(2)).join(' / '),
    peakedness: peak.toFixed(2),
    'region spread / offset': `${Math.sqrt(regionVar).toFixed(2)} / ${regionOffset.toFixed(2)}`,
  };
}
