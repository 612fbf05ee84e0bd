// Shared helpers for op builders: scalars as constants, int64 shape constants,
// numpy broadcasting with errors that print both shapes.
import type { DType } from '../dtype.js';
import type { Graph, Tensor } from '../graph.js';
import { numel } from '../host_tensor.js';

export type TensorLike = Tensor | number;

export function typedFrom(dtype: DType, values: number[]): Float32Array | Float64Array | BigInt64Array | Int32Array | Uint8Array {
  switch (dtype) {
    case 'float32':
      return Float32Array.from(values);
    case 'float64':
      return Float64Array.from(values);
    case 'int64':
      return BigInt64Array.from(values.map((v) => BigInt(v)));
    case 'int32':
      return Int32Array.from(values);
    case 'bool':
      return Uint8Array.from(values);
  }
}

/** A constant of the given dtype and shape (default scalar). */
export function constant(g: Graph, values: number | number[], dtype: DType = 'float32', shape?: number[]): Tensor {
  const arr = typeof values === 'number' ? [values] : values;
  const s = shape ?? (typeof values === 'number' ? [] : [arr.length]);
  if (numel(s) !== arr.length) throw new Error(`constant: shape [${s}] needs ${numel(s)} values, got ${arr.length}`);
  return g.constant({ dtype, shape: s, data: typedFrom(dtype, arr) }, dtype === 'int64' ? 'ints' : 'c');
}

export function int64s(g: Graph, values: readonly number[]): Tensor {
  return constant(g, [...values], 'int64', [values.length]);
}

/** Turn a JS number into a scalar constant matching `like`'s dtype. */
export function lift(x: TensorLike, like: Tensor): Tensor {
  return typeof x === 'number' ? constant(like.graph, x, like.dtype) : x;
}

export function graphOf(...xs: TensorLike[]): Graph {
  for (const x of xs) if (typeof x !== 'number') return x.graph;
  throw new Error('op needs at least one tensor argument');
}

export function shapeStr(s: readonly number[]): string {
  return `[${s.join(', ')}]`;
}

/** numpy broadcasting of two shapes. */
export function broadcastShapes(op: string, a: readonly number[], b: readonly number[]): number[] {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1;
    const db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1)
      throw new Error(
        `${op}: shapes ${shapeStr(a)} and ${shapeStr(b)} do not broadcast (axis ${i - n}: ${da} vs ${db}); reshape one side or check which tensors you meant`,
      );
    out.push(da === 1 ? db : da);
  }
  return out;
}

export function sameDtype(op: string, a: Tensor, b: Tensor): void {
  if (a.dtype !== b.dtype) throw new Error(`${op}: dtype mismatch, ${a.describe()} vs ${b.describe()}; insert cast() on one side`);
}

export function normAxis(op: string, axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) throw new Error(`${op}: axis ${axis} out of range for rank ${rank}`);
  return a;
}
