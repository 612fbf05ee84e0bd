import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aggregate, IMAGE_AVG, type RunRecord } from '../../src/ablate/aggregate.js';
import { axisEffect, axisRange, effectBeats, groupBeats } from '../../src/ablate/claims.js';
import { measureKey, pooledStd, runScores, seedStdByMeasure, type Measure } from '../../src/ablate/measure.js';
import type { ItemScores, RunResult } from '../../src/ablate/runner.js';
import type { Variant } from '../../src/ablate/study.js';

/** Intervals computed in floating point: equal to the hand value within 1e-9. */
function near(actual: readonly number[] | undefined, expected: readonly number[], msg?: string): void {
  assert.ok(
    actual && actual.length === expected.length && actual.every((x, i) => Math.abs(x - expected[i]) < 1e-9),
    `${msg ?? ''} got ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`,
  );
}
const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/**
 * Variants with axes {res, size}; `seeds[s]` are the per-item caption/cider scores of seed s at
 * 0-shot (4-shot = the same + 10). The metric is the mean of its items, as in real runs.
 */
function results(cells: { res: number; size: string; seeds: number[][]; shotsUsed?: RunResult['shotsUsed'] }[]) {
  const variants: Variant[] = cells.map((c) => ({ id: `r${c.res}-${c.size}`, label: `${c.res} ${c.size}`, axes: { res: c.res, size: c.size }, config: {} }));
  const runs: RunRecord[] = cells.flatMap((c, i) =>
    c.seeds.map((xs, seed) => {
      const at = (shift: number) => Object.fromEntries(xs.map((x, j) => [`item${j}`, x + shift]));
      const items: ItemScores = { 'caption/cider': { '0': at(0), '4': at(10) } };
      const result: RunResult = {
        metrics: { 'caption/cider': { '0': mean(xs), '4': mean(xs) + 10 } },
        wallSeconds: 1,
        items,
        ...(c.shotsUsed ? { shotsUsed: c.shotsUsed } : {}),
      };
      return { variantId: variants[i].id, seed, key: `${i}-${seed}`, dir: '', cached: false, result };
    }),
  );
  return aggregate(variants, runs);
}

const zeroShot: Measure = { metric: 'caption/cider', shots: ['0'] };
const highBeatsLow = groupBeats({
  id: 'x',
  text: 'higher resolution helps',
  better: { select: { res: 64 }, label: '64 px' },
  worse: { select: { res: 32 }, label: '32 px' },
  measure: zeroShot,
});
const ITEMS = [12, 40, 3, 77, 25, 31, 8, 60];
const shift = (xs: number[], d: number) => xs.map((x) => x + d);
/** Item-level noise that moves each item by ±`size` in a fixed pattern summing to 0. */
const wobble = (xs: number[], size: number) => xs.map((x, i) => x + (i % 2 === 0 ? size : -size));

test('a constant gain on every item is reproduced with the interval [d, d]; the evidence gives Δ and the 95% CI', () => {
  const o = highBeatsLow.evaluate(
    results([
      { res: 32, size: 's', seeds: [ITEMS] },
      { res: 64, size: 's', seeds: [shift(ITEMS, 2.5)] },
    ]),
  );
  assert.equal(o.verdict, 'reproduced');
  near([o.delta!], [2.5]);
  near(o.ci, [2.5, 2.5]);
  assert.match(
    o.evidence,
    /^34\.5 \(64 px\) vs 32\.0 \(32 px\) on caption\/cider at 0-shot: Δ \+2\.50, 95% CI \[\+2\.50, \+2\.50\] \(paired bootstrap over 8 items × 1 seed; one seed, so training noise is not in the interval\)\.$/,
  );
});

test('a constant loss on every item is not reproduced; identical variants are inconclusive', () => {
  const lost = highBeatsLow.evaluate(
    results([
      { res: 32, size: 's', seeds: [ITEMS] },
      { res: 64, size: 's', seeds: [shift(ITEMS, -2.5)] },
    ]),
  );
  assert.equal(lost.verdict, 'not reproduced');
  near(lost.ci, [-2.5, -2.5]);
  const same = highBeatsLow.evaluate(
    results([
      { res: 32, size: 's', seeds: [ITEMS] },
      { res: 64, size: 's', seeds: [ITEMS] },
    ]),
  );
  assert.equal(same.verdict, 'inconclusive');
  near(same.ci, [0, 0]);
});

test('a negative Δ whose interval holds 0 is inconclusive, not "not reproduced" (and a positive one is not "reproduced")', () => {
  // Δ = −0.5 on average, but items move by ±6 between the variants: the interval straddles 0.
  const down = highBeatsLow.evaluate(
    results([
      { res: 32, size: 's', seeds: [ITEMS] },
      { res: 64, size: 's', seeds: [shift(wobble(ITEMS, 6), -0.5)] },
    ]),
  );
  assert.ok(down.delta! < 0 && down.ci![0] < 0 && down.ci![1] > 0, JSON.stringify(down));
  assert.equal(down.verdict, 'inconclusive');
  const up = highBeatsLow.evaluate(
    results([
      { res: 32, size: 's', seeds: [ITEMS] },
      { res: 64, size: 's', seeds: [shift(wobble(ITEMS, 6), 0.5)] },
    ]),
  );
  assert.ok(up.delta! > 0 && up.ci![0] < 0, JSON.stringify(up));
  assert.equal(up.verdict, 'inconclusive');
});

