// Stops training at the first NaN or Inf, naming the step, the tensor and the element, so a
// divergence is found where it starts rather than as a NaN loss thousands of steps later.

export class NonFiniteError extends Error {
  constructor(
    readonly step: number,
    readonly tensor: string,
    readonly index: number,
    readonly value: number,
  ) {
    super(
      `step ${step}: '${tensor}' has ${value} at index ${index}. Training stopped before the ` +
        'bad values spread. Try a lower learning rate, gradient clipping or a longer warmup, and resume from the last checkpoint.',
    );
    this.name = 'NonFiniteError';
  }
}

/** Throws NonFiniteError for the first non-finite element, scanning tensors in the given order. */
export function assertFinite(step: number, tensors: Iterable<readonly [string, Float32Array]> | Record<string, Float32Array>): void {
  const entries = Symbol.iterator in tensors ? tensors : Object.entries(tensors);
  for (const [name, data] of entries as Iterable<readonly [string, Float32Array]>) {
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      // v - v is 0 for every finite v and NaN for NaN and ±Inf: one cheap test for both.
      if (v - v !== 0) throw new NonFiniteError(step, name, i, v);
    }
  }
}
