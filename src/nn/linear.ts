// Linear layer y = x·W + b. W is stored [in, out] so the forward is one GEMM with no
// transpose; HF checkpoints ([out, in]) are transposed once at import/export.
import type { Graph, Tensor } from '../engine/graph.js';
import * as op from '../engine/ops/index.js';

export interface LinearOptions {
  bias?: boolean;
  /** Std of the normal init (default 0.02, as GPT-2/Llama/CLIP). */
  std?: number;
}

/** x [..., in] -> [..., out]; parameters `<name>.weight` [in, out] and `<name>.bias` [out]. */
export function linear(g: Graph, name: string, x: Tensor, out: number, opts: LinearOptions = {}): Tensor {
  const inDim = x.shape[x.rank - 1];
  return g.scope(name, () => {
    const w = g.param('weight', [inDim, out], { kind: 'normal', std: opts.std ?? 0.02 });
    // Fold leading axes into rows: one 2-D GEMM forward and one for dW backward.
    const rows = x.shape.slice(0, -1);
    const x2 = x.rank === 2 ? x : op.reshape(x, [-1, inDim]);
    let y = op.matmul(x2, w);
    if (opts.bias ?? true) y = op.add(y, g.param('bias', [out], { kind: 'constant', value: 0 }));
    return x.rank === 2 ? y : op.reshape(y, [...rows, out]);
  });
}
