// Oracles for the paired seeds × items bootstrap behind every verdict: cases whose interval is
// known by hand, and the coverage of a known mean difference on synthetic normal data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bootstrapInterval, quantile, type PairedScores, type Statistic } from '../../src/ablate/bootstrap.js';
import { simulatedCoverage } from '../../src/ablate/coverage.js';
import { Rng } from '../../src/engine/rng.js';

/** Two variants A, B, one task: items[v][s] are the item values of variant v at seed index s. */
function twoVariants(a: number[][], b: number[][]): PairedScores {
  return {
    variants: ['a', 'b'],
    seeds: a.map((_, i) => i),
    tasks: ['t'],
    values: [a.map((x) => [Float64Array.from(x)]), b.map((x) => [Float64Array.from(x)])],
  };
}
const aMinusB: Statistic = (m) => m[0] - m[1];

test('quantile interpolates between order statistics (R type 7)', () => {
  assert.equal(quantile([1, 2, 3, 4], 0), 1);
  assert.equal(quantile([1, 2, 3, 4], 1), 4);
  assert.equal(quantile([1, 2, 3, 4], 0.5), 2.5);
  assert.ok(Math.abs(quantile([0, 10], 0.025) - 0.25) < 1e-12);
});

test('identical variants: every resample gives Δ = 0, so the interval is [0, 0]', () => {
  const items = [[3, 7, 1, 9, 4, 4, 0, 12]];
  const ci = bootstrapInterval(twoVariants(items, items), aMinusB)!;
  assert.deepEqual([ci.estimate, ci.lo, ci.hi], [0, 0, 0]);
});

test('a constant shift d on every item (and seed) gives exactly [d, d]', () => {
  const base = [
    [3, 7, 1, 9, 4, 4, 0, 12],
    [5, 2, 8, 8, 1, 0, 3, 6],
  ];
  for (const d of [2.5, -1.25]) {
    const ci = bootstrapInterval(
      twoVariants(
        base.map((s) => s.map((x) => x + d)),
        base,
      ),
      aMinusB,
    )!;
    for (const x of [ci.estimate, ci.lo, ci.hi]) assert.ok(Math.abs(x - d) < 1e-12, `d ${d}: ${JSON.stringify(ci)}`);
  }
});

test('two items with differences 0 and 1: resampled means 0, 0.5, 1 with chances 1/4, 1/2, 1/4, so the 95% interval is [0, 1]', () => {
  const ci = bootstrapInterval(twoVariants([[0, 1]], [[0, 0]]), aMinusB, { replicates: 4000 })!;
  assert.deepEqual([ci.estimate, ci.lo, ci.hi], [0.5, 0, 1]);
});

test('seeds are resampled too, the same draw for both variants: per-seed differences 1 and 3 give [1, 3]', () => {
  // Within a seed every item differs by the same amount, so only the seed draw moves Δ: {1, 2, 3} with chances 1/4, 1/2, 1/4.
  const b = [
    [4, 6, 2],
    [9, 1, 5],
  ];
  const a = [b[0].map((x) => x + 1), b[1].map((x) => x + 3)];
  const ci = bootstrapInterval(twoVariants(a, b), aMinusB, { replicates: 4000 })!;
  for (const [got, want] of [
    [ci.estimate, 2],
    [ci.lo, 1],
    [ci.hi, 3],
  ])
    assert.ok(Math.abs(got - want) < 1e-9, JSON.stringify(ci));
});

test('pairing: a large item difficulty shared by both variants does not widen the interval of their difference', () => {
  const rng = new Rng(7);
  const difficulty = Array.from({ length: 100 }, () => 30 * rng.normal());
  const a = [difficulty.map((d) => d + 1 + rng.normal())];
  const b = [difficulty.map((d) => d + rng.normal())];
  const ci = bootstrapInterval(twoVariants(a, b), aMinusB)!;
  // The paired difference has std √2 per item: half-width ≈ 1.96 · √2 / 10 ≈ 0.28; unpaired it would be ≈ 8.
  assert.ok(ci.hi - ci.lo < 0.8, JSON.stringify(ci));
  assert.ok(ci.lo > 0, 'a shift of 1 is found despite item spread 30');
});

test('coverage: the 95% interval holds a known normal mean difference in 90–99% of 300 synthetic studies', () => {
  const rng = new Rng(2024);
  const trueDelta = 0.7;
  let covered = 0;
  const studies = 300;
  for (let k = 0; k < studies; k++) {
    const mu = Array.from({ length: 60 }, () => 5 * rng.normal());
    const a = [mu.map((m) => m + trueDelta + rng.normal())];
    const b = [mu.map((m) => m + rng.normal())];
    const ci = bootstrapInterval(twoVariants(a, b), aMinusB, { replicates: 400, seed: k })!;
    if (ci.lo <= trueDelta && trueDelta <= ci.hi) covered++;
  }
  const rate = covered / studies;
  assert.ok(rate >= 0.9 && rate <= 0.99, `coverage ${rate}`);
});

test('3 seeds: the interval covers about 95% when items carry the noise, about 74% when training seeds carry all of it', () => {
  // A known Δ whose estimate's variance comes from items only, or from training seeds only (src/ablate/coverage.ts).
  const itemsOnly = simulatedCoverage({ seeds: 3, seedShare: 0, studies: 300, rngSeed: 31 });
  const seedsOnly = simulatedCoverage({ seeds: 3, seedShare: 1, studies: 300, rngSeed: 32 });
  assert.ok(itemsOnly >= 0.92 && itemsOnly <= 0.995, `item noise only: coverage ${itemsOnly}`);
  assert.ok(seedsOnly >= 0.64 && seedsOnly <= 0.85, `seed noise only: coverage ${seedsOnly} (the percentile bootstrap over 3 seeds is too narrow)`);
});

test('runs scored on different numbers of items are refused with the variant, seed and task named', () => {
  const d: PairedScores = { variants: ['a', 'b'], seeds: [0], tasks: ['vqa'], values: [[[Float64Array.from([1, 2])]], [[Float64Array.from([1])]]] };
  assert.throws(() => bootstrapInterval(d, aMinusB), /variant b, seed 0: task vqa has 1 items, the first run 2; runs must be scored on the same items/);
});
