// Softmax, log-softmax, layer norm and RMS norm, with gradient rules written from the
// closed forms (cheaper than differentiating the expanded formulas).
import type { Tensor } from '../graph.js';
import { registerGrad } from '../grad_registry.js';
import { normAxis } from './util.js';
import { add, exp, mul, sqrt, div, sub } from './elementwise.js';
import { reduceMean, reduceSum, sumToShape } from './reduce.js';

export function softmax(x: Tensor, axis = -1): Tensor {
  return x.graph.node('Softmax', [x], [{ shape: x.shape, dtype: x.dtype }], { axis: normAxis('softmax', axis, x.rank) })[0];
}

export function logSoftmax(x: Tensor, axis = -1): Tensor {
  return x.graph.node('LogSoftmax', [x], [{ shape: x.shape, dtype: x.dtype }], { axis: normAxis('logSoftmax', axis, x.rank) })[0];
}

/** LayerNorm over the last axis: x [..., D], scale [D], bias [D] or null. */
export function layerNorm(x: Tensor, scale: Tensor, bias: Tensor | null, eps = 1e-5): Tensor {
  const d = x.shape[x.rank - 1];
  if (scale.rank !== 1 || scale.shape[0] !== d) throw new Error(`layerNorm: scale ${scale.describe()} must be [${d}] for input ${x.describe()}`);
  const stat = [...x.shape.slice(0, -1), 1];
  return x.graph.node(
    'LayerNormalization',
    [x, scale, bias],
    [
      { shape: x.shape, dtype: x.dtype },
      { shape: stat, dtype: x.dtype },
      { shape: stat, dtype: x.dtype },
    ],
    { axis: -1, epsilon: { float: eps } },
  )[0];
}

/** RMSNorm (Llama): x / sqrt(mean(x²) + eps) * weight, over the last axis. */
export function rmsNorm(x: Tensor, weight: Tensor, eps = 1e-6): Tensor {
  const ms = reduceMean(mul(x, x), [-1], true);
  return mul(div(x, sqrt(add(ms, eps))), weight);
}

registerGrad('Softmax', (n, [gy]) => {
  const y = n.outputs[0];
  const axis = n.attrs.axis as number;
  return [mul(y, sub(gy!, reduceSum(mul(gy!, y), [axis], true)))];
});
registerGrad('LogSoftmax', (n, [gy]) => {
  const axis = n.attrs.axis as number;
  return [sub(gy!, mul(exp(n.outputs[0]), reduceSum(gy!, [axis], true)))];
});
registerGrad('LayerNormalization', (n, [gy]) => {
  const [x, scale, bias] = n.inputs;
  const [, mean, invStd] = n.outputs;
  const xhat = mul(sub(x!, mean), invStd);
  const gxhat = mul(gy!, scale!);
  const gx = mul(invStd, sub(sub(gxhat, reduceMean(gxhat, [-1], true)), mul(xhat, reduceMean(mul(gxhat, xhat), [-1], true))));
  return [gx, sumToShape(mul(gy!, xhat), scale!.shape), bias ? sumToShape(gy!, bias.shape) : null];
});
