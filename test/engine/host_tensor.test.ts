import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkHostTensor, sameShape, shapeString } from '../../src/engine/host_tensor.js';

test('shape helpers', () => {
  assert.equal(shapeString([2, 3]), '[2, 3]');
  assert.equal(shapeString([]), '[]');
  assert.ok(sameShape([2, 3], [2, 3]) && !sameShape([2, 3], [3, 2]) && !sameShape([2], [2, 1]));
});

test('checkHostTensor names the tensor and what is wrong', () => {
  checkHostTensor('ok', { dtype: 'bool', shape: [2], data: new Uint8Array(2) });
  assert.throws(
    () => checkHostTensor('ids', { dtype: 'int32', shape: [2], data: new Float32Array(2) }),
    /tensor 'ids': dtype int32 needs a Int32Array, got a Float32Array/,
  );
  assert.throws(
    () => checkHostTensor('w', { dtype: 'float32', shape: [2, 2], data: new Float32Array(3) }),
    /tensor 'w': shape \[2, 2\] needs 4 elements, data has 3/,
  );
});
