import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aggregate, IMAGE_AVG, type RunRecord } from '../../src/ablate/aggregate.js';
import { axisEffect, axisRange, effectBeats, groupBeats, measureKey, pooledStd, seedStdByMeasure, threshold, groupMean, type Measure } from '../../src/ablate/claims.js';
import type { Variant } from '../../src/ablate/study.js';

/** Results for variants with axes {res, size}, each with the given per-seed scores at 0 and 4 shots (4-shot = 0-shot + 10). */
function results(cells: { res: number; size: string; scores: number[] }[], measuredSeedStd?: Record<string, number>) {
  const variants: Variant[] = cells.map((c) => ({ id: `r${c.res}-${c.size}`, label: `${c.res} ${c.size}`, axes: { res: c.res, size: c.size }, config: {} }));
  const runs: RunRecord[] = cells.flatMap((c, i) =>
    c.scores.map((s, seed) => ({ variantId: variants[i].id, seed, key: `${i}-${seed}`, dir: '', cached: false, result: { metrics: { 'caption/cider': { '0': s, '4': s + 10 } }, wallSeconds: 1 } })),
  );
  return aggregate(variants, runs, { measuredSeedStd });
}

const zeroShot: Measure = { metric: 'caption/cider', shots: ['0'] };
const highBeatsLow = groupBeats({ id: 'x', text: 'higher resolution helps', better: { select: { res: 64 }, label: '64 px' }, worse: { select: { res: 32 }, label: '32 px' }, measure: zeroShot });

test('pooled std against a hand value, and the threshold falls back to the margin with one seed', () => {
  // Variant 1: [1, 3] → SS 2, dof 1. Variant 2: [2, 4, 6] → SS 8, dof 2. Pooled √(10 / 3).
  assert.ok(Math.abs(pooledStd([[1, 3], [2, 4, 6], [9]])! - Math.sqrt(10 / 3)) < 1e-12);
  assert.equal(pooledStd([[1], [2]]), undefined);
  assert.deepEqual(threshold([[1], [2]], 0.5), { value: 0.5, pooledStd: undefined, minMargin: 0.5 });
  assert.equal(threshold([[1, 3]], 0.5).value, Math.SQRT2);
});

test('a clear win is reproduced, a reversed one is not, one within the seed spread is inconclusive', () => {
  const win = highBeatsLow.evaluate(results([{ res: 32, size: 's', scores: [10, 11] }, { res: 64, size: 's', scores: [15, 16] }]));
  assert.equal(win.verdict, 'reproduced');
  // Means 15.5 vs 10.5, pooled std √0.5 ≈ 0.71, margin 0.5.
  assert.match(win.evidence, /15\.5 \(64 px\) vs 10\.5 \(32 px\) on caption\/cider at 0-shot: Δ \+5\.00, threshold 0\.707 \(pooled seed std 0\.707; min margin 0\.500\)/);

  const reversed = highBeatsLow.evaluate(results([{ res: 32, size: 's', scores: [15, 16] }, { res: 64, size: 's', scores: [10, 11] }]));
  assert.equal(reversed.verdict, 'not reproduced');
  assert.match(reversed.evidence, /Δ −5\.00/);

  // Δ = 1 but seeds scatter by ±2: inconclusive.
  const noisy = highBeatsLow.evaluate(results([{ res: 32, size: 's', scores: [8, 12] }, { res: 64, size: 's', scores: [9, 13] }]));
  assert.equal(noisy.verdict, 'inconclusive');
  // One seed, Δ = 0.3 < margin 0.5: inconclusive; Δ = 0.8 > 0.5: reproduced.
  assert.equal(highBeatsLow.evaluate(results([{ res: 32, size: 's', scores: [10] }, { res: 64, size: 's', scores: [10.3] }])).verdict, 'inconclusive');
  assert.equal(highBeatsLow.evaluate(results([{ res: 32, size: 's', scores: [10] }, { res: 64, size: 's', scores: [10.8] }])).verdict, 'reproduced');
});

test('measures average each run over the named shots; groups average their variants', () => {
  const r = results([{ res: 32, size: 's', scores: [10] }, { res: 32, size: 'l', scores: [14] }, { res: 64, size: 's', scores: [20] }]);
  assert.equal(groupMean(r, { res: 32 }, zeroShot), 12);
  assert.equal(groupMean(r, { res: 32 }, { metric: 'caption/cider', shots: 'all' }), 17, 'per run (s + s + 10) / 2, then mean of 15 and 19');
  assert.equal(groupMean(r, { res: 32 }, { metric: 'caption/cider', shots: 'few' }), 22);
  assert.equal(groupMean(r, { res: 128 }, zeroShot), undefined);
});

