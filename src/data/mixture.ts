// Which source each training sequence comes from. MM1 samples sequences from interleaved,
// caption and text-only data with probabilities 45/45/10. Independent draws would leave
// noticeable noise on a short run (±1% over 10k sequences), so we sample in blocks: every
// block of `blockSize` sequences holds each source's share exactly, rounding carried to the
// next block, in a seeded random order. The whole state is a few numbers (MixtureState),
// saved in checkpoints so a resumed run continues the identical stream.

import { Rng } from '../engine/rng.js';
import type { SourceKind } from './document.js';

/** MM1's pre-training mix (the MM1 paper's final recipe): interleaved 45, caption 45, text-only 10. The one
 *  place these weights are written; configs, the CLI and the quick start take them from here. */
export const MM1_MIX = { interleaved: 45, caption: 45, text: 10 } as const;

export interface MixWeights {
  interleaved?: number;
  caption?: number;
  text?: number;
  /** Fraction of the caption weight given to synthetic captions (VeCap-style; MM1 ablation ≈ 0.07). */
  syntheticCaptionShare?: number;
}

/** Weights per source kind (zero-weight kinds omitted); defaults to MM1_MIX. */
export function pretrainWeights(mix: MixWeights = {}): Partial<Record<SourceKind, number>> {
  const share = mix.syntheticCaptionShare ?? 0;
  if (!(share >= 0 && share <= 1)) throw new Error(`syntheticCaptionShare must be in [0, 1], got ${share}`);
  const caption = mix.caption ?? MM1_MIX.caption;
  const weights: Partial<Record<SourceKind, number>> = {
    interleaved: mix.interleaved ?? MM1_MIX.interleaved,
    caption: caption * (1 - share),
    'synthetic-caption': caption * share,
    text: mix.text ?? MM1_MIX.text,
  };
  for (const key of Object.keys(weights) as SourceKind[]) if (!weights[key]) delete weights[key];
  return weights;
}

/** JSON-serialisable sampler state. */
export interface MixtureState {
  /** Rng state at the start of the current block. */
  rng: number;
  /** Per-source rounding carry before the current block. */
  carry: number[];
  /** Sequences already drawn from the current block. */
  pos: number;
}

export class MixtureSampler {
  private readonly shares: number[];
  private blockStart: MixtureState;
  private order: number[] = [];
  private pos = 0;
  private rngAfterBlock = 0;
  private carryAfterBlock: number[] = [];

  constructor(
    weights: readonly number[],
    seed: number,
    private readonly blockSize = 100,
    state?: MixtureState,
  ) {
    const total = weights.reduce((a, w) => a + w, 0);
    if (weights.length === 0 || weights.some((w) => !(w >= 0)) || !(total > 0)) {
      throw new Error(`MixtureSampler: weights must be non-negative with a positive sum, got [${weights.join(', ')}]`);
    }
    if (state && state.carry.length !== weights.length) {
      throw new Error(`MixtureSampler: saved state has ${state.carry.length} sources but ${weights.length} weights were given`);
    }
    this.shares = weights.map((w) => w / total);
    this.blockStart = state ? { ...state, carry: [...state.carry], pos: 0 } : { rng: new Rng(seed).fork('mixture').state, carry: weights.map(() => 0), pos: 0 };
    this.makeBlock();
    this.pos = state?.pos ?? 0;
  }

  private makeBlock(): void {
    const carry = this.blockStart.carry.map((c, s) => c + this.blockSize * this.shares[s]);
    const counts = carry.map((c) => Math.floor(c));
    let missing = this.blockSize - counts.reduce((a, c) => a + c, 0);
    // Largest remainders get the leftover sequences (ties: lower index).
    const byRemainder = carry.map((c, s) => [c - counts[s], s]).sort((x, y) => y[0] - x[0] || x[1] - y[1]);
    for (const [, s] of byRemainder) if (missing-- > 0) counts[s]++;
    this.carryAfterBlock = carry.map((c, s) => c - counts[s]);
    const order = counts.flatMap((n, s) => Array<number>(n).fill(s));
    const rng = new Rng(this.blockStart.rng);
    this.order = rng.shuffle(order);
    this.rngAfterBlock = rng.state;
  }

  /** Index of the source for the next sequence. */
  next(): number {
    if (this.pos === this.order.length) {
      this.blockStart = { rng: this.rngAfterBlock, carry: this.carryAfterBlock, pos: 0 };
      this.makeBlock();
      this.pos = 0;
    }
    return this.order[this.pos++];
  }

  state(): MixtureState {
    return { rng: this.blockStart.rng, carry: [...this.blockStart.carry], pos: this.pos };
  }
}
