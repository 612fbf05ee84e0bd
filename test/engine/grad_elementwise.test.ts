import { test } from 'node:test';
import * as op from '../../src/engine/ops/index.js';
import { gradCheck } from '../helpers/gradcheck.js';

const pos = { init: (r: { next(): number }) => 0.5 + r.next() * 2 };

test('add/sub/mul/div with broadcasting', async () => {
  await gradCheck(
    [
      [2, 3, 4],
      [3, 1],
    ],
    ([a, b]) => op.add(a, b),
  );
  await gradCheck([[2, 3, 4], [4]], ([a, b]) => op.sub(a, b));
  await gradCheck(
    [
      [3, 1, 4],
      [2, 1],
    ],
    ([a, b]) => op.mul(a, b),
  );
  await gradCheck(
    [
      [2, 3],
      [2, 1],
    ],
    ([a, b]) => op.div(a, op.add(op.mul(b, b), 1)),
  );
});
test('neg, pow, sqrt, rsqrt, exp, log', async () => {
  await gradCheck([[5]], ([a]) => op.neg(a));
  await gradCheck([[2, 3], [3]], ([a, b]) => op.pow(a, b), pos);
  await gradCheck([[2, 3]], ([a]) => op.pow(a, 3));
  await gradCheck([[4, 3]], ([a]) => op.sqrt(a), pos);
  await gradCheck([[4, 3]], ([a]) => op.rsqrt(a), pos);
  await gradCheck([[4, 3]], ([a]) => op.exp(a));
  await gradCheck([[4, 3]], ([a]) => op.log(a), pos);
});
test('tanh, sigmoid, relu, silu, maximum', async () => {
  await gradCheck([[4, 3]], ([a]) => op.tanh(a));
  await gradCheck([[4, 3]], ([a]) => op.sigmoid(a));
  await gradCheck([[4, 3]], ([a]) => op.relu(a));
  await gradCheck([[4, 3]], ([a]) => op.silu(a));
  await gradCheck([[4, 3], [3]], ([a, b]) => op.maximum(a, b));
});
test('gelu (erf form, float32) and gelu (tanh form)', async () => {
  // ONNX Runtime's CPU Erf kernel exists for float32 only.
  await gradCheck([[4, 5]], ([a]) => op.gelu(a), { dtype: 'float32' });
  await gradCheck([[4, 5]], ([a]) => op.geluTanh(a));
});
test('where and cast', async () => {
  await gradCheck(
    [
      [3, 4],
      [3, 4],
    ],
    ([a, b]) => op.where(op.greater(a, b), op.mul(a, 2), op.mul(b, 3)),
  );
  // A float32 detour limits precision: use a larger step.
  await gradCheck([[3, 4]], ([a]) => op.cast(op.mul(op.cast(a, 'float32'), 2), 'float64'), { eps: 1e-3, tol: 1e-4 });
});
