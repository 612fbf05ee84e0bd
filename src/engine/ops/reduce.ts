// Reductions over axes, and sumToShape (the reverse of broadcasting, used by gradients).
import type { Tensor } from '../graph.js';
import { registerGrad } from '../grad_registry.js';
import { int64s, normAxis, shapeStr } from './util.js';
import { reshape, expand } from './shape.js';
import { div, equal, mul, where, cast } from './elementwise.js';

function reduce(opType: string, x: Tensor, axes: number[], keepDims: boolean): Tensor {
  const ax = [...new Set(axes.map((a) => normAxis(opType, a, x.rank)))].sort((p, q) => p - q);
  const shape = keepDims ? x.shape.map((d, i) => (ax.includes(i) ? 1 : d)) : x.shape.filter((_, i) => !ax.includes(i));
  return x.graph.node(opType, [x, int64s(x.graph, ax)], [{ shape, dtype: x.dtype }], { keepdims: keepDims ? 1 : 0 })[0];
}

/** Sum over `axes` (all axes when omitted). */
export const reduceSum = (x: Tensor, axes?: number[], keepDims = false) => reduce('ReduceSum', x, axes ?? x.shape.map((_, i) => i), keepDims);
export const reduceMean = (x: Tensor, axes?: number[], keepDims = false) => reduce('ReduceMean', x, axes ?? x.shape.map((_, i) => i), keepDims);
export const reduceMax = (x: Tensor, axes?: number[], keepDims = false) => reduce('ReduceMax', x, axes ?? x.shape.map((_, i) => i), keepDims);

/** Sum a broadcast result back down to `shape`: the gradient of broadcasting. */
export function sumToShape(x: Tensor, shape: readonly number[]): Tensor {
  if (x.rank === shape.length && x.shape.every((d, i) => d === shape[i])) return x;
  if (shape.length > x.rank) throw new Error(`sumToShape: cannot reduce ${shapeStr(x.shape)} to larger rank ${shapeStr(shape)}`);
  const lead = x.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < x.rank; i++) {
    const target = i < lead ? 1 : shape[i - lead];
    if (i < lead || (target === 1 && x.shape[i] !== 1)) axes.push(i);
    else if (target !== x.shape[i]) throw new Error(`sumToShape: ${shapeStr(x.shape)} does not broadcast from ${shapeStr(shape)}`);
  }
  const summed = axes.length ? reduceSum(x, axes, true) : x;
  return reshape(summed, [...shape]);
}

/** Gradient of a reduction: broadcast gy back over the reduced axes. */
function unreduce(gy: Tensor, x: Tensor, axes: Tensor, keepDims: boolean): Tensor {
  const ax = Array.from(axes.value!.data as BigInt64Array, Number);
  const kept = keepDims
    ? gy
    : reshape(
        gy,
        x.shape.map((d, i) => (ax.includes(i) ? 1 : d)),
      );
  return expand(kept, [...x.shape]);
}

registerGrad('ReduceSum', (n, [gy]) => [unreduce(gy!, n.inputs[0]!, n.inputs[1]!, n.attrs.keepdims === 1), null]);
registerGrad('ReduceMean', (n, [gy]) => {
  const x = n.inputs[0]!;
  const count = x.shape.reduce((p, d) => p * d, 1) / n.outputs[0].shape.reduce((p, d) => p * d, 1);
  // Divide before broadcasting: the same values, one division per reduced row instead of per element.
  return [unreduce(div(gy!, count), x, n.inputs[1]!, n.attrs.keepdims === 1), null];
});
registerGrad('ReduceMax', (n, [gy]) => {
  // Gradient flows to the arg-max; ties share it equally, as finite differences see it.
  const x = n.inputs[0]!;
  const keep = n.attrs.keepdims === 1;
  const y = unreduce(n.outputs[0], x, n.inputs[1]!, keep);
  const hit = cast(equal(x, y), x.dtype);
  const ties = unreduce(reduceSum(hit, Array.from(n.inputs[1]!.value!.data as BigInt64Array, Number), keep), x, n.inputs[1]!, keep);
  return [mul(div(hit, ties), unreduce(gy!, x, n.inputs[1]!, keep)), null];
});

void where;
