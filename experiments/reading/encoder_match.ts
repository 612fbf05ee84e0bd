// Is the encoder pretraining fed to the connector the encoder probe.ts measured? (docs/reading.md,
// session 9, check 1.) On the same pictures, two paths:
//   - the probe's: the CLIP stage's settings.json and towers, buildClip with the stage's pool,
//     pictures preprocessed as probe.ts does ({ resolution: S });
//   - the run's: the pretrained model directory's config.json (what the runner built from the run
//     config) and its model.safetensors' vision.* weights, visionEncoder (what the connector
//     reads), pictures preprocessed with modelPreprocess(config) (what pretraining and the
//     evaluation use), pooled on the host with the stage's pool;
// and reports whether the settings, weights, patch tokens [B, P, C] and pooled features agree.
// The pictures are the pretraining stream's own: world caption documents drawn as
// worldSource draws them (data.seed, data.renderSize, data.version of the run).
// Usage:
//   node --import tsx experiments/reading/encoder_match.ts --stage <clip stage dir> --model <run>/pretrain/model [--n 8]
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Graph } from '../../src/engine/graph.js';
import type { ParamValues } from '../../src/engine/param_store.js';
import { readSafetensors } from '../../src/engine/safetensors.js';
import { CompiledGraph } from '../../src/engine/session.js';
import type { RgbImage } from '../../src/data/document.js';
import { modelPreprocess, preprocessImage, type ImagePreprocessConfig } from '../../src/data/subimage.js';
import { worldDocument, type WorldVersion } from '../../src/data/world/index.js';
import { buildClip, type ClipPool } from '../../src/model/build/clip.js';
import type { ModelConfig, VisionConfig } from '../../src/model/build/config.js';
import { visionEncoder } from '../../src/model/build/vit.js';
import { CAPTION_LEN } from '../../src/train/clip_data.js';

const { values: a } = parseArgs({ options: { stage: { type: 'string' }, model: { type: 'string' }, n: { type: 'string', default: '8' } } });
if (!a.stage || !a.model) throw new Error('encoder_match: give --stage <clip stage dir> and --model <pretrained model dir>');
const B = Number(a.n);
const stage = JSON.parse(readFileSync(join(a.stage, 'settings.json'), 'utf8')) as { vision: VisionConfig; pool?: ClipPool };
const pool = stage.pool ?? 'mean';
const saved = JSON.parse(readFileSync(join(a.model, 'config.json'), 'utf8')) as {
  model: ModelConfig;
  run: { data: { seed: number; renderSize: number; version: WorldVersion } };
};
const model = saved.model;
const S = model.vision.imageSize;
const sortedJson = (v: object) => JSON.stringify(v, Object.keys(v).sort());
console.log(`vision settings equal: ${sortedJson(stage.vision) === sortedJson(model.vision)}`);

const stageTowers: ParamValues = new Map();
for (const f of ['vision.safetensors', 'text_tower.safetensors']) for (const [k, v] of readSafetensors(join(a.stage, f)).tensors) stageTowers.set(k, v);
const modelVision: ParamValues = new Map([...readSafetensors(join(a.model, 'model.safetensors')).tensors].filter(([k]) => k.startsWith('vision.')));
let differing = 0;
for (const [k, t] of modelVision) {
  const s = stageTowers.get(k);
  if (!s || !(s.data as Float32Array).every((v, i) => v === (t.data as Float32Array)[i])) differing++;
}
console.log(`vision tensors: ${modelVision.size} in the model, ${differing} differ from (or are missing in) the stage`);

// Pictures as pretraining draws them: caption documents of the run's world stream.
const images: RgbImage[] = [];
for (let i = 0; images.length < B; i++)
  for (const seg of worldDocument('caption', saved.run.data.seed, i, { imageSize: saved.run.data.renderSize, version: saved.run.data.version }).segments)
    if (seg.kind === 'image' && images.length < B) images.push(seg.image);
const pixelsFor = (pre: ImagePreprocessConfig) => {
  const px = new Float32Array(B * 3 * S * S);
  images.forEach((im, b) => preprocessImage(im, pre, px, b * 3 * S * S));
  return px;
};
const probePre: ImagePreprocessConfig = { resolution: S };
const runPre = modelPreprocess(model);
console.log(`preprocessing: probe ${JSON.stringify(probePre)}, run ${JSON.stringify(runPre)}`);
const [probePx, runPx] = [pixelsFor(probePre), pixelsFor(runPre)];
console.log(`pixels equal: ${probePx.every((v, i) => v === runPx[i])}`);

// The probe's path.
const clip = buildClip(stage.vision, { B, L: CAPTION_LEN, vocabSize: stageTowers.get('clip.text_embed.weight')!.shape[0], embed: 64 }, { pool });
const clipInputs = ['pixels', 'caption', 'caption_mask'].map((name) => clip.g.tensors.find((t) => t.kind === 'input' && t.name === name)!);
const probeSession = await CompiledGraph.create(clip.g, clipInputs, { feats: clip.patchFeatures, pooled: clip.pooledFeature }, { frozen: stageTowers });
const probeOut = await probeSession.run({
  pixels: { dtype: 'float32', shape: [B, 3, S, S], data: probePx },
  caption: { dtype: 'int64', shape: [B, CAPTION_LEN], data: new BigInt64Array(B * CAPTION_LEN) },
  caption_mask: { dtype: 'float32', shape: [B, CAPTION_LEN], data: new Float32Array(B * CAPTION_LEN) },
});
await probeSession.release();

// The run's path: the encoder the connector reads.
const g = new Graph('encoder_match');
const pixels = g.input('pixels', [B, 3, S, S]);
const runSession = await CompiledGraph.create(g, [pixels], { feats: visionEncoder(g, model.vision, pixels) }, { frozen: modelVision });
const runFeats = (await runSession.run({ pixels: { dtype: 'float32', shape: [B, 3, S, S], data: runPx } })).feats.data as Float32Array;
await runSession.release();

const [, P, C] = clip.patchFeatures.shape;
const probeFeats = probeOut.feats.data as Float32Array;
let maxDiff = 0;
let maxAbs = 0;
for (let i = 0; i < runFeats.length; i++) {
  maxDiff = Math.max(maxDiff, Math.abs(runFeats[i] - probeFeats[i]));
  maxAbs = Math.max(maxAbs, Math.abs(probeFeats[i]));
}
console.log(`patch tokens [${B}, ${P}, ${C}]: max |run − probe| ${maxDiff.toExponential(2)} (max |token| ${maxAbs.toFixed(2)})`);
// The stage's pool on the run's tokens against the probe's pooled feature.
const poolHost = (b: number, c: number) => {
  const vals = Array.from({ length: P }, (_, p) => runFeats[(b * P + p) * C + c]);
  if (pool === 'max') return Math.max(...vals);
  if (pool === 'mean') return vals.reduce((s, v) => s + v, 0) / P;
  return NaN; // attn / cls pools have weights of their own: compared through the tokens only
};
let pooledDiff = 0;
for (let b = 0; b < B; b++)
  for (let c = 0; c < C; c++) pooledDiff = Math.max(pooledDiff, Math.abs(poolHost(b, c) - (probeOut.pooled.data as Float32Array)[b * C + c]));
console.log(`pooled (${pool}): max |run − probe| ${Number.isNaN(pooledDiff) ? 'n/a' : pooledDiff.toExponential(2)}`);
