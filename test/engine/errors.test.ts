// Mistakes give errors that name the tensors, show both shapes and suggest the fix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Graph } from '../../src/engine/graph.js';
import * as op from '../../src/engine/ops/index.js';
import { CompiledGraph } from '../../src/engine/session.js';
import { grad } from '../../src/engine/autodiff.js';

test('broadcast mismatch names both shapes', () => {
  const g = new Graph();
  const a = g.input('a', [2, 3]);
  const b = g.input('b', [4]);
  assert.throws(() => op.add(a, b), /Add: shapes \[2, 3\] and \[4\] do not broadcast.*reshape/);
});

test('matmul inner dimension mismatch names the tensors', () => {
  const g = new Graph();
  const x = g.input('x', [5, 3]);
  const w = g.param('w', [4, 2]);
  assert.throws(() => op.matmul(x, w), /matmul: inner dimensions differ: 'x' \[5, 3\] float32 @ 'w' \[4, 2\] float32 \(3 vs 4\)/);
});

test('dtype mismatch suggests a cast', () => {
  const g = new Graph();
  assert.throws(() => op.add(g.input('i', [2], 'int64'), g.input('f', [2])), /dtype mismatch.*cast\(\)/);
});

test('reshape with the wrong element count', () => {
  const g = new Graph();
  assert.throws(() => op.reshape(g.input('x', [2, 3]), [4, -1]), /cannot reshape 'x' \[2, 3\] float32 \(6 elements\) to \[4, -1\]/);
});

test('duplicate parameter names are refused', () => {
  const g = new Graph();
  g.scope('enc', () => g.param('w', [2]));
  assert.throws(() => g.scope('enc', () => g.param('w', [2])), /parameter 'enc.w' is declared twice/);
});

test('feeding a wrong shape or dtype names the input', async () => {
  const g = new Graph();
  const x = g.input('x', [2, 2]);
  const c = await CompiledGraph.create(g, [x], { y: op.mul(x, 2) }, { threads: 1 });
  await assert.rejects(c.run({ x: { dtype: 'float32', shape: [4], data: new Float32Array(4) } }), /tensor 'x': expected shape \[2, 2\], got \[4\]/);
  await assert.rejects(c.run({ x: { dtype: 'float64', shape: [2, 2], data: new Float64Array(4) } }), /input 'x' must be float32, got float64/);
  await assert.rejects(c.run({}), /missing input 'x'/);
  await c.release();
});

test('grad of a non-scalar is refused; unused parameters get zero gradients', async () => {
  const g = new Graph();
  const w = g.param('w', [3]);
  const u = g.param('unused', [2]);
  assert.throws(() => grad(op.mul(w, 2), [w]), /loss must be a scalar/);
  const [gw, gu] = grad(op.reduceSum(op.mul(w, w)), [w, u]);
  const c = await CompiledGraph.create(g, [w, u], { gw, gu }, { threads: 1 });
  const out = await c.run({
    w: { dtype: 'float32', shape: [3], data: Float32Array.of(1, 2, 3) },
    unused: { dtype: 'float32', shape: [2], data: Float32Array.of(5, 6) },
  });
  assert.deepEqual(Array.from(out.gw.data as Float32Array), [2, 4, 6]);
  assert.deepEqual(Array.from(out.gu.data as Float32Array), [0, 0]);
  await c.release();
});

test('saveOnnxTo writes a loadable model file', async () => {
  const fs = await import('node:fs');
  const path = (await import('node:path')).join((await import('node:os')).tmpdir(), `mm1-save-${process.pid}.onnx`);
  const g = new Graph();
  const x = g.input('x', [2]);
  const c = await CompiledGraph.create(g, [x], { y: op.exp(x) }, { threads: 1, saveOnnxTo: path });
  assert.ok(fs.statSync(path).size > 50);
  fs.rmSync(path);
  await c.release();
});
