import { test } from 'node:test';
import * as op from '../../src/engine/ops/index.js';
import { gradCheck } from '../helpers/gradcheck.js';

test('matmul: plain, batched, broadcast batch, [B,T,D] @ [D,E]', async () => {
  await gradCheck(
    [
      [3, 4],
      [4, 5],
    ],
    ([a, b]) => op.matmul(a, b),
  );
  await gradCheck(
    [
      [2, 3, 4],
      [2, 4, 5],
    ],
    ([a, b]) => op.matmul(a, b),
  );
  await gradCheck(
    [
      [2, 1, 3, 4],
      [3, 4, 2],
    ],
    ([a, b]) => op.matmul(a, b),
  );
  await gradCheck(
    [
      [2, 3, 4],
      [4, 6],
    ],
    ([a, b]) => op.matmul(a, b),
  );
});
test('reshape, transpose, expand', async () => {
  await gradCheck([[2, 3, 4]], ([a]) => op.reshape(a, [6, -1]));
  await gradCheck([[2, 3, 4]], ([a]) => op.transpose(a, [2, 0, 1]));
  await gradCheck([[3, 1]], ([a]) => op.expand(a, [2, 3, 4]));
});
test('slice, concat, split (with an unused part)', async () => {
  await gradCheck([[4, 5]], ([a]) => op.slice(a, 1, 1, 4));
  await gradCheck(
    [
      [2, 3],
      [2, 2],
    ],
    ([a, b]) => op.concat([a, b, a], 1),
  );
  await gradCheck([[5, 3]], ([a]) => op.split(a, 0, [2, 3])[1]);
});
test('reductions: sum, mean, max', async () => {
  await gradCheck([[2, 3, 4]], ([a]) => op.reduceSum(a, [1]));
  await gradCheck([[2, 3, 4]], ([a]) => op.reduceMean(a, [0, 2], true));
  await gradCheck([[2, 3, 4]], ([a]) => op.reduceMax(a, [-1]));
});
test('softmax, log-softmax', async () => {
  await gradCheck([[3, 5]], ([a]) => op.softmax(a, -1));
  await gradCheck([[3, 5]], ([a]) => op.softmax(a, 0));
  await gradCheck([[3, 5]], ([a]) => op.logSoftmax(a, -1));
});
test('layer norm (float32: ONNX Runtime has no float64 kernel) and rms norm', async () => {
  await gradCheck([[3, 4, 8], [8], [8]], ([x, s, b]) => op.layerNorm(x, s, b), { dtype: 'float32' });
  await gradCheck([[3, 8], [8]], ([x, w]) => op.rmsNorm(x, w));
});
test('gather (embedding lookup, repeated indices accumulate)', async () => {
  await gradCheck([[6, 4]], ([table]) => op.gather(table, op.constant(table.graph, [1, 5, 1, 0, 1, 3], 'int64', [2, 3])));
});
// Conv, AveragePool and SoftmaxCrossEntropyLoss have no float64 CPU kernels in ONNX Runtime: checked in float32.
test('conv2d: stride, padding, groups, depthwise; avg pool', async () => {
  const f32 = { dtype: 'float32' as const };
  await gradCheck([[2, 3, 6, 6], [4, 3, 3, 3], [4]], ([x, w, b]) => op.conv2d(x, w, b, { padding: 1 }), f32);
  await gradCheck(
    [
      [1, 2, 7, 7],
      [3, 2, 3, 3],
    ],
    ([x, w]) => op.conv2d(x, w, null, { stride: 2, padding: 1 }),
    f32,
  );
  await gradCheck(
    [
      [2, 4, 5, 5],
      [6, 2, 3, 3],
    ],
    ([x, w]) => op.conv2d(x, w, null, { groups: 2 }),
    f32,
  );
  await gradCheck(
    [
      [1, 4, 6, 6],
      [4, 1, 3, 3],
    ],
    ([x, w]) => op.conv2d(x, w, null, { groups: 4, padding: 1 }),
    f32,
  );
  await gradCheck(
    [
      [2, 3, 4, 4],
      [5, 3, 1, 1],
    ],
    ([x, w]) => op.conv2d(x, w, null),
    f32,
  );
  await gradCheck([[2, 3, 6, 6]], ([x]) => op.avgPool2d(x, 2), f32);
  await gradCheck([[1, 2, 7, 7]], ([x]) => op.avgPool2d(x, 3), f32);
});
test('cross-entropy with ignored labels', async () => {
  await gradCheck([[5, 7]], ([z]) => op.crossEntropy(z, op.constant(z.graph, [3, -100, 0, 6, -100], 'int64', [5])), { dtype: 'float32' });
});
