// An encoder saved by a CLIP stage or a pretraining run, and the patch tokens [n, P, C] it gives
// the connector for world pictures, preprocessed as training does. Shared by token_probe.ts and
// fold_whiten.ts (docs/reading.md, session 9).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Graph } from '../../src/engine/graph.js';
import { initParams, type ParamValues } from '../../src/engine/param_store.js';
import { readSafetensors } from '../../src/engine/safetensors.js';
import { CompiledGraph } from '../../src/engine/session.js';
import type { RgbImage } from '../../src/data/document.js';
import { preprocessImage } from '../../src/data/subimage.js';
import type { VisionConfig } from '../../src/model/build/config.js';
import { encoderOutputWidth, visionEncoder } from '../../src/model/build/vit.js';

export interface SavedEncoder {
  vision: VisionConfig;
  /** The vision.* weights; absent: the seed-0 initialisation (random:<stage dir>). */
  weights?: ParamValues;
}

/** A CLIP stage directory (settings.json + vision.safetensors), a model directory (config.json + model.safetensors), or random:<stage dir>. */
export function loadEncoder(spec: string, tool: string): SavedEncoder {
  const random = spec.startsWith('random:');
  const dir = random ? spec.slice('random:'.length) : spec;
  if (existsSync(join(dir, 'settings.json'))) {
    const vision = (JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')) as { vision: VisionConfig }).vision;
    return random ? { vision } : { vision, weights: readSafetensors(join(dir, 'vision.safetensors')).tensors };
  }
  if (existsSync(join(dir, 'config.json')) && !random) {
    const vision = (JSON.parse(readFileSync(join(dir, 'config.json'), 'utf8')) as { model: { vision: VisionConfig } }).model.vision;
    const all = readSafetensors(join(dir, 'model.safetensors')).tensors;
    return { vision, weights: new Map([...all].filter(([k]) => k.startsWith('vision.'))) };
  }
  throw new Error(`${tool}: ${dir} holds neither settings.json (a CLIP stage) nor config.json (a model directory); random: needs a stage directory`);
}

/** Patch tokens [n, P, C] of `images` (n a multiple of `batch`), each resized to the encoder's side and CLIP-normalised. */
export async function encoderTokens(encoder: SavedEncoder, images: RgbImage[], batch = 20): Promise<Float32Array> {
  const { vision } = encoder;
  const S = vision.imageSize;
  const P = (S / vision.patchSize) ** 2;
  const C = encoderOutputWidth(vision); // 2C with vision.stemSkip
  const n = images.length;
  if (n % batch !== 0) throw new Error(`encoderTokens: ${n} pictures is not a multiple of the batch ${batch}; draw a multiple`);
  const g = new Graph('encoder_tokens');
  const pixels = g.input('pixels', [batch, 3, S, S]);
  const feats = visionEncoder(g, vision, pixels); // [batch, P, C]
  const session = await CompiledGraph.create(g, [pixels], { feats }, { frozen: encoder.weights ?? initParams(g, 0) });
  const tokens = new Float32Array(n * P * C);
  try {
    for (let s0 = 0; s0 < n; s0 += batch) {
      const px = new Float32Array(batch * 3 * S * S);
      for (let b = 0; b < batch; b++) preprocessImage(images[s0 + b], { resolution: S }, px, b * 3 * S * S);
      tokens.set((await session.run({ pixels: { dtype: 'float32', shape: [batch, 3, S, S], data: px } })).feats.data as Float32Array, s0 * P * C);
    }
  } finally {
    await session.release();
  }
  return tokens;
}
