import assert from 'node:assert/strict';
import { test } from 'node:test';
import { learningRate, mm1PeakLr, mm1WeightDecay, type LrSchedule } from '../../src/train/schedule.js';

const close = (actual: number, expected: number) => assert.ok(Math.abs(actual - expected) <= 1e-12 + 1e-9 * Math.abs(expected), `${actual} ≠ ${expected}`);

test('warmup + cosine matches hand-computed values', () => {
  const s: LrSchedule = { kind: 'cosine', peak: 1e-3, warmupSteps: 10, totalSteps: 110, minRatio: 0.1 };
  const expected: [number, number][] = [
    [0, 1e-4],
    [4, 5e-4],
    [9, 1e-3], // linear warmup reaches the peak on its last step
    [10, 1e-3], // progress 0
    [35, 1e-4 + 0.45e-3 * (1 + Math.SQRT1_2)], // progress 1/4: 8.6820e-4
    [60, 5.5e-4], // progress 1/2: halfway between peak and floor
    [85, 1e-4 + 0.45e-3 * (1 - Math.SQRT1_2)], // progress 3/4: 2.3180e-4
    [110, 1e-4],
    [5000, 1e-4], // the floor, 10% of peak, from totalSteps on
  ];
  for (const [step, lr] of expected) close(learningRate(s, step), lr);
});

test('constant, with and without warmup', () => {
  close(learningRate({ kind: 'constant', peak: 3e-4 }, 0), 3e-4);
  const warm: LrSchedule = { kind: 'constant', peak: 3e-4, warmupSteps: 3 };
  assert.deepEqual(
    [0, 1, 2, 3, 1000].map((s) => +learningRate(warm, s).toPrecision(12)),
    [1e-4, 2e-4, 3e-4, 3e-4, 3e-4],
  );
});

test('the cosine decays monotonically after warmup', () => {
  const s: LrSchedule = { kind: 'cosine', peak: 2e-5, warmupSteps: 2000, totalSteps: 200_000, minRatio: 0.1 };
  for (let step = 2000; step < 200_000; step += 997) assert.ok(learningRate(s, step + 1) <= learningRate(s, step));
});

test('bad steps and schedules are refused', () => {
  assert.throws(() => learningRate({ kind: 'constant', peak: 1 }, -1), /step must be an integer ≥ 0, got -1/);
  assert.throws(
    () => learningRate({ kind: 'cosine', peak: 1, warmupSteps: 5, totalSteps: 5, minRatio: 0 }, 6),
    /totalSteps \(5\) must exceed warmupSteps \(5\)/,
  );
});

test("MM1's LR rule gives 2.2e-5 for 30B parameters and λ = 0.1·η", () => {
  // ln 3e10 = 24.12446; 0.4214 · 24.12446 + 0.5535 = 10.71955; exp(-10.71955) = 4.53999e-5 · 0.48697 = 2.2108e-5
  assert.ok(Math.abs(mm1PeakLr(30e9) - 2.2108e-5) < 1e-9, String(mm1PeakLr(30e9)));
  close(mm1WeightDecay(30e9), 0.1 * mm1PeakLr(30e9));
});
