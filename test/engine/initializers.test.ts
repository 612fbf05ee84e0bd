import assert from 'node:assert/strict';
import { test } from 'node:test';
import { constant, kaimingNormal, normal, ones, truncatedNormal, uniform, xavierUniform, zeros } from '../../src/engine/initializers.js';
import { Rng } from '../../src/engine/rng.js';

const N = 200_000;
function stats(x: Float32Array) {
  let sum = 0, sq = 0, min = Infinity, max = -Infinity;
  for (const v of x) { sum += v; sq += v * v; min = Math.min(min, v); max = Math.max(max, v); }
  const mean = sum / x.length;
  return { mean, std: Math.sqrt(sq / x.length - mean * mean), min, max };
}

test('the same seed gives the same weights; another seed gives others', () => {
  assert.deepEqual(normal(new Rng(1), [64, 8], 0.02), normal(new Rng(1), [64, 8], 0.02));
  assert.notDeepEqual(normal(new Rng(1), [64, 8], 0.02), normal(new Rng(2), [64, 8], 0.02));
});

test('constant fills have the shape’s element count', () => {
  assert.deepEqual(zeros([2, 3, 4]), new Float32Array(24));
  assert.deepEqual(ones([3]), Float32Array.of(1, 1, 1));
  assert.deepEqual(constant([], 0.5), Float32Array.of(0.5));
});

test('normal has the requested mean and std', () => {
  const s = stats(normal(new Rng(3), [N], 0.02, 1));
  assert.ok(Math.abs(s.mean - 1) < (4 * 0.02) / Math.sqrt(N), `mean ${s.mean}`);
  assert.ok(Math.abs(s.std / 0.02 - 1) < 0.01, `std ${s.std}`);
});

test('truncated normal stays within ±2 std and has std 0.8796·std', () => {
  // Var of N(0,1) truncated to [-2, 2] = 1 - 2·2·φ(2)/(Φ(2) - Φ(-2)) = 1 - 4·0.053991/0.954500 = 0.77374.
  const s = stats(truncatedNormal(new Rng(4), [N], 0.5));
  assert.ok(s.min >= -1 && s.max <= 1, `range [${s.min}, ${s.max}]`);
  assert.ok(Math.abs(s.std / (0.5 * Math.sqrt(0.77374)) - 1) < 0.01, `std ${s.std}`);
});

test('uniform, xavier and kaiming have the textbook bounds and spreads', () => {
  const u = stats(uniform(new Rng(5), [N], -1, 3));
  assert.ok(u.min >= -1 && u.max < 3 && Math.abs(u.mean - 1) < (4 * 4) / Math.sqrt(12 * N));
  const bound = Math.sqrt(6 / (100 + 300)); // 0.12247
  const x = stats(xavierUniform(new Rng(6), [N], 100, 300));
  assert.ok(-bound <= x.min && x.max <= bound && x.max > 0.99 * bound);
  assert.ok(Math.abs(x.std / (bound / Math.sqrt(3)) - 1) < 0.01);
  const k = stats(kaimingNormal(new Rng(7), [N], 50)); // std √(2/50) = 0.2
  assert.ok(Math.abs(k.std / 0.2 - 1) < 0.01, `std ${k.std}`);
});
