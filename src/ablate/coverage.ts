// How often the paired bootstrap's 95% interval (bootstrap.ts) holds a known Δ, by simulation,
// when a given share of the estimate's variance comes from training seeds. Resampling a few
// seeds cannot show their spread fully (plug-in variance × (n − 1)/n; 3 seeds give 10 distinct
// draws), so coverage falls as that share grows: docs/ablate.md's table, from
// experiments/bootstrap_coverage/run.ts; test/ablate/bootstrap.test.ts checks the two ends.
import { Rng } from '../engine/rng.js';
import { bootstrapInterval, type PairedScores } from './bootstrap.js';

export interface CoverageSetup {
  seeds: number;
  /** Share of Var(Δ estimate) that the per-seed shifts contribute, in [0, 1]. */
  seedShare: number;
  /** Synthetic studies to run. */
  studies: number;
  rngSeed: number;
  /** Items per run (default 50). */
  items?: number;
  /** Bootstrap resamples per study (default 400). */
  replicates?: number;
}

/**
 * Two variants A and B on the same items: a shared item difficulty (cancels in Δ), A's per-item
 * effect fixed across seeds (sd 1), A's per-seed shift (the training noise that differs between
 * variants, sd set for `seedShare`) and per-seed item noise (sd 1); true Δ 0.5. Returns the share
 * of studies whose interval holds 0.5.
 */
export function simulatedCoverage(o: CoverageSetup): number {
  if (!(o.seedShare >= 0 && o.seedShare <= 1)) throw new Error(`seedShare must lie in [0, 1], got ${o.seedShare}`);
  const rng = new Rng(o.rngSeed);
  const items = o.items ?? 50;
  const trueDelta = 0.5;
  const itemSd = o.seedShare === 1 ? 0 : 1;
  // Var(Δ estimate) = itemSd²/items (fixed effects) + itemSd²/(items·seeds) (noise) + seedSd²/seeds.
  const itemVariance = itemSd ** 2 / items + itemSd ** 2 / (items * o.seeds);
  const seedSd = o.seedShare === 1 ? 1 : Math.sqrt((o.seedShare / (1 - o.seedShare)) * itemVariance * o.seeds);
  let covered = 0;
  for (let k = 0; k < o.studies; k++) {
    const difficulty = Array.from({ length: items }, () => 3 * rng.normal());
    const itemEffect = Array.from({ length: items }, () => itemSd * rng.normal());
    const a: Float64Array[][] = [];
    const b: Float64Array[][] = [];
    for (let s = 0; s < o.seeds; s++) {
      const shift = seedSd * rng.normal();
      b.push([Float64Array.from(difficulty)]);
      a.push([Float64Array.from(difficulty, (d, i) => d + trueDelta + itemEffect[i] + shift + itemSd * rng.normal())]);
    }
    const d: PairedScores = { variants: ['a', 'b'], seeds: a.map((_, i) => i), tasks: ['t'], values: [a, b] };
    const ci = bootstrapInterval(d, (m) => m[0] - m[1], { replicates: o.replicates ?? 400, seed: k })!;
    if (ci.lo <= trueDelta && trueDelta <= ci.hi) covered++;
  }
  return covered / o.studies;
}
