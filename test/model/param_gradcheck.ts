// Finite-difference check of a model's parameter gradients (float32 graphs built from nn/
// modules): for each parameter, the directional derivative of the loss along a random
// direction must match <grad, direction>. Parameters get O(1) random values first, so
// gradients are large against float32 rounding of the loss.
import assert from 'node:assert/strict';
import type { Graph, Tensor } from '../../src/engine/graph.js';
import { grad } from '../../src/engine/autodiff.js';
import type { HostTensor } from '../../src/engine/host_tensor.js';
import type { ParamValues } from '../../src/engine/param_store.js';
import { Rng } from '../../src/engine/rng.js';
import { CompiledGraph } from '../../src/engine/session.js';

export function randomParams(g: Graph, seed: number, std = 0.3): ParamValues {
  const rng = new Rng(seed);
  const out: ParamValues = new Map();
  for (const p of g.params) {
    const n = p.shape.reduce((a, d) => a * d, 1);
    // Norm weights around 1, everything else around 0.
    const base = p.name.endsWith('norm.weight') ? 1 : 0;
    out.set(p.name, { dtype: 'float32', shape: [...p.shape], data: Float32Array.from({ length: n }, () => base + std * rng.normal()) });
  }
  return out;
}

/** Checks d loss / d p for every parameter of g; returns the analytic directional derivatives by name. */
export async function checkParamGrads(
  g: Graph,
  loss: Tensor,
  data: Record<string, HostTensor>,
  params: ParamValues,
  opts: { eps?: number; tol?: number; seed?: number } = {},
): Promise<Map<string, number>> {
  const eps = opts.eps ?? 1e-3;
  const tol = opts.tol ?? 1e-2;
  const grads = grad(loss, g.params);
  const outputs: Record<string, Tensor> = { loss };
  grads.forEach((t, i) => (outputs[`grad${i}`] = t));
  const compiled = await CompiledGraph.create(g, [...g.inputs, ...g.params], outputs, { threads: 1 });
  const feeds = (override?: [string, HostTensor]) => {
    const f: Record<string, HostTensor> = { ...data };
    for (const [k, v] of params) f[k] = v;
    if (override) f[override[0]] = override[1];
    return f;
  };
  const base = await compiled.run(feeds());
  const rng = new Rng(opts.seed ?? 7);
  const analytic = new Map<string, number>();
  for (const [i, p] of g.params.entries()) {
    const value = params.get(p.name)!.data as Float32Array;
    const v = Float64Array.from(value, () => rng.normal());
    const at = async (sign: number) => {
      const moved: HostTensor = { dtype: 'float32', shape: [...p.shape], data: Float32Array.from(value, (x, k) => x + sign * eps * v[k]) };
      return Number((await compiled.run(feeds([p.name, moved]))).loss.data[0]);
    };
    const numeric = ((await at(1)) - (await at(-1))) / (2 * eps);
    const gi = base[`grad${i}`].data as Float32Array;
    let dot = 0;
    for (let k = 0; k < v.length; k++) dot += gi[k] * v[k];
    analytic.set(p.name, dot);
    const scale = Math.max(0.05, Math.abs(numeric), Math.abs(dot));
    if (process.env.GC_DEBUG) console.log(p.name, numeric, dot);
    assert.ok(Math.abs(numeric - dot) <= tol * scale, `${p.describe()}: finite difference ${numeric} vs analytic ${dot}`);
  }
  await compiled.release();
  return analytic;
}
