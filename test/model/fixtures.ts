// Shared fixtures for the model tests: a tiny config, a stand-in image tower (patchify by
// reshape + one Linear per component, so these tests do not depend on the ViT), and the
// "brightness" toy task whose answer is only in the image.
import type { Graph, Tensor } from '../../src/engine/graph.js';
import * as op from '../../src/engine/ops/index.js';
import { type Rng } from '../../src/engine/rng.js';
import { linear } from '../../src/nn/linear.js';
import { IGNORE_INDEX, type PackedBatch } from '../../src/data/packed_batch.js';
import { parseModelConfig, type ModelConfig } from '../../src/model/build/config.js';
import type { ImageTower } from '../../src/model/build/multimodal.js';

/** 8×8 images, 4×4 patches -> 4 image tokens; a 2-layer GQA LLM of width 32. */
export function tinyConfig(over: { vocabSize?: number; depth?: number; tie?: boolean; qkvBias?: boolean } = {}): ModelConfig {
  return parseModelConfig({
    name: 'test-tiny',
    vision: { imageSize: 8, patchSize: 4, width: 16, depth: 1, heads: 2, mlpHidden: 32 },
    connector: { kind: 'mlp', tokens: 4 },
    llm: {
      vocabSize: over.vocabSize ?? 24,
      width: 32,
      depth: over.depth ?? 2,
      heads: 4,
      kvHeads: 2,
      mlpHidden: 48,
      maxPositions: 64,
      tieEmbeddings: over.tie ?? false,
      qkvBias: over.qkvBias ?? false,
    },
  });
}

/** pixels [N, 3, S, S] -> patches [N, G², 3p²] -> 'vision.patch' -> GELU -> 'connector.proj' -> [N, G², D]. */
export function standInTower(cfg: ModelConfig): ImageTower {
  return (g: Graph, pixels: Tensor) => {
    const [n, c, s] = pixels.shape;
    const p = cfg.vision.patchSize;
    const gr = s / p;
    const patches = op.reshape(op.transpose(op.reshape(pixels, [n, c, gr, p, gr, p]), [0, 2, 4, 1, 3, 5]), [n, gr * gr, c * p * p]);
    const feats = g.scope('vision', () => op.gelu(linear(g, 'patch', patches, cfg.vision.width)));
    return g.scope('connector', () => linear(g, 'proj', feats, cfg.llm.width));
  };
}

export const IMAGE_TOKEN = 3;
export const QUESTION = 4;
export const ANSWER0 = 10;

/**
 * B sequences [image ×k, Q, A]: the image is a uniform grey of level c ∈ {0..3} plus noise,
 * and the target after Q is token ANSWER0 + c. Only the image tells c, so a model that
 * ignores it cannot beat ln 4 ≈ 1.386. `blank` zeroes every image.
 */
export function brightnessBatch(cfg: ModelConfig, B: number, rng: Rng, blank = false): PackedBatch {
  const k = cfg.connector.tokens;
  const S = cfg.vision.imageSize;
  const T = k + 2;
  const px = 3 * S * S;
  const b: PackedBatch = {
    B,
    T,
    N: 1,
    tokensPerImage: k,
    tokens: new Int32Array(B * T),
    targets: new Int32Array(B * T).fill(IGNORE_INDEX),
    segments: new Int32Array(B * T).fill(1),
    positions: new Int32Array(B * T),
    imageTokenIndex: new Int32Array(B * T).fill(-1),
    images: new Float32Array(B * px),
    imageShape: [3, S, S],
    imageCount: new Int32Array(B).fill(1),
  };
  for (let r = 0; r < B; r++) {
    const level = rng.int(4);
    for (let i = 0; i < px; i++) b.images[r * px + i] = blank ? 0 : level - 1.5 + 0.3 * rng.normal();
    for (let t = 0; t < T; t++) {
      const p = r * T + t;
      b.positions[p] = t;
      if (t < k) [b.tokens[p], b.imageTokenIndex[p]] = [IMAGE_TOKEN, r * k + t];
      else b.tokens[p] = t === k ? QUESTION : ANSWER0 + level;
    }
    b.targets[r * T + k] = ANSWER0 + level;
  }
  return b;
}

export const mean = (xs: number[]) => xs.reduce((p, v) => p + v, 0) / xs.length;

export function randomNormal(rng: Rng, n: number, std = 1): Float32Array {
  return Float32Array.from({ length: n }, () => rng.normal() * std);
}
