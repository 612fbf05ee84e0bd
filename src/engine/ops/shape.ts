// Ops that move data without arithmetic: reshape, transpose, expand, slice, concat, split.
import type { Tensor } from '../graph.js';
import { numel } from '../host_tensor.js';
import { registerGrad } from '../grad_registry.js';
import { int64s, normAxis, shapeStr } from './util.js';
import { sumToShape } from './reduce.js';

/** Reshape; one dimension may be -1. */
export function reshape(x: Tensor, shape: number[]): Tensor {
  const known = shape.filter((d) => d !== -1).reduce((p, d) => p * d, 1);
  const holes = shape.filter((d) => d === -1).length;
  const out = shape.map((d) => (d === -1 ? numel(x.shape) / known : d));
  if (holes > 1 || !Number.isInteger(numel(x.shape) / known) || numel(out) !== numel(x.shape))
    throw new Error(`reshape: cannot reshape ${x.describe()} (${numel(x.shape)} elements) to ${shapeStr(shape)}`);
  if (out.length === x.rank && out.every((d, i) => d === x.shape[i])) return x;
  return x.graph.node('Reshape', [x, int64s(x.graph, out)], [{ shape: out, dtype: x.dtype }])[0];
}

export function transpose(x: Tensor, perm: number[]): Tensor {
  if (perm.length !== x.rank || [...perm].sort().some((p, i) => p !== i))
    throw new Error(`transpose: perm [${perm}] is not a permutation of the axes of ${x.describe()}`);
  if (perm.every((p, i) => p === i)) return x;
  return x.graph.node('Transpose', [x], [{ shape: perm.map((p) => x.shape[p]), dtype: x.dtype }], { perm })[0];
}

/** Swap the last two axes: [.., M, N] -> [.., N, M]. */
export function transposeLast2(x: Tensor): Tensor {
  const perm = x.shape.map((_, i) => i);
  [perm[x.rank - 2], perm[x.rank - 1]] = [perm[x.rank - 1], perm[x.rank - 2]];
  return transpose(x, perm);
}

/** Broadcast to `shape` (numpy rules). */
export function expand(x: Tensor, shape: number[]): Tensor {
  const lead = shape.length - x.rank;
  if (lead < 0 || x.shape.some((d, i) => d !== 1 && d !== shape[lead + i])) throw new Error(`expand: ${x.describe()} cannot broadcast to ${shapeStr(shape)}`);
  if (lead === 0 && x.shape.every((d, i) => d === shape[i])) return x;
  return x.graph.node('Expand', [x, int64s(x.graph, shape)], [{ shape, dtype: x.dtype }])[0];
}

/** x[..., start:end, ...] along one axis (step 1). */
export function slice(x: Tensor, axis: number, start: number, end: number): Tensor {
  const a = normAxis('slice', axis, x.rank);
  const d = x.shape[a];
  if (start < 0 || end > d || start >= end) throw new Error(`slice: range [${start}, ${end}) is invalid for axis ${a} of ${x.describe()}`);
  if (start === 0 && end === d) return x;
  const shape = x.shape.map((s, i) => (i === a ? end - start : s));
  const g = x.graph;
  return g.node('Slice', [x, int64s(g, [start]), int64s(g, [end]), int64s(g, [a])], [{ shape, dtype: x.dtype }])[0];
}

export function concat(xs: Tensor[], axis: number): Tensor {
  if (xs.length === 0) throw new Error('concat: no tensors');
  if (xs.length === 1) return xs[0];
  const a = normAxis('concat', axis, xs[0].rank);
  for (const x of xs)
    if (x.rank !== xs[0].rank || x.dtype !== xs[0].dtype || x.shape.some((d, i) => i !== a && d !== xs[0].shape[i]))
      throw new Error(`concat on axis ${a}: ${x.describe()} does not match ${xs[0].describe()} outside that axis`);
  const shape = xs[0].shape.map((d, i) => (i === a ? xs.reduce((p, x) => p + x.shape[a], 0) : d));
  return xs[0].graph.node('Concat', xs, [{ shape, dtype: xs[0].dtype }], { axis: a })[0];
}

export function split(x: Tensor, axis: number, sizes: number[]): Tensor[] {
  const a = normAxis('split', axis, x.rank);
  if (sizes.reduce((p, s) => p + s, 0) !== x.shape[a]) throw new Error(`split: sizes [${sizes}] do not add up to axis ${a} of ${x.describe()}`);
  const outs = sizes.map((s) => ({ shape: x.shape.map((d, i) => (i === a ? s : d)), dtype: x.dtype }));
  return x.graph.node('Split', [x, int64s(x.graph, sizes)], outs, { axis: a });
}

// ---- gradient rules -------------------------------------------------------------

registerGrad('Reshape', (n, [gy]) => [reshape(gy!, [...n.inputs[0]!.shape]), null]);
registerGrad('Transpose', (n, [gy]) => {
  const perm = n.attrs.perm as number[];
  const inv = perm.map((_, i) => perm.indexOf(i));
  return [transpose(gy!, inv)];
});
registerGrad('Expand', (n, [gy]) => [sumToShape(gy!, n.inputs[0]!.shape), null]);
registerGrad('Slice', (n, [gy]) => {
  // Pad the gradient with zeros back to the input's extent along the sliced axis.
  const x = n.inputs[0]!;
  const [start, end, axis] = n.inputs.slice(1, 4).map((t) => Number((t!.value!.data as BigInt64Array)[0]));
  const pads = new Array(2 * x.rank).fill(0);
  pads[axis] = start;
  pads[x.rank + axis] = x.shape[axis] - end;
  return [x.graph.node('Pad', [gy!, int64s(x.graph, pads)], [{ shape: x.shape, dtype: x.dtype }])[0], null, null, null];
});
registerGrad('Pad', (n, [gy]) => {
  const x = n.inputs[0]!;
  const pads = Array.from(n.inputs[1]!.value!.data as BigInt64Array, Number);
  let out = gy!;
  for (let a = 0; a < x.rank; a++) if (pads[a] || pads[x.rank + a]) out = slice(out, a, pads[a], pads[a] + x.shape[a]);
  return [out, null];
});
registerGrad('Concat', (n, [gy]) => {
  const a = n.attrs.axis as number;
  return split(
    gy!,
    a,
    n.inputs.map((t) => t!.shape[a]),
  );
});
registerGrad('Split', (n, gys) => {
  const x = n.inputs[0]!;
  const a = n.attrs.axis as number;
  const parts = gys.map((gy, i) => {
    return gy ?? zeros(x, n.outputs[i].shape);
  });
  return [concat(parts, a), null];
});

/** Zeros of `shape` with x's dtype, as a broadcast scalar (no large constant in the model). */
export function zeros(like: Tensor, shape: readonly number[]): Tensor {
  const z = like.graph.constant({ dtype: like.dtype, shape: [], data: like.dtype === 'float64' ? new Float64Array(1) : new Float32Array(1) }, 'zero');
  return expand(z, [...shape]);
}
