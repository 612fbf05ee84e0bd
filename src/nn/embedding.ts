// Token embedding table: ids [...] -> vectors [..., D].
import type { Graph, Tensor } from '../engine/graph.js';
import * as op from '../engine/ops/index.js';

export function embeddingTable(g: Graph, name: string, vocab: number, dim: number, std = 0.02): Tensor {
  return g.scope(name, () => g.param('weight', [vocab, dim], { kind: 'normal', std }));
}

export function embed(table: Tensor, ids: Tensor): Tensor {
  return op.gather(table, ids, 0);
}
