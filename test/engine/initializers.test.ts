// Statistics of the sampled initial values (fillInit) and the fan-based rules.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kaimingNormal, xavierUniform } from '../../src/engine/initializers.js';
import { fillInit } from '../../src/engine/param_store.js';
import { Rng } from '../../src/engine/rng.js';

const N = 200_000;
function stats(x: Float32Array) {
  let sum = 0,
    sq = 0,
    min = Infinity,
    max = -Infinity;
  for (const v of x) {
    sum += v;
    sq += v * v;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const mean = sum / x.length;
  return { mean, std: Math.sqrt(sq / x.length - mean * mean), min, max };
}

test('the same seed gives the same values; another seed gives others', () => {
  const init = { kind: 'normal', std: 0.02 } as const;
  assert.deepEqual(fillInit(init, 512, new Rng(1)), fillInit(init, 512, new Rng(1)));
  assert.notDeepEqual(fillInit(init, 512, new Rng(1)), fillInit(init, 512, new Rng(2)));
});

test('normal has the requested std and zero mean', () => {
  const s = stats(fillInit({ kind: 'normal', std: 0.02 }, N, new Rng(3)));
  assert.ok(Math.abs(s.mean) < (4 * 0.02) / Math.sqrt(N), `mean ${s.mean}`);
  assert.ok(Math.abs(s.std / 0.02 - 1) < 0.01, `std ${s.std}`);
});

test('truncated normal stays within ±2 std and has std 0.8796·std', () => {
  // Var of N(0,1) cut to [-2, 2] = 1 - 2·2·φ(2)/(Φ(2) - Φ(-2)) = 1 - 4·0.053991/0.954500 = 0.77374.
  const s = stats(fillInit({ kind: 'truncnormal', std: 0.5 }, N, new Rng(4)));
  assert.ok(s.min >= -1 && s.max <= 1, `range [${s.min}, ${s.max}]`);
  assert.ok(Math.abs(s.std / (0.5 * Math.sqrt(0.77374)) - 1) < 0.01, `std ${s.std}`);
});

test('xavier uniform has bound √(6/(in+out)) and std bound/√3; kaiming has std gain/√fanIn', () => {
  const rule = xavierUniform(100, 300);
  assert.deepEqual(rule, { kind: 'uniform', bound: Math.sqrt(6 / 400) }); // 0.12247
  const bound = Math.sqrt(6 / 400);
  const x = stats(fillInit(rule, N, new Rng(6)));
  assert.ok(-bound <= x.min && x.max <= bound && x.max > 0.99 * bound);
  assert.ok(Math.abs(x.std / (bound / Math.sqrt(3)) - 1) < 0.01);
  assert.deepEqual(kaimingNormal(50), { kind: 'normal', std: Math.SQRT2 / Math.sqrt(50) }); // 0.2
  const k = stats(fillInit(kaimingNormal(50), N, new Rng(7)));
  assert.ok(Math.abs(k.std / 0.2 - 1) < 0.01, `std ${k.std}`);
});
