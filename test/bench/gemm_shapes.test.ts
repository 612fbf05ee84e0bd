// The step's GEMM list and the FLOP-weighted rate used to judge the step against the best GEMM
// at its own shapes (bench/gemm_shapes.ts), checked against figures worked by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mixRate, stepGemms } from '../../bench/gemm_shapes.js';
import { recipeModel } from '../../src/model/build/recipes.js';

test("the bench recipe's linear GEMMs: 6 FLOPs per weight per row, forward and both gradients", () => {
  const gemms = stepGemms(recipeModel('bench'), 8, 256, 1);
  // LLM, 2048 rows: per layer q k v o 4·256² + gate up down 3·256·704 = 802,816 weights, ×4, + LM head 256·2048.
  // ViT, 8 images × 64 patches = 512 rows: per layer 4·192² + 2·192·768 = 442,368 weights, ×4.
  const byHand = (6 * 2048 * (4 * 802_816 + 256 * 2048) + 6 * 512 * 4 * 442_368) / 1e9;
  const total = gemms.reduce((s, g) => s + g.gflop, 0);
  assert.ok(Math.abs(total - byHand) < 1e-9, `${total} vs ${byHand}`);
  const down = gemms.find((g) => g.shape === '704x2048x256'); // down_proj's weight gradient [704, 2048] × [2048, 256], once per layer
  assert.equal(down?.calls, 4);
  assert.equal(gemms.find((g) => g.shape === '2048x256x704')?.calls, 12); // gate, up forward (8) + down's input gradient (4)
});

test('the mix rate is the FLOP-weighted harmonic mean: equal work at 100 and 50 GFLOP/s is 66.7', () => {
  const gemms = [
    { shape: 'a', calls: 1, gflop: 2 },
    { shape: 'b', calls: 1, gflop: 2 },
  ];
  assert.ok(Math.abs(mixRate(gemms, { a: 100, b: 50 }) - 200 / 3) < 1e-9);
  assert.equal(mixRate(gemms, { a: 80, b: 80 }), 80);
});
