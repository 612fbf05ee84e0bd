// Matrix-product nodes out of an ONNX Runtime profile (bench/profile_gemms.ts): FLOPs from the
// profiled shapes, and per-group least / median kernel times, against figures worked by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gemmFlops, gemmNodeStats, type ProfileEvent } from '../../bench/profile_gemms.js';

test('FLOPs of a product from its A and output shapes: plain, batched, and with A transposed', () => {
  assert.equal(gemmFlops([5120, 128], [5120, 384]), 2 * 5120 * 128 * 384);
  assert.equal(gemmFlops([16, 4, 320, 32], [16, 4, 320, 320]), 2 * 64 * 320 * 32 * 320); // QKᵀ per head
  assert.equal(gemmFlops([5120, 128], [128, 384]), 2 * 128 * 5120 * 384); // weight gradient xᵀ·dy, A = x [M=5120 rows, K=128]
});

const kernel = (name: string, op: string, a: number[], b: number[], out: number[], dur: number): ProfileEvent => ({
  cat: 'Node',
  name: `${name}_kernel_time`,
  ts: 0,
  dur,
  args: { op_name: op, input_type_shape: [{ float: a }, { float: b }], output_type_shape: [{ float: out }] },
});

test('nodes group by op and shapes; each node adds its own least and median time over the runs', () => {
  const events = [
    // two nodes of one shape over three runs: least 10 + 20, median 12 + 21
    ...[10, 12, 30].map((d) => kernel('q', 'MatMul', [64, 8], [8, 4], [64, 4], d)),
    ...[20, 21, 50].map((d) => kernel('k', 'MatMul', [64, 8], [8, 4], [64, 4], d)),
    kernel('g', 'Gemm', [64, 8], [8, 4], [64, 4], 5),
    kernel('relu', 'Relu', [64, 4], [], [64, 4], 99), // not a product: left out
    { cat: 'Session', name: 'model_run', ts: 0, dur: 1000 },
  ];
  const groups = gemmNodeStats(events);
  assert.deepEqual(
    groups.map((g) => [g.op, g.nodes, g.flops, g.leastUs, g.medianUs]),
    [
      ['MatMul', 2, 2 * 2 * 64 * 8 * 4, 30, 33],
      ['Gemm', 1, 2 * 64 * 8 * 4, 5, 5],
    ],
  );
});
