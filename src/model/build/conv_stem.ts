// A convolutional stem in place of the ViT's patchify convolution (opt-in: vision.stem 'conv').
// Xiao et al. 2021, "Early convolutions help transformers see better": a stack of 3×3 stride-2
// convolutions (each normed and rectified) followed by a 1×1 convolution replaces the single
// p×p stride-p patch embedding; the ViT then trains faster and more robustly, since a few
// small kernels learn local patterns (edges, strokes) that one large linear patch filter
// learns slowly, and a pattern straddling two patches is seen whole by the overlapping 3×3
// windows. For a patch of p = 2^n pixels the stem has n stride-2 convolutions whose channels
// double up to the width (width/2^(n-1), …, width/2, width), as the paper's stems do.
// BatchNorm is replaced by a LayerNorm over channels (as ConvNeXt does), so a picture's
// features do not depend on the rest of its batch and training and inference compute the same.
import type { Graph, Tensor } from '../../engine/graph.js';
import * as op from '../../engine/ops/index.js';
import { layerNormLayer } from '../../nn/norm.js';
import type { VisionConfig } from './config.js';

/** He initialisation for a ReLU convolution with `fanIn` inputs per output. */
const heStd = (fanIn: number) => Math.sqrt(2 / fanIn);

/** Channels of each stride-2 convolution: doubling up to the width, e.g. width 64, patch 8 -> [16, 32, 64]. */
export function convStemChannels(cfg: Pick<VisionConfig, 'patchSize' | 'width'>): number[] {
  const n = Math.log2(cfg.patchSize);
  if (!Number.isInteger(n) || n < 1)
    throw new Error(
      `vision: stem 'conv' needs a patch size that is a power of two ≥ 2 (one stride-2 convolution per halving), got ${cfg.patchSize}; use patch 2, 4, 8 or 16, or stem 'patch'`,
    );
  const channels = Array.from({ length: n }, (_, i) => cfg.width / 2 ** (n - 1 - i));
  if (!channels.every(Number.isInteger))
    throw new Error(`vision: stem 'conv' halves the width ${cfg.width} ${n - 1} times for patch ${cfg.patchSize}; use a width divisible by ${2 ** (n - 1)}`);
  return channels;
}

/** pixels [N, 3, S, S] -> patch embeddings [N, C, S/p, S/p]; parameters under '<scope>.stem.'. */
export function convStem(g: Graph, cfg: VisionConfig, pixels: Tensor): Tensor {
  return g.scope('stem', () => {
    let x = pixels;
    convStemChannels(cfg).forEach((out, i) => {
      const cin = x.shape[1];
      x = g.scope(`blocks.${i}`, () => {
        const w = g.param('conv.weight', [out, cin, 3, 3], { kind: 'normal', std: heStd(9 * cin) });
        const y = op.conv2d(x, w, null, { stride: 2, padding: 1 }); // [N, out, H/2, W/2]
        // LayerNorm over channels: channels-last for the norm, then back to [N, C, H, W].
        const normed = layerNormLayer(g, 'norm', op.transpose(y, [0, 2, 3, 1]), { eps: cfg.layerNormEps });
        return op.transpose(op.relu(normed), [0, 3, 1, 2]);
      });
    });
    const c = cfg.width;
    const proj = g.param('proj.weight', [c, c, 1, 1], { kind: 'normal', std: 1 / Math.sqrt(c) });
    return op.conv2d(x, proj, g.param('proj.bias', [c], { kind: 'constant', value: 0 }));
  });
}
