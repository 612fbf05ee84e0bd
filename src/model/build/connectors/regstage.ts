// timm's RegStage of RegNet Bottleneck blocks, as Honeybee's C-Abstractor uses them
// (bottle_ratio 1, group_size 1 → depthwise 3×3, se_ratio 0.25, SiLU, LayerNorm2d, no conv
// bias). Tensors stay channels-last [N, H, W, C] here: a 1×1 convolution is then a Linear
// (weights [in, out], mm1's layout) and LayerNorm2d is a plain layer norm over the last
// axis; only the depthwise 3×3 convolution needs [N, C, H, W].
import type { Graph, Tensor } from '../../../engine/graph.js';
import * as op from '../../../engine/ops/index.js';
import { linear } from '../../../nn/linear.js';
import { layerNormLayer } from '../../../nn/norm.js';
import { pyRound } from '../../../compat/python.js';

/**
 * The norms' epsilon. Honeybee passes timm's LayerNorm2d (eps 1e-6), but timm's ConvNormAct
 * swaps it for LayerNormAct2d, whose eps is 1e-5 (timm 0.9.8, layers/create_norm_act.py and
 * norm_act.py); the reference test (test/model/connector_reference.test.ts) tells them apart.
 */
const LN2D_EPS = 1e-5;

/** PyTorch's default conv init draws from U(±1/√fan_in); a normal with the same variance. */
const convStd = (fanIn: number) => 1 / Math.sqrt(3 * fanIn);

/** timm ConvNormAct with a 1×1 kernel: conv (no bias) → LayerNorm2d → optional SiLU. */
function conv1x1(g: Graph, name: string, x: Tensor, out: number, act: boolean): Tensor {
  return g.scope(name, () => {
    const y = layerNormLayer(g, 'bn', linear(g, 'conv', x, out, { bias: false, std: convStd(x.shape[3]) }), { eps: LN2D_EPS });
    return act ? op.silu(y) : y;
  });
}

/** Depthwise 3×3 conv (padding 1, no bias) → LayerNorm2d → SiLU, on [N, H, W, C]. */
function depthwise3x3(g: Graph, name: string, x: Tensor): Tensor {
  const c = x.shape[3];
  return g.scope(name, () => {
    const w = g.param('conv.weight', [c, 1, 3, 3], { kind: 'normal', std: convStd(9) });
    const y = op.transpose(op.conv2d(op.transpose(x, [0, 3, 1, 2]), w, null, { padding: 1, groups: c }), [0, 2, 3, 1]);
    return op.silu(layerNormLayer(g, 'bn', y, { eps: LN2D_EPS }));
  });
}

/** Squeeze-excitation: gate channels by sigmoid(fc2(silu(fc1(mean over H, W)))). */
function squeezeExcite(g: Graph, name: string, x: Tensor, reduced: number): Tensor {
  const c = x.shape[3];
  return g.scope(name, () => {
    const s = op.reduceMean(x, [1, 2], true); // [N, 1, 1, C]
    const hidden = op.silu(linear(g, 'fc1', s, reduced, { std: convStd(c) }));
    return op.mul(x, op.sigmoid(linear(g, 'fc2', hidden, c, { std: convStd(reduced) })));
  });
}

/** One RegNet Bottleneck: [N, H, W, Cin] -> [N, H, W, out]. */
function bottleneck(g: Graph, name: string, x: Tensor, out: number): Tensor {
  const cin = x.shape[3];
  return g.scope(name, () => {
    let y = conv1x1(g, 'conv1', x, out, true);
    y = depthwise3x3(g, 'conv2', y);
    y = squeezeExcite(g, 'se', y, Math.max(1, pyRound(0.25 * cin, 0)));
    y = conv1x1(g, 'conv3', y, out, false);
    const shortcut = cin === out ? x : conv1x1(g, 'downsample', x, out, false);
    return op.silu(op.add(y, shortcut));
  });
}

/** `depth` bottlenecks (blocks b1 … b<depth>); depth 0 is the identity. [N, H, W, Cin] -> [N, H, W, out]. */
export function regStage(g: Graph, name: string, x: Tensor, depth: number, out: number): Tensor {
  if (depth === 0) return x;
  return g.scope(name, () => {
    let y = x;
    for (let i = 0; i < depth; i++) y = bottleneck(g, `b${i + 1}`, y, out);
    return y;
  });
}
