// Average-pooling connector (MM1 ablation, as in Emu2): n×n average pooling over the patch
// grid down to √k×√k tokens, then a Linear C→D. Adaptive windows, so any grid ≥ √k works.
import type { Graph, Tensor } from '../../../engine/graph.js';
import { linear } from '../../../nn/linear.js';
import type { ConnectorConfig } from '../config.js';
import { pooledSide, poolTokens } from './grid.js';

/** feats [N, G², C] -> [N, k, D]. */
export function avgPoolConnector(g: Graph, cfg: ConnectorConfig, feats: Tensor, grid: number, llmWidth: number): Tensor {
  const pooled = poolTokens(feats, grid, pooledSide(cfg, grid)); // [N, k, C]
  return linear(g, 'proj', pooled, llmWidth);
}
