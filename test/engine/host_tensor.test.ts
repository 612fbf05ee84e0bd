import assert from 'node:assert/strict';
import { test } from 'node:test';
import { assertShape, hostTensor, numel, zerosTensor } from '../../src/engine/host_tensor.js';

test('numel and zeros cover scalars and empty shapes', () => {
  assert.equal(numel([]), 1);
  assert.equal(numel([2, 0, 3]), 0);
  assert.deepEqual(zerosTensor('int64', [2]), { dtype: 'int64', shape: [2], data: new BigInt64Array(2) });
});

test('errors name the tensor and both shapes or types', () => {
  assert.throws(() => assertShape('blocks.0.wq', [64, 32], [64, 64]), /tensor 'blocks.0.wq' has shape \[64, 32\], expected \[64, 64\]/);
  assert.throws(() => hostTensor('int32', [2], new Float32Array(2), 'ids'), /ids: dtype int32 needs a Int32Array, got a Float32Array/);
  assert.throws(() => hostTensor('float32', [2, 2], new Float32Array(3), 'w'), /w: shape \[2, 2\] needs 4 elements, data has 3/);
});
