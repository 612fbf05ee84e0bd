// Batched, broadcasting matrix product and its gradient.
import type { Tensor } from '../graph.js';
import { registerGrad } from '../grad_registry.js';
import { broadcastShapes, sameDtype, shapeStr } from './util.js';
import { reshape, transposeLast2 } from './shape.js';
import { sumToShape } from './reduce.js';

/** a [..., M, K] @ b [..., K, N] -> [..., M, N]; batch axes broadcast. */
export function matmul(a: Tensor, b: Tensor): Tensor {
  sameDtype('matmul', a, b);
  if (a.rank < 2 || b.rank < 2)
    throw new Error(`matmul: both sides need rank >= 2, got ${a.describe()} and ${b.describe()}; reshape vectors to [1, K] or [K, 1]`);
  const [m, k] = a.shape.slice(-2);
  const [k2, n] = b.shape.slice(-2);
  if (k !== k2) throw new Error(`matmul: inner dimensions differ: ${a.describe()} @ ${b.describe()} (${k} vs ${k2})`);
  const batch = broadcastShapes('matmul', a.shape.slice(0, -2), b.shape.slice(0, -2));
  return a.graph.node('MatMul', [a, b], [{ shape: [...batch, m, n], dtype: a.dtype }])[0];
}

registerGrad('MatMul', (node, [gy]) => {
  const [a, b] = node.inputs as Tensor[];
  const ga = sumToShape(matmul(gy!, transposeLast2(b)), a.shape);
  let gb: Tensor;
  if (b.rank === 2 && a.rank > 2) {
    // x [B, T, D] @ W [D, E]: fold the batch into rows so dW is one GEMM, not B GEMMs and a sum.
    const rows = a.shape.slice(0, -1).reduce((p, d) => p * d, 1);
    gb = matmul(transposeLast2(reshape(a, [rows, a.shape[a.rank - 1]])), reshape(gy!, [rows, gy!.shape[gy!.rank - 1]]));
  } else {
    gb = sumToShape(matmul(transposeLast2(a), gy!), b.shape);
  }
  if (gb.shape.length !== b.rank || gb.shape.some((d, i) => d !== b.shape[i])) throw new Error(`matmul grad: ${shapeStr(gb.shape)} vs ${b.describe()}`);
  return [ga, gb];
});
