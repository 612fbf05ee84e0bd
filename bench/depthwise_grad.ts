// The depthwise 3×3 convolution's gradients at the C-Abstractor's shape in the ablation step
// (x, dy [128, 64, 8, 8], w [64, 1, 3, 3], stride 1, padding 1), each form as its own small
// graph on one ONNX Runtime thread, timed in turn by bench/one_node_forms.ts (least kernel time,
// process CPU per call). Forms of dx: ConvTranspose
// (conv.ts's general rule) against a Conv with the kernel flipped. Forms of dw: the general
// rule's grouped Conv with the batch on the channel axis, nine shifted products summed, the
// shifts made by a one-hot depthwise Conv then one product and sum, and one depthwise Conv per
// (sample, channel) with dy as the kernel.
// MM1_ORT_THREADS=1 nice -n 10 node --import tsx bench/depthwise_grad.ts [runs=30] [N=128] [C=64] [S=8]
import type { Graph, Tensor } from '../src/engine/graph.js';
import * as op from '../src/engine/ops/index.js';
import { timeForms, wave, type Form } from './one_node_forms.js';

const [runs, N, C, S] = [30, 128, 64, 8].map((d, i) => Number(process.argv[2 + i] ?? d));
const K = 3;

const onehot = (g: Graph) => {
  const data = new Float32Array(C * K * K * K * K);
  for (let c = 0; c < C; c++) for (let s = 0; s < K * K; s++) data[(c * K * K + s) * K * K + s] = 1;
  return g.constant({ dtype: 'float32', shape: [C * K * K, 1, K, K], data }, 'onehot');
};
const flip = (w: Tensor) => {
  const rev = op.constant(w.graph, [2, 1, 0], 'int64', [3]);
  return op.gather(op.gather(w, rev, 2), rev, 3);
};
const FORMS: Record<string, Form> = {
  'dx: ConvTranspose': ([, gy, w]) =>
    gy.graph.node('ConvTranspose', [gy, w], [{ shape: gy.shape, dtype: gy.dtype }], { strides: [1, 1], pads: [1, 1, 1, 1], group: C, kernel_shape: [K, K] })[0],
  'dx: Conv, kernel flipped': ([, gy, w]) => op.conv2d(gy, flip(w), null, { padding: K - 1 - 1, groups: C }),
  'dw: grouped Conv (general rule)': ([x, gy]) => {
    const xg = op.reshape(op.transpose(x, [1, 0, 2, 3]), [1, C * N, S, S]);
    const dyT = op.transpose(gy, [1, 0, 2, 3]);
    const gw = x.graph.node('Conv', [xg, dyT], [{ shape: [1, C, K, K], dtype: x.dtype }], {
      strides: [1, 1],
      pads: [1, 1, 1, 1],
      group: C,
      kernel_shape: [S, S],
    })[0];
    return op.transpose(gw, [1, 0, 2, 3]);
  },
  'dw: nine shifted products': ([x, gy]) => {
    const xp = x.graph.node('Pad', [x, op.int64s(x.graph, [0, 0, 1, 1, 0, 0, 1, 1])], [{ shape: [N, C, S + 2, S + 2], dtype: x.dtype }])[0];
    const parts: Tensor[] = [];
    for (let i = 0; i < K; i++)
      for (let j = 0; j < K; j++) parts.push(op.reduceSum(op.mul(op.slice(op.slice(xp, 2, i, i + S), 3, j, j + S), gy), [0, 2, 3], true));
    return op.reshape(op.concat(parts, 2), [C, 1, K, K]);
  },
  'dw: one-hot shifts, one product': ([x, gy]) => {
    const u = op.reshape(op.conv2d(x, onehot(x.graph), null, { padding: 1, groups: C }), [N, C, K * K, S * S]);
    return op.reshape(op.reduceSum(op.mul(u, op.reshape(gy, [N, C, 1, S * S])), [0, 3]), [C, 1, K, K]);
  },
  'dw: a Conv per (sample, channel)': ([x, gy]) => {
    const xs = op.reshape(x, [1, N * C, S, S]);
    const k = op.reshape(gy, [N * C, 1, S, S]);
    const y = x.graph.node('Conv', [xs, k], [{ shape: [1, N * C, K, K], dtype: x.dtype }], {
      strides: [1, 1],
      pads: [1, 1, 1, 1],
      group: N * C,
      kernel_shape: [S, S],
    })[0];
    return op.reshape(op.reduceSum(op.reshape(y, [N, C * K * K]), [0]), [C, 1, K, K]);
  },
};

const inputs = { x: wave([N, C, S, S], 1), gy: wave([N, C, S, S], 2), w: wave([C, 1, K, K], 3) };
for (const row of await timeForms(FORMS, inputs, runs)) console.log(JSON.stringify(row));
