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
    if (values.length !== data.length)
      throw new Error(`hostF32: shape [${shape}] needs ${data.length} values, got ${values.length}`);
    data.set(values);
  }
  return { dtype: 'float32', shape: [...shape], data };
}

export function assertShape(name: string, expected: readonly number[], got: readonly number[]): void {
  if (expected.length !== got.length || expected.some((d, i) => d !== got[i]))
    throw new Error(`tensor '${name}': expected shape [${expected.join(', ')}], got [${got.join(', ')}]`);
}
