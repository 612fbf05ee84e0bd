// Parameter values on the host, keyed by full parameter name, initialised
// deterministically: each parameter draws from its own stream forked from the seed and
// its name, so adding a module does not change the initial values of the others.
import type { Graph, ParamInit, Tensor } from './graph.js';
import { numel, type HostTensor } from './host_tensor.js';
import { Rng } from './rng.js';

export type ParamValues = Map<string, HostTensor>;

export function fillInit(init: ParamInit, n: number, rng: Rng): Float32Array {
  const out = new Float32Array(n);
  switch (init.kind) {
    case 'constant':
      out.fill(init.value);
      break;
    case 'normal':
      for (let i = 0; i < n; i++) out[i] = rng.normal() * init.std;
      break;
    case 'truncnormal':
      // Resample outside ±2σ, as timm's trunc_normal_tf_ does.
      for (let i = 0; i < n; i++) {
        let z = rng.normal();
        while (Math.abs(z) > 2) z = rng.normal();
        out[i] = z * init.std;
      }
      break;
    case 'uniform':
      for (let i = 0; i < n; i++) out[i] = (rng.next() * 2 - 1) * init.bound;
      break;
  }
  return out;
}

/** Initial values for every parameter of `g` (or the given subset). */
export function initParams(g: Graph, seed: number, params: Tensor[] = g.params): ParamValues {
  const root = new Rng(seed);
  const values: ParamValues = new Map();
  for (const p of params) {
    if (p.dtype !== 'float32') throw new Error(`initParams: parameter ${p.describe()} must be float32`);
    const init = g.paramInits.get(p.id) ?? { kind: 'normal', std: 0.02 };
    values.set(p.name, { dtype: 'float32', shape: [...p.shape], data: fillInit(init, numel(p.shape), root.fork(p.name)) });
  }
  return values;
}

export function countParams(values: ParamValues): number {
  let n = 0;
  for (const v of values.values()) n += numel(v.shape);
  return n;
}
