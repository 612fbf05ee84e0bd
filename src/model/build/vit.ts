// CLIP-style Vision Transformer: patch embedding (a stride-p convolution, or opt-in a
// convolutional stem, conv_stem.ts), optional class
// token, learned absolute position embeddings, optional pre-LN, pre-LN transformer blocks
// (opt-in with LayerScale),
// and the features of one chosen layer (optionally post-normed) as patch tokens [N, P, C]
// (opt-in, vision.stemSkip 'concat': beside the conv stem's own normed tokens, [N, P, 2C]).
// Parameter names follow HF CLIPVisionModel without its 'embeddings.'/'encoder.' levels,
// so hf_clip.ts is a rename plus a transpose of the Linear weights.
import type { Graph, Tensor } from '../../engine/graph.js';
import * as op from '../../engine/ops/index.js';
import { selfAttention } from '../../nn/attention.js';
import { layerNormLayer } from '../../nn/norm.js';
import { mlp } from '../../nn/mlp.js';
import { stemSkipProblems, type VisionConfig } from './config.js';
import { convStem } from './conv_stem.js';

/** Patches per side for a square image of `imageSize` pixels (default: the trained resolution). */
export function patchGrid(cfg: VisionConfig, imageSize = cfg.imageSize): number {
  if (!Number.isInteger(imageSize) || imageSize <= 0 || imageSize % cfg.patchSize !== 0) {
    const near = Math.max(1, Math.round(imageSize / cfg.patchSize)) * cfg.patchSize;
    throw new Error(
      `vision: image size ${imageSize} px is not a multiple of the patch size ${cfg.patchSize}; resize images to a multiple of ${cfg.patchSize} (e.g. ${near})`,
    );
  }
  return imageSize / cfg.patchSize;
}

/** Rows of the position table: one per patch, plus one (first) for the class token. */
export function positionRows(cfg: VisionConfig, grid: number): number {
  return grid * grid + (cfg.classToken ? 1 : 0);
}

/**
 * How many blocks run before the features are taken. featureLayer indexes like HF
 * hidden_states (0 = embeddings, i = after block i, negative counts from the end); blocks
 * after it would not affect the output, so they are not built.
 */
export function blocksToRun(cfg: VisionConfig): number {
  const n = cfg.featureLayer < 0 ? cfg.depth + 1 + cfg.featureLayer : cfg.featureLayer;
  if (n < 0 || n > cfg.depth)
    throw new Error(
      `vision: featureLayer ${cfg.featureLayer} is outside [-${cfg.depth + 1}, ${cfg.depth}] for a ${cfg.depth}-block encoder; use -1 for the last block`,
    );
  return n;
}

/**
 * Channels of the patch tokens the encoder hands on (the CLIP head, the connector, probes):
 * the width C, or 2C when vision.stemSkip puts the stem's tokens beside the blocks' output.
 */
export function encoderOutputWidth(cfg: Pick<VisionConfig, 'width' | 'stemSkip'>): number {
  return cfg.stemSkip === 'concat' ? 2 * cfg.width : cfg.width;
}

/** CLIP's patch embedding: one p×p convolution with stride p. pixels [N, 3, S, S] -> [N, C, S/p, S/p]. */
function patchEmbedding(g: Graph, cfg: VisionConfig, pixels: Tensor): Tensor {
  const p = cfg.patchSize;
  const weight = g.param('patch_embedding.weight', [cfg.width, 3, p, p], { kind: 'normal', std: 0.02 });
  const bias = cfg.patchBias ? g.param('patch_embedding.bias', [cfg.width], { kind: 'constant', value: 0 }) : null;
  return op.conv2d(pixels, weight, bias, { stride: p });
}

/**
 * One pre-LN block: x + attn(ln1(x)), then h + mlp(ln2(h)). x [N, T, C] -> [N, T, C]. With
 * cfg.layerScale each branch is multiplied channel-wise by a learned γ [C] that starts at that
 * value (CaiT): x + γ1·attn(ln1(x)), h + γ2·mlp(ln2(h)).
 */
