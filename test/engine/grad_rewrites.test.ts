// The gradient rules' rewritten forms (grad's `rewrites`, docs/performance.md "Session 14"):
// each against finite differences in float64, on graphs where the rewrite applies and where
// its condition fails half-way (a second reader), and each shown to fire (fewer nodes), so a
// rewrite that silently stopped applying fails here too; and geluTanh's σ form against the tanh form.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { grad } from '../../src/engine/autodiff.js';
import { Graph, liveNodes, type Tensor } from '../../src/engine/graph.js';
import * as op from '../../src/engine/ops/index.js';
import { CompiledGraph } from '../../src/engine/session.js';
import { gradCheck } from '../helpers/gradcheck.js';

/** softmax(q·kᵀ + mask)·v over q, k, v [B, H, T, Dh]. */
const attention = ([q, k, v]: Tensor[]) => {
  const t = q.shape[2];
  const mask = op.constant(
    q.graph,
    Array.from({ length: t * t }, (_, i) => (i % t <= Math.floor(i / t) ? 0 : -1e9)),
    q.dtype,
    [t, t],
  );
  return op.matmul(op.softmax(op.add(op.matmul(q, op.transposeLast2(k)), mask), -1), v);
};

test('attention: softmax row sums through O = P·V match finite differences', async () => {
  await gradCheck(
    [
      [2, 2, 4, 3],
      [2, 2, 4, 3],
      [2, 2, 4, 3],
    ],
    attention,
  );
  // P read twice (also returned): the row sums must come from dP itself.
  await gradCheck(
    [
      [1, 2, 3, 2],
      [1, 2, 3, 2],
      [1, 2, 3, 2],
    ],
    (xs) => {
      const p = op.softmax(op.matmul(xs[0], op.transposeLast2(xs[1])), -1);
      return op.add(op.matmul(p, xs[2]), op.reduceSum(p, [-1], true));
    },
  );
});

test('silu from σ and s matches finite differences, also when σ has another reader', async () => {
  await gradCheck([[3, 5]], ([a]) => op.silu(a));
  await gradCheck([[3, 5]], ([a]) => op.mul(op.sigmoid(a), a));
  await gradCheck([[3, 5]], ([a]) => {
    const s = op.sigmoid(a);
    return op.add(op.mul(a, s), op.mul(s, s));
  });
});

test('x·x as 2·(dy·x), and a mean divided before it is broadcast, match finite differences', async () => {
  await gradCheck([[3, 5]], ([a]) => op.mul(a, a));
  await gradCheck([[2, 3, 4]], ([a]) => op.mul(op.reduceMean(op.mul(a, a), [-1], true), a));
});

/** Live nodes of the gradients of sum(f(xs)·r) with rewrites on and off, by op type and output shape. */
function gradNodes(shapes: number[][], f: (xs: Tensor[]) => Tensor, rewrites: boolean): string[] {
  const g = new Graph('count');
  const xs = shapes.map((s, i) => g.param(`x${i}`, s, undefined, 'float64'));
  const y = f(xs);
  const r = op.constant(
    g,
    Array.from({ length: y.shape.reduce((p, d) => p * d, 1) }, (_, i) => Math.sin(i + 1)),
    'float64',
    [...y.shape],
  );
  const gs = grad(op.reduceSum(op.mul(y, r)), xs, { rewrites });
  return liveNodes(g, gs).map((n) => `${n.opType} [${n.outputs[0].shape}]`);
}
const count = (nodes: string[], key: string) => nodes.filter((n) => n === key).length;

test('each rewrite fires: fewer score-sized Muls in attention, fewer nodes in SiLU', () => {
  const shapes = [
    [2, 2, 8, 3],
    [2, 2, 8, 3],
    [2, 2, 8, 3],
  ];
  const plain = gradNodes(shapes, attention, false);
  const rewritten = gradNodes(shapes, attention, true);
  assert.equal(count(plain, 'Mul [2,2,8,8]'), 2, plain.join(', '));
  assert.equal(count(rewritten, 'Mul [2,2,8,8]'), 1, rewritten.join(', '));
  const silu = (rw: boolean) => gradNodes([[3, 5]], ([a]) => op.silu(a), rw).length;
  assert.ok(silu(true) < silu(false), `silu: ${silu(true)} nodes rewritten vs ${silu(false)} plain`);
});

test('geluTanh as x·σ(2u) is ½x(1 + tanh u) to float64 rounding, from −12 to 12', async () => {
  const g = new Graph('gelu_forms');
  const x = g.input('x', [97], 'float64');
  const u = op.mul(op.add(x, op.mul(op.mul(op.mul(x, x), x), 0.044715)), Math.sqrt(2 / Math.PI));
  const reference = op.mul(op.mul(x, 0.5), op.add(op.tanh(u), 1));
  const compiled = await CompiledGraph.create(g, [x], { ours: op.geluTanh(x), reference }, { threads: 1 });
  const xs = Float64Array.from({ length: 97 }, (_, i) => -12 + i / 4);
  const out = await compiled.run({ x: { dtype: 'float64', shape: [97], data: xs } });
  await compiled.release();
  const [a, b] = [out.ours.data, out.reference.data] as Float64Array[];
  xs.forEach((v, i) => assert.ok(Math.abs(a[i] - b[i]) <= 1e-12 * Math.max(1, Math.abs(v)), `x = ${v}: ${a[i]} vs ${b[i]}`));
});
