// MM1_ORT_THREADS: ONNX Runtime's intra-op thread count, read as documented in engine/session.ts.
import assert from 'node:assert/strict';
import os from 'node:os';
import { test } from 'node:test';
import { ortThreads } from '../../src/engine/session.js';

test('MM1_ORT_THREADS sets the thread count; unset is one per core; anything but a whole number ≥ 1 fails naming it', () => {
  assert.equal(ortThreads({}), os.availableParallelism());
  assert.equal(ortThreads({ MM1_ORT_THREADS: '1' }), 1);
  assert.equal(ortThreads({ MM1_ORT_THREADS: '12' }), 12);
  for (const bad of ['0', 'two', '1.5', '-1', ''])
    assert.throws(
      () => ortThreads({ MM1_ORT_THREADS: bad }),
      new RegExp(`MM1_ORT_THREADS must be a whole number of threads ≥ 1, got '${bad.replace('.', '\\.')}'`),
    );
});