test('effect comparisons: resolution moving the score more than size, and the range over an axis', () => {
  const grid = (resGain: number, sizeGain: number) =>
    results([
      { res: 32, size: 's', scores: [10, 10.2] },
      { res: 32, size: 'l', scores: [10 + sizeGain, 10.2 + sizeGain] },
      { res: 64, size: 's', scores: [10 + resGain, 10.2 + resGain] },
      { res: 64, size: 'l', scores: [10 + resGain + sizeGain, 10.2 + resGain + sizeGain] },
    ]);
  const claim = effectBeats({ id: 'y', text: 'resolution over size', larger: axisEffect('res', 32, 64, 'resolution effect'), smaller: axisEffect('size', 's', 'l', 'size effect'), measure: zeroShot });
  const ok = claim.evaluate(grid(5, 1));
  assert.equal(ok.verdict, 'reproduced');
  assert.match(ok.evidence, /\+5\.00 resolution effect vs \+1\.00 size effect .* Δ \+4\.00/);
  assert.equal(claim.evaluate(grid(1, 5)).verdict, 'not reproduced');
  assert.equal(claim.evaluate(grid(3, 2.8)).verdict, 'inconclusive');
  assert.equal(axisRange('size', 'size range').compute(grid(5, -3), zeroShot), 3);
});

test('a claim on a metric the runner never reported is inconclusive and says so', () => {
  const r = results([{ res: 32, size: 's', scores: [10] }, { res: 64, size: 's', scores: [12] }]);
  const c = groupBeats({ id: 'z', text: 't', better: { select: { res: 64 }, label: '64' }, worse: { select: { res: 32 }, label: '32' }, measure: { metric: IMAGE_AVG, shots: ['0'] } });
  // One image metric: avg/image exists (the mean of one task), so use a metric that is truly absent.
  const absent = groupBeats({ id: 'z', text: 't', better: { select: { res: 64 }, label: '64' }, worse: { select: { res: 32 }, label: '32' }, measure: { metric: 'text/mc_acc', shots: 'all' } });
  assert.equal(c.evaluate(r).verdict, 'reproduced');
  const out = absent.evaluate(r);
  assert.equal(out.verdict, 'inconclusive');
  assert.match(out.evidence, /^no text\/mc_acc \(all shots\) values for 64; the runner did not report them$/);
});

test('one seed: a measured seed std for the claim measure replaces the bare margin; several seeds use their own spread', () => {
  const measured = { [measureKey(zeroShot)]: 2, 'caption/cider@all': 99 };
  assert.equal(measureKey(zeroShot), 'caption/cider@0');
  // Δ = 1.5: above the 0.5 margin, below the measured std 2 → inconclusive, and the evidence says why.
  const one = highBeatsLow.evaluate(results([{ res: 32, size: 's', scores: [10] }, { res: 64, size: 's', scores: [11.5] }], measured));
  assert.equal(one.verdict, 'inconclusive');
  assert.match(one.evidence, /threshold 2\.00 \(one seed: the base run's measured seed std 2\.00; min margin 0\.500\)/);
  assert.equal(highBeatsLow.evaluate(results([{ res: 32, size: 's', scores: [10] }, { res: 64, size: 's', scores: [12.5] }], measured)).verdict, 'reproduced');
  // With two seeds the pooled std (0.707) rules, not the measured one.
  assert.equal(highBeatsLow.evaluate(results([{ res: 32, size: 's', scores: [10, 11] }, { res: 64, size: 's', scores: [11.5, 12.5] }], measured)).verdict, 'reproduced');
  // seedStdByMeasure pools over every variant: [10, 11] and [11.5, 12.5] → √0.5 at 0-shot; 4-shot = 0-shot + 10, same spread.
  const sd = seedStdByMeasure(results([{ res: 32, size: 's', scores: [10, 11] }, { res: 64, size: 's', scores: [11.5, 12.5] }]), [zeroShot, { metric: 'caption/cider', shots: 'all' }]);
  assert.ok(Math.abs(sd['caption/cider@0']! - Math.SQRT1_2) < 1e-12 && Math.abs(sd['caption/cider@all']! - Math.SQRT1_2) < 1e-12, JSON.stringify(sd));
});
