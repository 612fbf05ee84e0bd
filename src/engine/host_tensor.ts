// A tensor that lives in JS memory: what is fed to and read back from ONNX Runtime,
// and what parameter stores and checkpoints hold.
import { type DType, type TypedArray, allocate } from './dtype.js';

export interface HostTensor {
  dtype: DType;
  shape: number[];
  data: TypedArray;
}

export function numel(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

export function zerosHost(dtype: DType, shape: number[]): HostTensor {
  return { dtype, shape: [...shape], data: allocate(dtype, numel(shape)) };
}

export function hostF32(shape: number[], values?: ArrayLike<number>): HostTensor {
  const data = new Float32Array(numel(shape));
  if (values) {
    if (values.length !== data.length) throw new Error(`hostF32: shape [${shape}] needs ${data.length} values, got ${values.length}`);
    data.set(values);
  }
  return { dtype: 'float32', shape: [...shape], data };
}

export function assertShape(name: string, expected: readonly number[], got: readonly number[]): void {
  if (expected.length !== got.length || expected.some((d, i) => d !== got[i]))
    throw new Error(`tensor '${name}': expected shape [${expected.join(', ')}], got [${got.join(', ')}]`);
}

/** "[2, 3]", as shapes appear in error messages. */
export function shapeString(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}

export function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** Throws, naming the tensor, unless its data is dtype's array type with numel(shape) elements. */
export function checkHostTensor(name: string, t: HostTensor): void {
  const want = allocate(t.dtype, 0).constructor;
  if (t.data.constructor !== want) throw new Error(`tensor '${name}': dtype ${t.dtype} needs a ${want.name}, got a ${t.data.constructor.name}`);
  if (t.data.length !== numel(t.shape)) {
    throw new Error(`tensor '${name}': shape ${shapeString(t.shape)} needs ${numel(t.shape)} elements, data has ${t.data.length}`);
  }
}
