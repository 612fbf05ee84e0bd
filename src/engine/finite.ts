// NaN/Inf detection for the training loop: stop with the step and the tensor named.
import type { HostTensor } from './host_tensor.js';

export function checkFinite(step: number, tensors: Record<string, HostTensor>): void {
  for (const [name, t] of Object.entries(tensors)) {
    const d = t.data as Float32Array;
    for (let i = 0; i < d.length; i++) {
      if (!Number.isFinite(d[i]))
        throw new Error(`step ${step}: '${name}' has ${d[i]} at index ${i}; lower the learning rate, enable gradient clipping, or check the input data of this step`);
    }
  }
}
