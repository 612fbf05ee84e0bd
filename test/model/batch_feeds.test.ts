// int64Of writes each value's two 32-bit halves instead of one BigInt (batch_feeds.ts): the
// halves must be the low word and the sign, for negative ids (IGNORE_INDEX, −1) and both ends of
// the int32 range alike.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { int64Of, spliceIndex } from '../../src/model/build/batch_feeds.js';

test('int64Of widens int32 values exactly, negatives and the range ends included', () => {
  const values = Int32Array.of(-(2 ** 31), -100, -1, 0, 1, 7, 2 ** 31 - 1);
  assert.deepEqual([...int64Of(values.length, (i) => values[i])], [...values].map(BigInt));
});

test('spliceIndex: text positions keep their row, image positions go past the text rows', () => {
  // 4 text/image positions, 3 image-token rows: p → p for text (−1), n + i for image row i
  assert.deepEqual([...spliceIndex(Int32Array.of(-1, 0, 2, -1), 3)], [0n, 4n, 6n, 3n]);
  assert.throws(() => spliceIndex(Int32Array.of(-1, 3), 3), /imageTokenIndex\[1\] = 3, but the batch has only 3 image-token rows/);
});