function block(g: Graph, cfg: VisionConfig, x: Tensor): Tensor {
  const eps = cfg.layerNormEps;
  const scaled = (name: string, branch: Tensor) =>
    cfg.layerScale === undefined ? branch : op.mul(branch, g.param(name, [cfg.width], { kind: 'constant', value: cfg.layerScale }));
  const attn = selfAttention(g, 'self_attn', layerNormLayer(g, 'layer_norm1', x, { eps }), { heads: cfg.heads, mask: null, bias: true, outName: 'out_proj' });
  const h = op.add(x, scaled('layer_scale1', attn));
  return op.add(h, scaled('layer_scale2', mlp(g, 'mlp', layerNormLayer(g, 'layer_norm2', h, { eps }), cfg.mlpHidden, cfg.activation)));
}

/**
 * The image encoder: pixels [N, 3, S, S] (S a multiple of the patch size) -> patch features
 * [N, P, encoderOutputWidth(cfg)], P = (S/patch)², row-major over the patch grid, class token dropped. Parameters
 * live under 'vision.'; the position table has positionRows(cfg, S/patch) rows, so a model
 * trained at another resolution needs adaptToResolution (pos_interp.ts) on its values first.
 */
export function visionEncoder(g: Graph, cfg: VisionConfig, pixels: Tensor): Tensor {
  return visionEncoderTokens(g, cfg, pixels).patches;
}

/**
 * visionEncoder, also returning the class token's output [N, C] (post-normed like the
 * patches) when cfg.classToken is set, else null: CLIP's image side can pool with it
 * (model/clip.ts); the connector only ever sees the patches.
 */
export function visionEncoderTokens(g: Graph, cfg: VisionConfig, pixels: Tensor): { patches: Tensor; cls: Tensor | null } {
  const [n, ch, h, w] = pixels.shape;
  if (pixels.rank !== 4 || ch !== 3 || h !== w)
    throw new Error(`visionEncoder: pixels must be square RGB [N, 3, S, S], got ${pixels.describe()}; resize or crop images to squares first`);
  const grid = patchGrid(cfg, h);
  // Config validation holds parsed configs to this; one built in code meets it here.
  const skipProblems = stemSkipProblems(cfg);
  if (skipProblems.length) throw new Error(`vision: ${skipProblems.join('; ')}`);
  const c = cfg.width;
  const eps = cfg.layerNormEps;
  return g.scope('vision', () => {
    const embedded = cfg.stem === 'conv' ? convStem(g, cfg, pixels) : patchEmbedding(g, cfg, pixels); // [N, C, G, G]
    // [N, C, G, G] -> [N, C, P] -> [N, P, C]
    let x = op.transpose(op.reshape(embedded, [n, c, grid * grid]), [0, 2, 1]);
    const stemTokens = x; // [N, P, C], before the position table: the stem's local features alone
    if (cfg.classToken) {
      const cls = op.expand(op.reshape(g.param('class_embedding', [c], { kind: 'normal', std: 0.02 }), [1, 1, c]), [n, 1, c]);
      x = op.concat([cls, x], 1); // [N, 1+P, C]
    }
    x = op.add(x, g.param('position_embedding', [positionRows(cfg, grid), c], { kind: 'normal', std: 0.02 }));
    if (cfg.preNorm) x = layerNormLayer(g, 'pre_layernorm', x, { eps });
    const blocks = blocksToRun(cfg);
    for (let i = 0; i < blocks; i++) x = g.scope(`layers.${i}`, () => block(g, cfg, x));
    if (cfg.postNorm) x = layerNormLayer(g, 'post_layernorm', x, { eps }); // per token, so norming before the split is the same
    // The stem's tokens beside the blocks' output, so a glyph the stem learns reaches the
    // consumer whatever the blocks do; their own LayerNorm puts them on the blocks' scale.
    if (cfg.stemSkip === 'concat') return { patches: op.concat([x, layerNormLayer(g, 'stem_skip_norm', stemTokens, { eps })], 2), cls: null }; // [N, P, 2C]
    if (!cfg.classToken) return { patches: x, cls: null };
    return { patches: op.slice(x, 1, 1, x.shape[1]), cls: op.reshape(op.slice(x, 1, 0, 1), [n, c]) }; // [N, P, C], [N, C]
  });
}
