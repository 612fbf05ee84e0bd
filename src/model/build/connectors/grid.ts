// What every grid-based connector shares: the check that k tokens are possible for a patch
// grid, and adaptive average pooling of patch tokens written as one matmul with a fixed
// pooling matrix built on the host (works for any grid, and its gradient is a matmul too).
import type { Tensor } from '../../../engine/graph.js';
import * as op from '../../../engine/ops/index.js';
import type { ConnectorConfig } from '../config.js';

/** Side of the k-token square a pooling connector produces; errors name k, the grid and the fix. */
export function pooledSide(cfg: ConnectorConfig, grid: number): number {
  const k = cfg.tokens;
  const side = Math.round(Math.sqrt(k));
  if (side * side !== k) {
    const lo = Math.floor(Math.sqrt(k)) ** 2;
    const hi = Math.ceil(Math.sqrt(k)) ** 2;
    throw new Error(`connector '${cfg.kind}': tokens = ${k} is not a perfect square, so it cannot be a √k×√k grid of pooled tokens; use ${lo} or ${hi}`);
  }
  if (side > grid)
    throw new Error(
      `connector '${cfg.kind}': tokens = ${k} needs a ${side}×${side} output, larger than the ${grid}×${grid} patch grid (pooling cannot add tokens); use tokens ≤ ${grid * grid} or a higher image resolution`,
    );
  return side;
}

/**
 * PyTorch AdaptiveAvgPool2d as a matrix [out², G²] over row-major grids: output cell (i, j)
 * averages rows floor(i·G/out) … ceil((i+1)·G/out)−1, likewise columns (windows may overlap).
 */
export function adaptivePoolMatrix(grid: number, out: number): Float32Array {
  const m = new Float32Array(out * out * grid * grid);
  const start = (i: number) => Math.floor((i * grid) / out);
  const end = (i: number) => Math.ceil(((i + 1) * grid) / out);
  for (let i = 0; i < out; i++)
    for (let j = 0; j < out; j++) {
      const area = (end(i) - start(i)) * (end(j) - start(j));
      for (let y = start(i); y < end(i); y++) for (let x = start(j); x < end(j); x++) m[(i * out + j) * grid * grid + y * grid + x] = 1 / area;
    }
  return m;
}

/** Adaptive average pooling of tokens on a G×G grid: [N, G², C] -> [N, out², C]. */
export function poolTokens(feats: Tensor, grid: number, out: number): Tensor {
  if (out === grid) return feats;
  const m = adaptivePoolMatrix(grid, out);
  const data = feats.dtype === 'float64' ? Float64Array.from(m) : m;
  const pool = feats.graph.constant({ dtype: feats.dtype, shape: [out * out, grid * grid], data }, 'pool_matrix');
  return op.matmul(pool, feats); // [out², G²] @ [N, G², C], broadcast over N
}
