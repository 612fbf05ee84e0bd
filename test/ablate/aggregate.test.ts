import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aggregate, meanStd, withAverages, IMAGE_AVG, TEXT_AVG, type RunRecord } from '../../src/ablate/aggregate.js';
import type { Variant } from '../../src/ablate/study.js';

const variant = (id: string): Variant => ({ id, label: id.toUpperCase(), axes: { v: id }, config: { id } });
const record = (variantId: string, seed: number, metrics: RunRecord['result']['metrics']): RunRecord => ({
  variantId,
  seed,
  key: `${variantId}-${seed}`,
  dir: '/nowhere',
  result: { metrics, wallSeconds: 1 },
  cached: false,
});

test('mean and sample std against hand values', () => {
  // [1, 2, 3, 4]: mean 2.5, squared deviations 2.25 + 0.25 + 0.25 + 2.25 = 5, / (n − 1) = 5/3.
  const s = meanStd([1, 2, 3, 4]);
  assert.equal(s.mean, 2.5);
  assert.ok(Math.abs(s.std - Math.sqrt(5 / 3)) < 1e-12);
  assert.equal(s.n, 4);
  assert.deepEqual(meanStd([7]), { mean: 7, std: 0, n: 1 });
});

test('averages cover the image and the text tasks separately, only at shot counts every task has', () => {
  const m = withAverages({
    'caption/cider': { '0': 10, '4': 20, '8': 30 },
    'vqa/accuracy': { '0': 40, '4': 50 },
    'text/mc_acc': { '0': 60 },
    'text/lm': { '0': 70 },
  });
  assert.deepEqual(m[IMAGE_AVG], { '0': 25, '4': 35 });
  assert.deepEqual(m[TEXT_AVG], { '0': 65 });
});

test('aggregate: per variant, metric and shots, over seeds; shots sorted as numbers; averages last', () => {
  const runs = [
    record('a', 1, { 'caption/cider': { '0': 12, '16': 3, '8': 20 }, 'vqa/accuracy': { '0': 40, '16': 1, '8': 44 } }),
    record('a', 0, { 'caption/cider': { '0': 10, '16': 1, '8': 22 }, 'vqa/accuracy': { '0': 42, '16': 5, '8': 40 } }),
    record('b', 0, { 'caption/cider': { '0': 5, '8': 6 }, 'vqa/accuracy': { '0': 30, '8': 31 } }),
  ];
  const r = aggregate([variant('a'), variant('b')], runs);
  assert.deepEqual(r.shots, ['0', '8', '16']);
  assert.deepEqual(r.metrics, ['caption/cider', 'vqa/accuracy', IMAGE_AVG]);
  assert.deepEqual(r.averagedFrom[IMAGE_AVG], ['caption/cider', 'vqa/accuracy']);
  const a = r.variants[0];
  assert.deepEqual(
    a.runs.map((x) => x.seed),
    [0, 1],
    'runs ordered by seed',
  );
  assert.deepEqual(a.stats['caption/cider']['0'], { mean: 11, std: Math.SQRT2, n: 2 });
  // avg/image at 8-shot per run: seed 0 (22 + 40)/2 = 31, seed 1 (20 + 44)/2 = 32 → mean 31.5, std √0.5.
  assert.equal(a.stats[IMAGE_AVG]['8'].mean, 31.5);
  assert.ok(Math.abs(a.stats[IMAGE_AVG]['8'].std - Math.sqrt(0.5)) < 1e-12);
  assert.deepEqual(r.variants[1].stats['vqa/accuracy']['8'], { mean: 31, std: 0, n: 1 });
  assert.equal(r.variants[1].stats['caption/cider']['16'], undefined);
});
