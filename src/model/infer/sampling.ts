// Choosing the next token from one row of logits, on the host: greedy (temperature 0) or
// sampling with temperature and nucleus (top-p) filtering, drawn from a seeded Rng so a
// seed reproduces a generation exactly.
import type { Rng } from '../../engine/rng.js';

export interface SamplingOptions {
  /** 0 (default) = greedy arg-max; > 0 divides the logits before the softmax. */
  temperature?: number;
  /** Keep the smallest set of most likely tokens whose probability reaches topP (default 1 = all). */
  topP?: number;
}

/** Index of the largest value (the first one on ties, as torch.argmax). */
export function argmax(row: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < row.length; i++) if (row[i] > row[best]) best = i;
  return best;
}

/** Sampling probabilities after temperature and top-p; tokens outside the nucleus get 0. */
export function nucleusProbs(row: ArrayLike<number>, temperature: number, topP = 1): Float64Array {
  const n = row.length;
  const probs = new Float64Array(n);
  let max = -Infinity;
  for (let i = 0; i < n; i++) max = Math.max(max, row[i] / temperature);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += probs[i] = Math.exp(row[i] / temperature - max);
  for (let i = 0; i < n; i++) probs[i] /= sum;
  if (topP >= 1) return probs;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => probs[b] - probs[a] || a - b);
  let mass = 0;
  let kept = 0;
  // Keep tokens until the mass reaches topP; the token that crosses the threshold stays in.
  for (const i of order) {
    if (mass >= topP) probs[i] = 0;
    else {
      mass += probs[i];
      kept += probs[i];
    }
  }
  for (let i = 0; i < n; i++) probs[i] /= kept;
  return probs;
}

/** The next token for one row of logits [V]. */
export function pickToken(row: ArrayLike<number>, opts: SamplingOptions, rng: Rng): number {
  const t = opts.temperature ?? 0;
  const p = opts.topP ?? 1;
  if (!(t >= 0)) throw new Error(`sampling: temperature must be ≥ 0, got ${t}`);
  if (!(p > 0 && p <= 1)) throw new Error(`sampling: topP must be in (0, 1], got ${p}`);
  if (t === 0) return argmax(row);
  const probs = nucleusProbs(row, t, p);
  let u = rng.next();
  for (let i = 0; i < probs.length; i++) {
    u -= probs[i];
    if (u < 0) return i;
  }
  // Rounding left u ≥ 0 after the last step: return the last token with probability > 0.
  for (let i = probs.length - 1; i >= 0; i--) if (probs[i] > 0) return i;
  return argmax(row);
}

/**
 * The seed for a sampled generation that asked for none: fresh per request, so that
 * regenerating or best-of-n on the client gives different texts, and reported back so
 * that any one of them can be replayed. (A fixed default made every unseeded request
 * return the same text.) Rng keeps 32 bits of state, hence the range.
 */
export function freshSeed(): number {
  // Web Crypto: the same call in Node and in the browser page (web/), so this module stays browser-safe.
  return globalThis.crypto.getRandomValues(new Uint32Array(1))[0];
}

/** The options to generate with: sampling without a seed gets a fresh one; greedy needs none. */
export function withSeed<T extends { temperature?: number; seed?: number }>(opts: T): T {
  return (opts.temperature ?? 0) > 0 && opts.seed === undefined ? { ...opts, seed: freshSeed() } : opts;
}
