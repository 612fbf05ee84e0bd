// Whether ONNX Runtime's threads spin-wait is a speed choice only: the switch is read as
// documented, and a graph gives bit-identical outputs with spinning on and off.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Graph } from '../../src/engine/graph.js';
import * as op from '../../src/engine/ops/index.js';
import { CompiledGraph, ortSpinning } from '../../src/engine/session.js';
import { Rng } from '../../src/engine/rng.js';

test('MM1_ORT_SPINNING=1/0 decides; any other value fails naming it; unset means off', () => {
  assert.equal(ortSpinning({ MM1_ORT_SPINNING: '1' }), true);
  assert.equal(ortSpinning({ MM1_ORT_SPINNING: '0' }), false);
  assert.throws(() => ortSpinning({ MM1_ORT_SPINNING: 'yes' }), /MM1_ORT_SPINNING must be 1 .* or 0 .*got 'yes'/);
  assert.equal(ortSpinning({}), false);
});

test('spinning on and off give bit-identical outputs', async () => {
  const g = new Graph('spin');
  const a = g.input('a', [64, 96]);
  const b = g.input('b', [96, 32]);
  const outputs = { c: op.softmax(op.matmul(a, b), -1) };
  const rng = new Rng(4);
  const feed = (shape: number[]) => ({ dtype: 'float32' as const, shape, data: Float32Array.from({ length: shape[0] * shape[1] }, () => rng.normal()) });
  const feeds = { a: feed([64, 96]), b: feed([96, 32]) };
  const results = [];
  for (const spinning of [true, false]) {
    const c = await CompiledGraph.create(g, [a, b], outputs, { spinning, threads: 2 });
    results.push((await c.run(feeds)).c.data);
    await c.release();
  }
  assert.deepEqual(results[1], results[0]);
});
