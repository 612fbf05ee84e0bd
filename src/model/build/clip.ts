// CLIP-style contrastive pretraining of the image encoder. MM1 starts from a ViT trained
// with a CLIP objective; on the synthetic world this small stage gives the
// encoder features that already separate colours, shapes and counts, so multimodal
// pretraining can ground words in pictures within minutes instead of learning vision from
// the captioning loss alone. The text side is a bag-of-words encoder (a mean of word
// embeddings and a projection): enough for world captions, and only the ViT is kept.
import { Graph, type Tensor } from '../../engine/graph.js';
import * as op from '../../engine/ops/index.js';
import { linear } from '../../nn/linear.js';
import type { VisionConfig } from './config.js';
import { visionEncoder } from './vit.js';

export interface ClipShape {
  /** Image–caption pairs per batch (each pair's caption is the positive, the others negatives). */
  B: number;
  /** Caption tokens per pair (padded). */
  L: number;
  vocabSize: number;
  /** Width of the shared embedding space. */
  embed: number;
}

export interface ClipGraph {
  g: Graph;
  loss: Tensor;
  /** Fraction of images whose own caption scores highest (in-batch retrieval accuracy). */
  accuracy: Tensor;
  /** The encoder's patch features [B, P, C] and the unit-length image and caption embeddings [B, E], for probes. */
  patchFeatures: Tensor;
  imageEmbedding: Tensor;
  textEmbedding: Tensor;
}

/** Unit-length rows: x / sqrt(sum(x²) + eps). */
function normalizeRows(x: Tensor): Tensor {
  return op.div(x, op.sqrt(op.add(op.reduceSum(op.mul(x, x), [-1], true), 1e-6)));
}

/**
 * Inputs: `pixels` [B, 3, S, S], `caption` [B, L] int64, `caption_mask` [B, L] float (1 = word).
 * Symmetric InfoNCE over the B×B similarity matrix with a fixed temperature.
 */
export function buildClip(vision: VisionConfig, s: ClipShape, temperature = 0.07): ClipGraph {
  const g = new Graph('clip');
  const pixels = g.input('pixels', [s.B, 3, vision.imageSize, vision.imageSize]);
  const caption = g.input('caption', [s.B, s.L], 'int64');
  const mask = g.input('caption_mask', [s.B, s.L]);
  // Image: mean of the patch features [B, P, C] -> [B, C] -> [B, E].
  const feats = visionEncoder(g, vision, pixels);
  const img = normalizeRows(g.scope('clip', () => linear(g, 'image_proj', op.reduceMean(feats, [1]), s.embed)));
  // Text: mean of word embeddings over real tokens [B, L, E] -> [B, E] -> [B, E].
  const words = g.scope('clip', () => op.gather(g.scope('text_embed', () => g.param('weight', [s.vocabSize, s.embed])), caption));
  const summed = op.reduceSum(op.mul(words, op.reshape(mask, [s.B, s.L, 1])), [1]);
  const mean = op.div(summed, op.maximum(op.reduceSum(mask, [1], true), 1));
  const txt = normalizeRows(g.scope('clip', () => linear(g, 'text_proj', mean, s.embed)));
  const logits = op.mul(op.matmul(img, op.transposeLast2(txt)), 1 / temperature); // [B, B]
  const labels = op.constant(g, Array.from({ length: s.B }, (_, i) => i), 'int64', [s.B]);
  const loss = op.mul(op.add(op.crossEntropy(logits, labels), op.crossEntropy(op.transposeLast2(logits), labels)), 0.5);
  const hit = op.cast(op.equal(op.reduceMax(logits, [1], true), op.reshape(op.gather(op.reshape(logits, [s.B * s.B]), op.constant(g, Array.from({ length: s.B }, (_, i) => i * s.B + i), 'int64', [s.B])), [s.B, 1])), 'float32');
  return { g, loss, accuracy: op.reduceMean(hit), patchFeatures: feats, imageEmbedding: img, textEmbedding: txt };
}
