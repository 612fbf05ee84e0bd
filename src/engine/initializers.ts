// Seeded parameter initialisers. Each returns a fresh row-major Float32Array for `shape`,
// drawing from the given Rng so the same seed gives the same weights.
// Fans are passed explicitly: whether a weight is stored [in, out] or [out, in] is the
// caller's layout decision, and guessing it from the shape is a classic source of bugs.
import { numel } from './host_tensor.js';
import type { Rng } from './rng.js';

export function zeros(shape: readonly number[]): Float32Array {
  return new Float32Array(numel(shape));
}

export function ones(shape: readonly number[]): Float32Array {
  return constant(shape, 1);
}

export function constant(shape: readonly number[], value: number): Float32Array {
  return new Float32Array(numel(shape)).fill(value);
}

/** N(mean, std²). */
export function normal(rng: Rng, shape: readonly number[], std: number, mean = 0): Float32Array {
  const out = new Float32Array(numel(shape));
  for (let i = 0; i < out.length; i++) out[i] = mean + std * rng.normal();
  return out;
}

/**
 * N(mean, std²) redrawn until within mean ± 2·std (as in timm's trunc_normal_tf_ and JAX).
 * Note: PyTorch's trunc_normal_(std=s) cuts at absolute ±2, not ±2·std. The result's
 * standard deviation is ≈ 0.8796·std.
 */
export function truncatedNormal(rng: Rng, shape: readonly number[], std: number, mean = 0): Float32Array {
  const out = new Float32Array(numel(shape));
  for (let i = 0; i < out.length; i++) {
    let z: number;
    do z = rng.normal(); while (z < -2 || z > 2);
    out[i] = mean + std * z;
  }
  return out;
}

/** U[low, high). */
export function uniform(rng: Rng, shape: readonly number[], low: number, high: number): Float32Array {
  const out = new Float32Array(numel(shape));
  for (let i = 0; i < out.length; i++) out[i] = low + (high - low) * rng.next();
  return out;
}

/** Glorot/Xavier uniform: U(±gain·√(6 / (fanIn + fanOut))). */
export function xavierUniform(rng: Rng, shape: readonly number[], fanIn: number, fanOut: number, gain = 1): Float32Array {
  const bound = gain * Math.sqrt(6 / (fanIn + fanOut));
  return uniform(rng, shape, -bound, bound);
}

/** He/Kaiming normal: N(0, gain² / fanIn), gain √2 for ReLU. */
export function kaimingNormal(rng: Rng, shape: readonly number[], fanIn: number, gain = Math.SQRT2): Float32Array {
  return normal(rng, shape, gain / Math.sqrt(fanIn));
}
