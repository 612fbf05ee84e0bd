import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NonFiniteError, checkFinite } from '../../src/engine/finite.js';
import { hostF32, type HostTensor } from '../../src/engine/host_tensor.js';

test('finite tensors pass; integer tensors are not mistaken for non-finite', () => {
  checkFinite(0, {
    w: hostF32([4], [0, -3.4e38, 3.4e38, 1e-45]),
    empty: hostF32([0]),
    ids: { dtype: 'int64', shape: [2], data: BigInt64Array.of(5n, -1n) },
    f64: { dtype: 'float64', shape: [1], data: Float64Array.of(1e300) },
  });
});

test('NaN and ±Inf stop with the step, the first offending tensor and its index', () => {
  const grads = new Map<string, HostTensor>([
    ['grad.a', hostF32([3], [1, 2, 3])],
    ['grad.b', hostF32([7], [0, 0, 0, 0, 0, NaN, Infinity])],
    ['grad.c', hostF32([1], [-Infinity])],
  ]);
  assert.throws(
    () => checkFinite(12, grads),
    (err: unknown) => {
      assert.ok(err instanceof NonFiniteError);
      assert.deepEqual([err.step, err.tensor, err.index], [12, 'grad.b', 5]);
      assert.match(err.message, /^step 12: 'grad.b' has NaN at index 5; lower the learning rate/);
      return true;
    },
  );
  assert.throws(() => checkFinite(3, { loss: hostF32([], [-Infinity]) }), /step 3: 'loss' has -Infinity at index 0/);
  assert.throws(() => checkFinite(4, { w: { dtype: 'float64', shape: [2], data: Float64Array.of(1, Infinity) } }), /step 4: 'w' has Infinity at index 1/);
});
