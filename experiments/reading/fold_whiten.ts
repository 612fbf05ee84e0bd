// A diagnostic copy of a CLIP stage whose patch tokens are standardised per channel: the mean
// token μ [C] and per-channel std σ [C] over world pictures are folded into the encoder's final
// LayerNorm (γ' = γ/σ, β' = (β − μ)/σ), so each token becomes (x − μ)/σ. An affine map per
// channel carries exactly the information the tokens carried (every linear probe scores the
// same); only their offset and scale change. Pretraining from the copy against the original
// (docs/reading.md, session 9, check 3) tells a collapse caused by the tokens' scale and offset
// from one caused by what they carry.
// The copy keeps the stage's settings.json, text tower and word-first/ part, so a run pointed at
// it (as its <out>/clip, or a runner's stage directory) reuses it as the finished stage.
// Usage:
//   node --import tsx experiments/reading/fold_whiten.ts --stage <clip stage dir> --out <dir> [--n 400]
import { parseArgs } from 'node:util';
import { cpSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '../../src/engine/rng.js';
import { writeSafetensors } from '../../src/engine/safetensors.js';
import { generateScene, renderScene } from '../../src/data/world/index.js';
import { encoderTokens, loadEncoder } from './encoder_tokens.js';

const { values: a } = parseArgs({ options: { stage: { type: 'string' }, out: { type: 'string' }, n: { type: 'string', default: '400' } } });
if (!a.stage || !a.out) throw new Error('fold_whiten: give --stage <clip stage dir> and --out <new stage dir>');
if (existsSync(join(a.out, 'vision.safetensors'))) throw new Error(`fold_whiten: ${a.out} already holds a stage; remove it or choose another --out`);
const encoder = loadEncoder(a.stage, 'fold_whiten');
const { vision, weights } = encoder;
// With vision.stemSkip half of each token comes from the stem's own LayerNorm, not the final one.
if (vision.stemSkip !== undefined)
  throw new Error(
    `fold_whiten: ${a.stage} has vision.stemSkip '${vision.stemSkip}': its tokens are two LayerNorms' outputs side by side, and this folds into the final one only; whiten an encoder without the skip`,
  );
if (!weights || !vision.postNorm)
  throw new Error(
    `fold_whiten: ${a.stage} needs trained weights and a final LayerNorm (vision.postNorm true, got ${vision.postNorm}) to fold the standardisation into`,
  );

// Statistics on train-split pictures (the evaluation's pictures stay unseen), as pretraining draws them.
const rng = new Rng(9003).fork('fold-whiten');
const n = Math.floor(Number(a.n) / 20) * 20;
const images = Array.from({ length: n }, () => renderScene(generateScene(rng, { split: 'train', version: 2 }), 128));
const stats = async (e: typeof encoder) => {
  const tokens = await encoderTokens(e, images);
  const C = vision.width;
  const rows = tokens.length / C;
  const mean = new Float64Array(C);
  const sd = new Float64Array(C);
  for (let t = 0; t < rows; t++) for (let c = 0; c < C; c++) mean[c] += tokens[t * C + c] / rows;
  for (let t = 0; t < rows; t++) for (let c = 0; c < C; c++) sd[c] += (tokens[t * C + c] - mean[c]) ** 2 / rows;
  return { mean, sd: sd.map(Math.sqrt) };
};
const before = await stats(encoder);
const gamma = weights.get('vision.post_layernorm.weight')!;
const beta = weights.get('vision.post_layernorm.bias')!;
const g = gamma.data as Float32Array;
const b = beta.data as Float32Array;
const folded = new Map(weights);
folded.set('vision.post_layernorm.weight', { ...gamma, data: Float32Array.from(g, (v, c) => v / before.sd[c]) });
folded.set('vision.post_layernorm.bias', { ...beta, data: Float32Array.from(b, (v, c) => (v - before.mean[c]) / before.sd[c]) });
const after = await stats({ vision, weights: folded });
const range = (x: Float64Array) => `${Math.min(...x).toFixed(3)} … ${Math.max(...x).toFixed(3)}`;
console.log(`before: mean token norm ${Math.hypot(...before.mean).toFixed(2)}, channel std ${range(before.sd)}`);
console.log(`after:  mean token norm ${Math.hypot(...after.mean).toFixed(3)}, channel std ${range(after.sd)}`);

mkdirSync(a.out, { recursive: true });
for (const f of ['settings.json', 'text_tower.safetensors', 'word-first'])
  if (existsSync(join(a.stage, f))) cpSync(join(a.stage, f), join(a.out, f), { recursive: true });
writeSafetensors(join(a.out, 'vision.safetensors'), folded, { format: 'pt', producer: 'mm1 fold_whiten (docs/reading.md session 9)' });
console.log(`wrote ${a.out} (settings, text tower${existsSync(join(a.stage, 'word-first')) ? ', word-first/' : ''} copied)`);
