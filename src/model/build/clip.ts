// CLIP-style contrastive pretraining of the image encoder. MM1 starts from a ViT trained
// with a CLIP objective; on the synthetic world this small stage gives the
// encoder features that already separate colours, shapes and counts, so multimodal
// pretraining can ground words in pictures within minutes instead of learning vision from
// the captioning loss alone. The text side is a bag-of-words encoder (a mean of word
// embeddings and a projection): enough for world captions, and only the ViT is kept.
// How the image side pools its patches is a choice (ClipPool): the mean of the patches, one
// learned query attending to them (SigLIP's MAP head), a class token (CLIP's ViT), or a max. A mean
// over 256 patches dilutes a printed word that covers 8 of them (docs/reading.md).
import { Graph, type Tensor } from '../../engine/graph.js';
import * as op from '../../engine/ops/index.js';
import { linear } from '../../nn/linear.js';
import type { VisionConfig } from './config.js';
import { attnPoolConnector } from './connectors/attnpool.js';
import { visionEncoderTokens } from './vit.js';

export interface ClipShape {
  /** Image–caption pairs per batch (each pair's caption is the positive, the others negatives). */
  B: number;
  /** Caption tokens per pair (padded). */
  L: number;
  vocabSize: number;
  /** Width of the shared embedding space. */
  embed: number;
}

/**
 * How the image side turns patch features [B, P, C] into one vector [B, C]:
 *  - mean: the average of the patches;
 *  - attn: one learned query cross-attends to the patches (SigLIP's MAP head, built by the
 *    attention-pooling connector with one token); its weights live under 'clip.', not 'vision.';
 *  - cls: the class token's output (needs vision.classToken), as CLIP's ViT pools;
 *  - max: the largest value of each channel over the patches (global max pooling): a feature
 *    that fires on a small pattern anywhere (a glyph) survives whole, and its gradient goes
 *    to the patch where it fired, so the encoder need not first learn where to look.
 */
export const CLIP_POOLS = ['mean', 'attn', 'cls', 'max'] as const;
export type ClipPool = (typeof CLIP_POOLS)[number];

export interface ClipOptions {
  pool?: ClipPool;
  /** Softmax temperature of the similarity logits (fixed; CLIP learns it, starting at 0.07). */
  temperature?: number;
}

export interface ClipGraph {
  g: Graph;
  loss: Tensor;
  /** Fraction of images whose own caption scores highest (in-batch retrieval accuracy). */
  accuracy: Tensor;
  /** The encoder's patch features [B, P, C], the pooled image feature before the projection [B, C], and the unit-length image and caption embeddings [B, E], for probes. */
  patchFeatures: Tensor;
  pooledFeature: Tensor;
  imageEmbedding: Tensor;
  textEmbedding: Tensor;
}

/** Unit-length rows: x / sqrt(sum(x²) + eps). */
function normalizeRows(x: Tensor): Tensor {
  return op.div(x, op.sqrt(op.add(op.reduceSum(op.mul(x, x), [-1], true), 1e-6)));
}

/** Patch features [B, P, C] (and the class token's output [B, C] or null) -> [B, C]. */
export function poolImage(g: Graph, vision: VisionConfig, pool: ClipPool, feats: Tensor, cls: Tensor | null): Tensor {
  const [b, , c] = feats.shape;
  if (pool === 'mean') return op.reduceMean(feats, [1]);
  if (pool === 'max') return op.reduceMax(feats, [1]);
  if (pool === 'cls') {
    if (!cls)
      throw new Error(
        `clip: pool 'cls' needs an encoder with a class token, but vision.classToken is false; set model.vision.classToken to true, or use encoder.clipPool 'attn' or 'mean'`,
      );
    return cls;
  }
  // MAP head: one query, the encoder's head count, output width C ([B, 1, C] -> [B, C]).
  const pooled = g.scope('image_pool', () => attnPoolConnector(g, { kind: 'attnpool', tokens: 1, heads: vision.heads, depth: 1 }, feats, 0, c));
  return op.reshape(pooled, [b, c]);
}

/**
 * Inputs: `pixels` [B, 3, S, S], `caption` [B, L] int64, `caption_mask` [B, L] float (1 = word).
 * Symmetric InfoNCE over the B×B similarity matrix with a fixed temperature.
 */
export function buildClip(vision: VisionConfig, s: ClipShape, o: ClipOptions = {}): ClipGraph {
  const pool = o.pool ?? 'mean';
  const temperature = o.temperature ?? 0.07;
  const g = new Graph('clip');
  const pixels = g.input('pixels', [s.B, 3, vision.imageSize, vision.imageSize]);
  const caption = g.input('caption', [s.B, s.L], 'int64');
  const mask = g.input('caption_mask', [s.B, s.L]);
  // Image: patch features [B, P, C] -> pooled [B, C] -> [B, E].
  const { patches: feats, cls } = visionEncoderTokens(g, vision, pixels);
  const pooled = g.scope('clip', () => poolImage(g, vision, pool, feats, cls));
  const img = normalizeRows(g.scope('clip', () => linear(g, 'image_proj', pooled, s.embed)));
  // Text: mean of word embeddings over real tokens [B, L, E] -> [B, E] -> [B, E].
  const words = g.scope('clip', () =>
    op.gather(
      g.scope('text_embed', () => g.param('weight', [s.vocabSize, s.embed])),
      caption,
    ),
  );
  const summed = op.reduceSum(op.mul(words, op.reshape(mask, [s.B, s.L, 1])), [1]);
  const mean = op.div(summed, op.maximum(op.reduceSum(mask, [1], true), 1));
  const txt = normalizeRows(g.scope('clip', () => linear(g, 'text_proj', mean, s.embed)));
  const logits = op.mul(op.matmul(img, op.transposeLast2(txt)), 1 / temperature); // [B, B]
  const labels = op.constant(
    g,
    Array.from({ length: s.B }, (_, i) => i),
    'int64',
    [s.B],
  );
  const loss = op.mul(op.add(op.crossEntropy(logits, labels), op.crossEntropy(op.transposeLast2(logits), labels)), 0.5);
  const hit = op.cast(
    op.equal(
      op.reduceMax(logits, [1], true),
      op.reshape(
        op.gather(
          op.reshape(logits, [s.B * s.B]),
          op.constant(
            g,
            Array.from({ length: s.B }, (_, i) => i * s.B + i),
            'int64',
            [s.B],
          ),
        ),
        [s.B, 1],
      ),
    ),
    'float32',
  );
  return { g, loss, accuracy: op.reduceMean(hit), patchFeatures: feats, pooledFeature: pooled, imageEmbedding: img, textEmbedding: txt };
}
