// Softmax, log-softmax, layer norm and RMS norm, with gradient rules written from the
// closed forms (cheaper than differentiating the expanded formulas).
import type { Tensor } from '../graph.js';
import { registerGrad, type GradContext } from '../grad_registry.js';
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

// dx = y ∘ (dy − Σ dy∘y) over the axis. In attention the probabilities' only reader is
// O = P·V, so dP = dO·Vᵀ and Σ_j P_ij dP_ij = Σ_d dO_id O_id (FlashAttention's identity): the
// row sums come from [.., T, Dh] tensors instead of [.., T, Tk] ones, one Mul and one ReduceSum
// at the scores' size fewer per layer.
registerGrad('Softmax', (n, [gy], ctx) => {
  const y = n.outputs[0];
  const axis = n.attrs.axis as number;
  return [mul(y, sub(gy!, (ctx.rewrites && rowSumsThroughProduct(y, axis, ctx)) || reduceSum(mul(gy!, y), [axis], true)))];
});

/** Σ dO∘O over the last axis when y (softmax over its last axis) is read only as the left side of O = y·V with no broadcast; else null. */
function rowSumsThroughProduct(y: Tensor, axis: number, ctx: GradContext): Tensor | null {
  const readers = ctx.consumers(y);
  if (axis !== y.rank - 1 || readers.length !== 1) return null;
  const [pv] = readers;
  if (pv.opType !== 'MatMul' || pv.inputs[0] !== y || pv.inputs[1] === y) return null;
  const o = pv.outputs[0];
  if (o.rank !== y.rank || o.shape.slice(0, -1).some((d, i) => d !== y.shape[i])) return null;
  const go = ctx.gradOf(o);
  return go && reduceSum(mul(go, o), [axis], true);
}
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
