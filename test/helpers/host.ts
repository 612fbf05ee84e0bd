// A HostTensor literal with its data checked, for tests.
import type { DType, TypedArray } from '../../src/engine/dtype.js';
import { checkHostTensor, type HostTensor } from '../../src/engine/host_tensor.js';

export function tensor(dtype: DType, shape: number[], data: TypedArray): HostTensor {
  const t = { dtype, shape, data };
  checkHostTensor('test tensor', t);
  return t;
}
