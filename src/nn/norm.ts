// Normalisation layers with their parameters.
import type { Graph, Tensor } from '../engine/graph.js';
import * as op from '../engine/ops/index.js';

/** LayerNorm over the last axis; parameters `<name>.weight`, `<name>.bias`. */
export function layerNormLayer(g: Graph, name: string, x: Tensor, opts: { eps?: number; bias?: boolean } = {}): Tensor {
  const d = x.shape[x.rank - 1];
  return g.scope(name, () => {
    const w = g.param('weight', [d], { kind: 'constant', value: 1 });
    const b = (opts.bias ?? true) ? g.param('bias', [d], { kind: 'constant', value: 0 }) : null;
    return op.layerNorm(x, w, b, opts.eps ?? 1e-5);
  });
}

/** RMSNorm over the last axis (Llama); parameter `<name>.weight`. */
export function rmsNormLayer(g: Graph, name: string, x: Tensor, eps = 1e-6): Tensor {
  const d = x.shape[x.rank - 1];
  return g.scope(name, () => op.rmsNorm(x, g.param('weight', [d], { kind: 'constant', value: 1 }), eps));
}