test('seeds count: a gain that flips sign across seeds is inconclusive although every seed is clear on its own', () => {
  const o = highBeatsLow.evaluate(
    results([
      { res: 32, size: 's', seeds: [ITEMS, ITEMS, ITEMS] },
      { res: 64, size: 's', seeds: [shift(ITEMS, 4), shift(ITEMS, -3), shift(ITEMS, 2)] },
    ]),
  );
  assert.ok(Math.abs(o.delta! - 1) < 1e-12);
  assert.equal(o.verdict, 'inconclusive');
  assert.match(o.evidence, /8 items × 3 seeds\)/);
});

test('items are paired by id: runs listing their items in another order, or extra items, compare on the shared ones', () => {
  const r = results([
    { res: 32, size: 's', seeds: [ITEMS] },
    { res: 64, size: 's', seeds: [shift(ITEMS, 1)] },
  ]);
  const run = r.variants[1].runs[0];
  const reversed = Object.fromEntries(Object.entries(run.items!['caption/cider']['0']).reverse());
  run.items!['caption/cider']['0'] = { ...reversed, extra: 1000 };
  const o = highBeatsLow.evaluate(r);
  near(o.ci, [1, 1]);
});

test('a variant whose prompts held fewer shots than asked is left out of the claim, and the evidence says why', () => {
  const fewShot: Measure = { metric: 'caption/cider', shots: ['4'] };
  const claim = groupBeats({
    id: 'f',
    text: 't',
    better: { select: { res: 64 }, label: '64 px' },
    worse: { select: { res: 32 }, label: '32 px' },
    measure: fewShot,
  });
  const r = results([
    { res: 32, size: 's', seeds: [ITEMS] },
    { res: 64, size: 's', seeds: [shift(ITEMS, 3)] },
    { res: 64, size: 'l', seeds: [shift(ITEMS, -30)], shotsUsed: { 'caption/cider': { '4': 2 } } },
  ]);
  const o = claim.evaluate(r);
  assert.equal(o.verdict, 'reproduced', 'the 4-shot variant that held 2 shots would have reversed it');
  near(o.ci, [3, 3]);
  assert.match(o.evidence, /Left out: 64 l \(its 4-shot caption\/cider prompts held as few as 2 shots/);
  // Reduced shots at a shot count the claim does not read do not matter.
  near(highBeatsLow.evaluate(r).ci, [-13.5, -13.5]);
  // When every variant on one side is left out, the claim is not decided.
  const alone = claim.evaluate(
    results([
      { res: 32, size: 's', seeds: [ITEMS] },
      { res: 64, size: 'l', seeds: [ITEMS], shotsUsed: { 'caption/cider': { '4': 2 } } },
    ]),
  );
  assert.equal(alone.verdict, 'inconclusive');
  assert.equal(alone.ci, undefined);
  assert.match(alone.evidence, /a group it compares has no variant left\. Left out: 64 l/);
});

test('effect comparisons bootstrap the difference of effects: resolution +5 vs size +1 on every item is [4, 4]', () => {
  const grid = (resGain: number, sizeGain: number) =>
    results([
      { res: 32, size: 's', seeds: [ITEMS] },
      { res: 32, size: 'l', seeds: [shift(ITEMS, sizeGain)] },
      { res: 64, size: 's', seeds: [shift(ITEMS, resGain)] },
      { res: 64, size: 'l', seeds: [shift(ITEMS, resGain + sizeGain)] },
    ]);
  const claim = effectBeats({
    id: 'y',
    text: 'resolution over size',
    larger: axisEffect('res', 32, 64, 'resolution effect'),
    smaller: axisEffect('size', 's', 'l', 'size effect'),
    measure: zeroShot,
  });
  const ok = claim.evaluate(grid(5, 1));
  assert.equal(ok.verdict, 'reproduced');
  near(ok.ci, [4, 4]);
  assert.match(ok.evidence, /^\+5\.00 resolution effect vs \+1\.00 size effect on caption\/cider at 0-shot: Δ \+4\.00/);
  assert.equal(claim.evaluate(grid(1, 5)).verdict, 'not reproduced');
  assert.equal(claim.evaluate(grid(3, 3)).verdict, 'inconclusive');
  // The range over an axis: best minus worst level mean.
  const range = effectBeats({ id: 'r', text: 'r', larger: axisEffect('res', 32, 64, 'res'), smaller: axisRange('size', 'size range'), measure: zeroShot });
  near(range.evaluate(grid(5, -3)).ci, [2, 2]);
});

test('effects within a slice of a plus-shaped grid: the token effect on one type, the type spread at one token count', () => {
  // The connector design: C-Abstractor at 4 / 16 / 64 tokens, the other types at 16 only.
  // Token effect on C-Abstractor = +6; at 16 tokens the types score +2, 0, +1 (spread 2): Δ = 6 − 2 = 4.
  const plus = results([
    { res: 4, size: 'c', seeds: [ITEMS] },
    { res: 16, size: 'c', seeds: [shift(ITEMS, 2)] },
    { res: 64, size: 'c', seeds: [shift(ITEMS, 6)] },
    { res: 16, size: 'a', seeds: [shift(ITEMS, 0)] },
    { res: 16, size: 'p', seeds: [shift(ITEMS, 1)] },
  ]);
  const claim = effectBeats({
    id: 'w',
    text: 'tokens over type',
    larger: axisEffect('res', 4, 64, 'token effect', { size: 'c' }),
    smaller: axisRange('size', 'type spread', { res: 16 }),
    measure: zeroShot,
  });
  const o = claim.evaluate(plus);
  near(o.ci, [4, 4]);
  assert.match(o.evidence, /^\+6\.00 token effect vs \+2\.00 type spread/);
  // Without the slice the C-Abstractor's mean runs over 4/16/64 tokens (2.67), carrying its token effect into the spread.
  const mixed = effectBeats({
    id: 'm',
    text: 'm',
    larger: axisEffect('res', 4, 64, 'token effect'),
    smaller: axisRange('size', 'type spread'),
    measure: zeroShot,
  });
  near(mixed.evaluate(plus).ci, [6 - 8 / 3, 6 - 8 / 3]);
});

test('runs without per-item scores (cached before they were kept) leave the claim undecided, saying what to do', () => {
  const r = results([
    { res: 32, size: 's', seeds: [ITEMS] },
    { res: 64, size: 's', seeds: [shift(ITEMS, 5)] },
  ]);
  delete r.variants[0].runs[0].items;
  const o = highBeatsLow.evaluate(r);
  assert.equal(o.verdict, 'inconclusive');
  assert.match(o.evidence, /no per-item scores for 32 s .*rerun them with a fresh --salt/);
  const absent = groupBeats({
    id: 'z',
    text: 't',
    better: { select: { res: 64 }, label: '64' },
    worse: { select: { res: 32 }, label: '32' },
    measure: { metric: 'text/mc_acc', shots: 'all' },
  });
  assert.match(absent.evaluate(r).evidence, /^not decided on text\/mc_acc \(all shots\): no text\/mc_acc values\.$/);
});

test('avg/image pairs item by item within each task and averages the tasks', () => {
  const variants: Variant[] = [0, 1].map((i) => ({ id: `v${i}`, label: `v${i}`, axes: { v: i }, config: {} }));
  const run = (i: number, capShift: number, vqaShift: number): RunRecord => {
    const items: ItemScores = {
      'caption/cider': { '0': { a: 10 + capShift, b: 20 + capShift } },
      'vqa/accuracy': { '0': { q1: 0 + vqaShift, q2: 100 + vqaShift, q3: 50 + vqaShift } },
    };
    return {
      variantId: `v${i}`,
      seed: 0,
      key: `${i}`,
      dir: '',
      cached: false,
      result: { metrics: { 'caption/cider': { '0': 15 + capShift }, 'vqa/accuracy': { '0': 50 + vqaShift } }, wallSeconds: 1, items },
    };
  };
  const r = aggregate(variants, [run(0, 0, 0), run(1, 4, 2)]);
  const claim = groupBeats({
    id: 'a',
    text: 't',
    better: { select: { v: 1 }, label: 'v1' },
    worse: { select: { v: 0 }, label: 'v0' },
    measure: { metric: IMAGE_AVG, shots: 'all' },
  });
  const o = claim.evaluate(r);
  near(o.ci, [3, 3], '(4 + 2) / 2');
  assert.match(o.evidence, /over 5 items × 1 seed/);
});

test('seed spread: pooled std against a hand value, per measure', () => {
  // Variant 1: [1, 3] → SS 2, dof 1. Variant 2: [2, 4, 6] → SS 8, dof 2. Pooled √(10 / 3).
  assert.ok(Math.abs(pooledStd([[1, 3], [2, 4, 6], [9]])! - Math.sqrt(10 / 3)) < 1e-12);
  assert.equal(pooledStd([[1], [2]]), undefined);
  const r = results([
    { res: 32, size: 's', seeds: [[10], [11]] },
    { res: 64, size: 's', seeds: [[11.5], [12.5]] },
  ]);
  assert.deepEqual(runScores(r, { res: 32 }, { metric: 'caption/cider', shots: 'all' })[0].scores, [15, 16]);
  const sd = seedStdByMeasure(r, [zeroShot, { metric: 'caption/cider', shots: 'all' }]);
  assert.equal(measureKey(zeroShot), 'caption/cider@0');
  assert.ok(Math.abs(sd['caption/cider@0'] - Math.SQRT1_2) < 1e-12 && Math.abs(sd['caption/cider@all'] - Math.SQRT1_2) < 1e-12, JSON.stringify(sd));
});
