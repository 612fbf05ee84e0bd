// Contrastive (CLIP-style) pretraining of the image encoder on world image–caption pairs:
// the first stage of MM1's recipe, where the encoder comes CLIP-pretrained (model/clip.ts).
// Returns the trained `vision.*` weights, saved to <out>/vision.safetensors so a resumed
// run does not train them again.
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { atomicWriteFile } from '../engine/atomic_write.js';
import { join } from 'node:path';
import type { HostTensor } from '../engine/host_tensor.js';
import { initParams, type ParamValues } from '../engine/param_store.js';
import { readSafetensors, writeSafetensors } from '../engine/safetensors.js';
import { TrainStep } from '../engine/train_step.js';
import { preprocessImage } from '../data/subimage.js';
import type { Mm1Tokenizer } from '../data/tokenizer.js';
import { worldDocument, type WorldVersion } from '../data/world/index.js';
import { buildClip } from '../model/clip.js';
import type { VisionConfig } from '../model/config.js';
import { learningRate } from './schedule.js';
import { progressBar } from './progress.js';

export interface ClipOptions {
  vision: VisionConfig;
  tokenizer: Mm1Tokenizer;
  steps: number;
  batchSize: number;
  lr: number;
  seed: number;
  /** Side of rendered world pictures before resizing to the encoder resolution. */
  renderSize: number;
  /** World version of the pictures and captions (default 1). */
  worldVersion?: WorldVersion;
  out: string;
  quiet?: boolean;
}

export interface ClipResult {
  vision: ParamValues;
  /** In-batch image→caption retrieval accuracy over the last 10 steps (chance = 1/B). */
  accuracy: number;
  losses: number[];
}

const CAPTION_LEN = 32;

/** One batch of B pairs from the world's caption stream, starting at document `start`. */
function clipBatch(o: ClipOptions, start: number): Record<string, HostTensor> {
  const { B } = { B: o.batchSize };
  const S = o.vision.imageSize;
  const pixels = new Float32Array(B * 3 * S * S);
  const caption = new BigInt64Array(B * CAPTION_LEN);
  const mask = new Float32Array(B * CAPTION_LEN);
  for (let b = 0; b < B; b++) {
    const doc = worldDocument('caption', o.seed, start + b, { imageSize: o.renderSize, version: o.worldVersion ?? 1 });
    for (const seg of doc.segments) {
      if (seg.kind === 'image') preprocessImage(seg.image, { resolution: S }, pixels, b * 3 * S * S);
      else
        o.tokenizer.encode(seg.text).slice(0, CAPTION_LEN).forEach((id, i) => {
          caption[b * CAPTION_LEN + i] = BigInt(id);
          mask[b * CAPTION_LEN + i] = 1;
        });
    }
  }
  return {
    pixels: { dtype: 'float32', shape: [B, 3, S, S], data: pixels },
    caption: { dtype: 'int64', shape: [B, CAPTION_LEN], data: caption },
    caption_mask: { dtype: 'float32', shape: [B, CAPTION_LEN], data: mask },
  };
}

export async function clipPretrain(o: ClipOptions): Promise<ClipResult> {
  const file = join(o.out, 'vision.safetensors');
  const settings = JSON.stringify({ vision: o.vision, steps: o.steps, batchSize: o.batchSize, lr: o.lr, seed: o.seed, renderSize: o.renderSize, worldVersion: o.worldVersion ?? 1 });
  const stamp = join(o.out, 'settings.json');
  if (existsSync(file) && existsSync(stamp) && readFileSync(stamp, 'utf8') === settings)
    return { vision: readSafetensors(file).tensors, accuracy: NaN, losses: [] };
  const net = buildClip(o.vision, { B: o.batchSize, L: CAPTION_LEN, vocabSize: o.tokenizer.vocabSize, embed: 64 });
  const ts = await TrainStep.create(net.g, net.loss, initParams(net.g, o.seed), {
    optimizer: { kind: 'adamw', weightDecay: 0.1 },
    clipNorm: 1,
    metrics: { accuracy: net.accuracy },
  });
  const bar = progressBar('clip', o.steps, { quiet: o.quiet });
  const losses: number[] = [];
  const acc: number[] = [];
  try {
    const schedule = { kind: 'cosine' as const, peak: o.lr, warmupSteps: Math.min(20, o.steps), totalSteps: o.steps, minRatio: 0.1 };
    for (let s = 0; s < o.steps; s++) {
      const r = await ts.run(clipBatch(o, s * o.batchSize), learningRate(schedule, s));
      losses.push(r.loss);
      acc.push(r.metrics.accuracy);
      bar.update(s + 1, { loss: r.loss, acc: r.metrics.accuracy });
    }
  } finally {
    bar.stop();
    await ts.release();
  }
  const vision: ParamValues = new Map([...ts.params].filter(([name]) => name.startsWith('vision.')));
  mkdirSync(o.out, { recursive: true });
  writeSafetensors(file, vision, { format: 'pt', producer: 'mm1 clip' });
  atomicWriteFile(stamp, settings);
  const last = acc.slice(-10);
  return { vision, accuracy: last.reduce((a, b) => a + b, 0) / last.length, losses };
}
