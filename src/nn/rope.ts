// Rotary position embeddings (RoPE, Llama "rotate_half" convention).
import type { Graph, Tensor } from '../engine/graph.js';
import * as op from '../engine/ops/index.js';

/** cos/sin tables [maxPos, headDim] as constants, gathered by position ids at run time. */
export function ropeTables(g: Graph, maxPos: number, headDim: number, theta = 10000): { cos: Tensor; sin: Tensor } {
  const half = headDim / 2;
  const cos = new Float32Array(maxPos * headDim);
  const sin = new Float32Array(maxPos * headDim);
  for (let p = 0; p < maxPos; p++)
    for (let i = 0; i < half; i++) {
      const angle = p / theta ** ((2 * i) / headDim);
      // Both halves share frequency i, matching HF's cat((freqs, freqs), -1).
      cos[p * headDim + i] = cos[p * headDim + i + half] = Math.cos(angle);
      sin[p * headDim + i] = sin[p * headDim + i + half] = Math.sin(angle);
    }
  return {
    cos: g.constant({ dtype: 'float32', shape: [maxPos, headDim], data: cos }, 'rope_cos'),
    sin: g.constant({ dtype: 'float32', shape: [maxPos, headDim], data: sin }, 'rope_sin'),
  };
}

/** Per-position rotation for positions [B, T]: cos/sin [B, 1, T, headDim], shared by all layers. */
export function ropeAt(tables: { cos: Tensor; sin: Tensor }, positions: Tensor): { cos: Tensor; sin: Tensor } {
  const [b, t] = positions.shape;
  const d = tables.cos.shape[1];
  const at = (table: Tensor) => op.reshape(op.gather(table, positions), [b, 1, t, d]);
  return { cos: at(tables.cos), sin: at(tables.sin) };
}

/** x [B, H, T, Dh] rotated: x·cos + rotate_half(x)·sin. */
export function applyRope(x: Tensor, rot: { cos: Tensor; sin: Tensor }): Tensor {
  const half = x.shape[x.rank - 1] / 2;
  const [x1, x2] = op.split(x, -1, [half, half]);
  const rotated = op.concat([op.neg(x2), x1], -1);
  return op.add(op.mul(x, rot.cos), op.mul(rotated, rot.sin));
}
