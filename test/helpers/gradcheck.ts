// Checks a graph's analytic gradients against central finite differences: for each
// input, the directional derivative along a random direction v must match <grad, v>.
// Parameters that `build` declares itself (module weights) are checked the same way.
import assert from 'node:assert/strict';
import { Graph, type Tensor } from '../../src/engine/graph.js';
import { grad } from '../../src/engine/autodiff.js';
import { CompiledGraph } from '../../src/engine/session.js';
import { Rng } from '../../src/engine/rng.js';
import * as op from '../../src/engine/ops/index.js';
import type { HostTensor } from '../../src/engine/host_tensor.js';

export interface GradCheckOptions {
  dtype?: 'float32' | 'float64';
  seed?: number;
  /** Input values are drawn from this function (default standard normal). */
  init?: (rng: Rng, inputIndex: number) => number;
  eps?: number;
  tol?: number;
  /** Std of the normal values given to parameters declared inside `build` (default 0.5). */
  paramStd?: number;
}

export async function gradCheck(shapes: number[][], build: (xs: Tensor[]) => Tensor, opts: GradCheckOptions = {}): Promise<void> {
  const dtype = opts.dtype ?? 'float64';
  const rng = new Rng(opts.seed ?? 1);
  const eps = opts.eps ?? (dtype === 'float64' ? 1e-6 : 1e-2);
  const tol = opts.tol ?? (dtype === 'float64' ? 1e-6 : 2e-2);
  const g = new Graph('gradcheck');
  const xs = shapes.map((s, i) => g.param(`x${i}`, s, undefined, dtype));
  const y = build(xs);
  // The declared inputs first, then any module parameters build created.
  const params = g.params;
  const allShapes = params.map((p) => [...p.shape]);
  // Weight the output with fixed random numbers so every output element matters differently.
  const n = y.shape.reduce((p, d) => p * d, 1);
  const r = op.constant(
    g,
    Array.from({ length: n }, () => rng.normal()),
    dtype,
    [...y.shape],
  );
  const loss = op.reduceSum(op.mul(y, r));
  const gs = grad(loss, params);
  const outputs: Record<string, Tensor> = { loss };
  gs.forEach((t, i) => (outputs[`g${i}`] = t));
  const compiled = await CompiledGraph.create(g, params, outputs, { threads: 1 });
  type Arr = Float32Array | Float64Array;
  const make = (n: number, f: (k: number) => number): Arr =>
    dtype === 'float64' ? Float64Array.from({ length: n }, (_, k) => f(k)) : Float32Array.from({ length: n }, (_, k) => f(k));
  const draw = (i: number) => (i >= xs.length ? rng.normal() * (opts.paramStd ?? 0.5) : opts.init ? opts.init(rng, i) : rng.normal());
  const values = allShapes.map((s, i) =>
    make(
      s.reduce((p, d) => p * d, 1),
      () => draw(i),
    ),
  );
  const feeds = (vals: Arr[]) => {
    const f: Record<string, HostTensor> = {};
    params.forEach((x, i) => (f[x.name] = { dtype: x.dtype, shape: [...x.shape], data: vals[i] }));
    return f;
  };
  const base = await compiled.run(feeds(values));
  for (let i = 0; i < params.length; i++) {
    const v = make(values[i].length, () => rng.normal());
    const shifted = (sign: number) => values.map((val, j) => (j === i ? make(val.length, (k) => val[k] + sign * eps * v[k]) : val));
    const lp = Number((await compiled.run(feeds(shifted(1)))).loss.data[0]);
    const lm = Number((await compiled.run(feeds(shifted(-1)))).loss.data[0]);
    const numeric = (lp - lm) / (2 * eps);
    const gi = base[`g${i}`].data as Float64Array;
    let analytic = 0;
    for (let k = 0; k < v.length; k++) analytic += gi[k] * v[k];
    const scale = Math.max(1, Math.abs(numeric), Math.abs(analytic));
    assert.ok(
      Math.abs(numeric - analytic) <= tol * scale,
      `${params[i].name} [${allShapes[i]}]: finite difference ${numeric} vs analytic ${analytic} (diff ${Math.abs(numeric - analytic)}, tol ${tol * scale})`,
    );
  }
  await compiled.release();
}
