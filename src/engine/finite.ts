// NaN/Inf detection for the training loop: stop with the step and the tensor named, so a
// divergence is found where it starts rather than as a NaN loss thousands of steps later.
import type { HostTensor } from './host_tensor.js';

/** Thrown by checkFinite; the fields let a trainer log or act on the exact element. */
export class NonFiniteError extends Error {
  constructor(
    readonly step: number,
    readonly tensor: string,
    readonly index: number,
    readonly value: number,
  ) {
    super(`step ${step}: '${tensor}' has ${value} at index ${index}; lower the learning rate, enable gradient clipping, or check the input data of this step`);
    this.name = 'NonFiniteError';
  }
}

/** Throws NonFiniteError at the first NaN/±Inf, scanning tensors in order; integer and bool tensors are skipped. */
export function checkFinite(step: number, tensors: Record<string, HostTensor> | ReadonlyMap<string, HostTensor>): void {
  const entries = tensors instanceof Map ? tensors : Object.entries(tensors);
  for (const [name, t] of entries as Iterable<[string, HostTensor]>) {
    if (t.dtype !== 'float32' && t.dtype !== 'float64') continue; // Number.isFinite(5n) is false: never scan bigints
    const d = t.data as Float32Array | Float64Array;
    for (let i = 0; i < d.length; i++) {
      // v - v is 0 for every finite v and NaN for NaN and ±Inf: one cheap test for both.
      if (d[i] - d[i] !== 0) throw new NonFiniteError(step, name, i, d[i]);
    }
  }
}
