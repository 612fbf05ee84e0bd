// The MM1 model: image tower (ViT → connector) → image tokens of the LLM width, spliced into
// the text embeddings where the image placeholders are, → decoder LLM → next-token loss on
// text only. The splice is one Gather over [text rows; image rows], so gradients reach the
// embedding table and the image tower through the same op, and the training and generation
// graphs share it.
import { Graph, type Tensor } from '../../engine/graph.js';
import * as op from '../../engine/ops/index.js';
import { packedCausalMask } from '../../nn/attention.js';
import { IGNORE_INDEX } from '../../data/packed_batch.js';
import { cropCount } from '../../data/image_tokens.js';
import type { PackedBatch } from '../../data/packed_batch.js';
import type { HostTensor } from '../../engine/host_tensor.js';
import type { ModelConfig } from './config.js';
import { batchFeeds } from './batch_feeds.js';
import { mm1Tower, modelTokensPerImage, type ImageTower } from './image_tower.js';
import { Llm } from './llm.js';

export { mm1Tower, modelTokensPerImage, type ImageTower } from './image_tower.js';

/** Static shape of one graph: B sequences of T tokens with room for N images each (0 = text only). */
export interface MultimodalShape {
  B: number;
  T: number;
  N: number;
}

/** Graph inputs of the text+image embedding; images and splice are null when N = 0. */
export interface SpliceInputs {
  /** Token ids [B, T] int64 (placeholders where image tokens go). */
  tokens: Tensor;
  /** Pixels [B*N*crops, 3, S, S] float32. */
  images: Tensor | null;
  /** [B*T] int64: row of [text rows (B*T); image rows (B*N*k*crops)] that position p takes. */
  splice: Tensor | null;
}

export function declareSpliceInputs(g: Graph, cfg: ModelConfig, s: MultimodalShape): SpliceInputs {
  const size = cfg.vision.imageSize;
  const tokens = g.input('tokens', [s.B, s.T], 'int64');
  if (s.N === 0) return { tokens, images: null, splice: null };
  const crops = cropCount(cfg.subImageGrid);
  return { tokens, images: g.input('images', [s.B * s.N * crops, 3, size, size]), splice: g.input('splice_index', [s.B * s.T], 'int64') };
}

/** Text embeddings with image tokens spliced in: [B, T, D]. */
export function spliceEmbeddings(g: Graph, cfg: ModelConfig, llm: Llm, tower: ImageTower, inp: SpliceInputs): Tensor {
  const [b, t] = inp.tokens.shape;
  const d = cfg.llm.width;
  const text = llm.embed(op.reshape(inp.tokens, [b * t])); // [B*T, D]
  if (!inp.images || !inp.splice) return op.reshape(text, [b, t, d]);
  const crops = inp.images.shape[0];
  const k = cfg.connector.tokens;
  const imageTokens = tower(g, inp.images);
  if (imageTokens.rank !== 3 || imageTokens.shape[0] !== crops || imageTokens.shape[1] !== k || imageTokens.shape[2] !== d)
    throw new Error(
      `image tower: expected [${crops}, ${k}, ${d}] (crops, connector.tokens, llm.width), got ${imageTokens.describe()}; check connector.tokens against the connector`,
    );
  return op.reshape(splice(text, op.reshape(imageTokens, [crops * k, d]), inp.splice), [b, t, d]);
}

/** text [B*T, D], image tokens [R, D], index [B*T] into [text; image] rows -> [B*T, D]: one Gather. */
export function splice(text: Tensor, image: Tensor, index: Tensor): Tensor {
  return op.gather(op.concat([text, image], 0), index, 0);
}

export interface MultimodalTraining {
  g: Graph;
  shape: MultimodalShape;
  /** Mean cross-entropy over targets that are not IGNORE_INDEX (text tokens only). */
  loss: Tensor;
  /** [B, T, V]. */
  logits: Tensor;
  tokensPerImage: number;
  /** Graph feeds for a batch, after checking its image-token count against this model. */
  feeds(batch: PackedBatch): Record<string, HostTensor>;
}

/**
 * The training graph. Inputs: tokens, positions, segments [B, T] int64, targets [B*T] int64,
 * and when N > 0 images [B*N*crops, 3, S, S] and splice_index [B*T] (see batchFeeds).
 */
export function buildMultimodalTraining(cfg: ModelConfig, shape: MultimodalShape, tower: ImageTower = mm1Tower(cfg), name = 'mm1'): MultimodalTraining {
  const g = new Graph(name);
  const { B, T } = shape;
  const inp = declareSpliceInputs(g, cfg, shape);
  const positions = g.input('positions', [B, T], 'int64');
  const segments = g.input('segments', [B, T], 'int64');
  const targets = g.input('targets', [B * T], 'int64');
  const llm = new Llm(g, cfg.llm);
  const x = spliceEmbeddings(g, cfg, llm, tower, inp);
  const logits = llm.forward(x, positions, packedCausalMask(segments));
  const loss = op.crossEntropy(op.reshape(logits, [B * T, cfg.llm.vocabSize]), targets, IGNORE_INDEX);
  return { g, shape, loss, logits, tokensPerImage: modelTokensPerImage(cfg), feeds: (batch) => batchFeeds(batch, cfg) };
}
