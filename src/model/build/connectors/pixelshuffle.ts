// Pixel-shuffle connector (Idefics3, nanoVLM): space-to-depth folds each r×r block of patches
// into one token with r²·C channels, so k = P/r², then a Linear r²C→D without bias. r is
// fixed by k and the grid, so the projection's shape (and k) belong to one resolution.
import type { Graph, Tensor } from '../../../engine/graph.js';
import * as op from '../../../engine/ops/index.js';
import { linear } from '../../../nn/linear.js';
import type { ConnectorConfig } from '../config.js';

/** The shuffle factor r with k = G²/r²; errors name k, the grid and the fix. */
export function shuffleFactor(cfg: ConnectorConfig, grid: number): number {
  const k = cfg.tokens;
  const r = Math.round(Math.sqrt((grid * grid) / k));
  if (r < 1 || r * r * k !== grid * grid) {
    const ok = [];
    for (let f = 1; f <= grid; f++) if (grid % f === 0) ok.push((grid / f) ** 2);
    throw new Error(
      `connector 'pixelshuffle': tokens = ${k} is not (G/r)² for the ${grid}×${grid} patch grid and any integer factor r; use one of ${ok.join(', ')}`,
    );
  }
  return r;
}

/** feats [N, G², C] -> [N, k, D]. */
export function pixelShuffleConnector(g: Graph, cfg: ConnectorConfig, feats: Tensor, grid: number, llmWidth: number): Tensor {
  const [n, , c] = feats.shape;
  const r = shuffleFactor(cfg, grid);
  const o = grid / r;
  // nanoVLM's order: [N, G, G, C] = [N, o, r, o, r, C] -> [N, o, o, r, r, C] -> [N, o², r²C]
  const blocks = op.transpose(op.reshape(feats, [n, o, r, o, r, c]), [0, 1, 3, 2, 4, 5]);
  return linear(g, 'proj', op.reshape(blocks, [n, o * o, r * r * c]), llmWidth, { bias: false });
}
