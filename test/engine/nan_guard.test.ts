import assert from 'node:assert/strict';
import { test } from 'node:test';
import { NonFiniteError, assertFinite } from '../../src/engine/nan_guard.js';

test('finite tensors pass', () => {
  assertFinite(0, { w: Float32Array.of(0, -3.4e38, 3.4e38, 1e-45), empty: new Float32Array(0) });
});

test('NaN and ±Inf stop with the step, the first offending tensor and its index', () => {
  const grads = new Map([
    ['grad.a', Float32Array.of(1, 2, 3)],
    ['grad.b', Float32Array.of(0, 0, 0, 0, 0, NaN, Infinity)],
    ['grad.c', Float32Array.of(-Infinity)],
  ]);
  assert.throws(() => assertFinite(12, grads), (err: unknown) => {
    assert.ok(err instanceof NonFiniteError);
    assert.deepEqual([err.step, err.tensor, err.index], [12, 'grad.b', 5]);
    assert.match(err.message, /^step 12: 'grad.b' has NaN at index 5\. /);
    return true;
  });
  assert.throws(() => assertFinite(3, [['loss', Float32Array.of(-Infinity)]]), /step 3: 'loss' has -Infinity at index 0/);
  assert.throws(() => assertFinite(4, { w: Float32Array.of(1, Infinity) }), /step 4: 'w' has Infinity at index 1/);
});
