// 2-D convolution (stride, padding, groups) and average pooling over [N, C, H, W].
import type { Tensor } from '../graph.js';
import { registerGrad } from '../grad_registry.js';
import { transpose, reshape, slice } from './shape.js';
import { reduceSum } from './reduce.js';

export interface Conv2dOptions {
  stride?: number;
  padding?: number;
  groups?: number;
}

const outSize = (size: number, k: number, s: number, p: number) => Math.floor((size + 2 * p - k) / s) + 1;

/** x [N, C, H, W], w [O, C/groups, kh, kw], bias [O] or null -> [N, O, Ho, Wo]. */
export function conv2d(x: Tensor, w: Tensor, bias: Tensor | null, opts: Conv2dOptions = {}): Tensor {
  const { stride = 1, padding = 0, groups = 1 } = opts;
  if (x.rank !== 4 || w.rank !== 4) throw new Error(`conv2d: expects x [N, C, H, W] and w [O, C/groups, kh, kw], got ${x.describe()} and ${w.describe()}`);
  const [n, c, h, wd] = x.shape;
  const [o, cg, kh, kw] = w.shape;
  if (c % groups || o % groups || cg !== c / groups)
    throw new Error(`conv2d: ${c} input channels with groups=${groups} need weight [${o}, ${c / groups}, kh, kw], got ${w.describe()}`);
  const ho = outSize(h, kh, stride, padding);
  const wo = outSize(wd, kw, stride, padding);
  if (ho < 1 || wo < 1) throw new Error(`conv2d: kernel ${kh}x${kw} with padding ${padding} does not fit input ${x.describe()}`);
  const inputs = bias ? [x, w, bias] : [x, w];
  return x.graph.node('Conv', inputs, [{ shape: [n, o, ho, wo], dtype: x.dtype }], {
    strides: [stride, stride],
    pads: [padding, padding, padding, padding],
    group: groups,
    kernel_shape: [kh, kw],
  })[0];
}

/** Average pooling with a k×k window and stride k (no padding): x [N, C, H, W] -> [N, C, H/k, W/k]. */
export function avgPool2d(x: Tensor, k: number, stride = k): Tensor {
  const [n, c, h, w] = x.shape;
  const ho = outSize(h, k, stride, 0);
  const wo = outSize(w, k, stride, 0);
  if (ho < 1 || wo < 1) throw new Error(`avgPool2d: window ${k} does not fit ${x.describe()}`);
  return x.graph.node('AveragePool', [x], [{ shape: [n, c, ho, wo], dtype: x.dtype }], { kernel_shape: [k, k], strides: [stride, stride] })[0];
}

registerGrad('Conv', (node, [gy]) => {
  const [x, w, b] = node.inputs;
  const [s] = node.attrs.strides as number[];
  const [p] = node.attrs.pads as number[];
  const groups = node.attrs.group as number;
  const [n, c, h, wd] = x!.shape;
  const [o, cg, kh, kw] = w!.shape;
  const [, , ho, wo] = gy!.shape;
  const g = x!.graph;
  // dx: the transposed convolution of dy with the same weights.
  const outPad = [h - ((ho - 1) * s + kh - 2 * p), wd - ((wo - 1) * s + kw - 2 * p)];
  const gx = g.node('ConvTranspose', [gy!, w!], [{ shape: x!.shape, dtype: x!.dtype }], {
    strides: [s, s],
    pads: [p, p, p, p],
    group: groups,
    kernel_shape: [kh, kw],
    output_padding: outPad,
  })[0];
  // dw: correlate x with dy. Put input channels-within-group on the batch axis and
  // (group, sample) on the channel axis, so one grouped Conv with dilation = stride
  // computes every group's weight gradient: [C/G, G*N, H, W] ⋆ [O, N, Ho, Wo] -> [C/G, O, kh', kw'].
  const xg = reshape(transpose(reshape(x!, [n, groups, cg, h, wd]), [2, 1, 0, 3, 4]), [cg, groups * n, h, wd]);
  const dyT = transpose(gy!, [1, 0, 2, 3]);
  const khp = h + 2 * p - s * (ho - 1);
  const kwp = wd + 2 * p - s * (wo - 1);
  let gw = g.node('Conv', [xg, dyT], [{ shape: [cg, o, khp, kwp], dtype: x!.dtype }], {
    strides: [1, 1],
    dilations: [s, s],
    pads: [p, p, p, p],
    group: groups,
    kernel_shape: [ho, wo],
  })[0];
  gw = slice(slice(gw, 2, 0, kh), 3, 0, kw);
  gw = transpose(gw, [1, 0, 2, 3]);
  void c;
  return [gx, gw, b ? reduceSum(gy!, [0, 2, 3]) : null];
});

registerGrad('AveragePool', (node, [gy]) => {
  const x = node.inputs[0]!;
  const [k] = node.attrs.kernel_shape as number[];
  const [s] = node.attrs.strides as number[];
  const [, c, h, w] = x.shape;
  const [, , ho, wo] = gy!.shape;
  const g = x.graph;
  // Spread each output gradient evenly over its window: a depthwise transposed conv with weights 1/k².
  const weight = g.constant(
    { dtype: x.dtype, shape: [c, 1, k, k], data: new (x.dtype === 'float64' ? Float64Array : Float32Array)(c * k * k).fill(1 / (k * k)) },
    'pool_w',
  );
  const outPad = [h - ((ho - 1) * s + k), w - ((wo - 1) * s + k)];
  return [
    g.node('ConvTranspose', [gy!, weight], [{ shape: x.shape, dtype: x.dtype }], {
      strides: [s, s],
      group: c,
      kernel_shape: [k, k],
      output_padding: outPad,
    })[0],
  ];
});
