// Honeybee's C-Abstractor (the connector of the final MM1): a learned position embedding on
// the patch features, a RegStage of convolutional blocks that keeps the spatial layout,
// adaptive average pooling to √k×√k, a second RegStage, and a 2-layer MLP readout
// (Linear hidden→D, SiLU, Linear D→D). depth 0 leaves pooling plus the readout.
import type { Graph, Tensor } from '../../../engine/graph.js';
import * as op from '../../../engine/ops/index.js';
import { linear } from '../../../nn/linear.js';
import type { ConnectorConfig } from '../config.js';
import { pooledSide, poolTokens } from './grid.js';
import { regStage } from './regstage.js';

/** feats [N, G², C] -> [N, k, D]. The position table 'pos_emb' is [G², C]: resize it with adaptToResolution. */
export function cAbstractor(g: Graph, cfg: ConnectorConfig, feats: Tensor, grid: number, llmWidth: number): Tensor {
  const [n, p, c] = feats.shape;
  const side = pooledSide(cfg, grid);
  const hidden = cfg.hidden ?? c;
  let x = op.add(feats, g.param('pos_emb', [p, c], { kind: 'truncnormal', std: 0.02 }));
  x = regStage(g, 's1', op.reshape(x, [n, grid, grid, c]), cfg.depth, hidden); // [N, G, G, hidden] (C when depth 0)
  const width = x.shape[3];
  x = op.reshape(poolTokens(op.reshape(x, [n, p, width]), grid, side), [n, side, side, width]);
  x = op.reshape(regStage(g, 's2', x, cfg.depth, hidden), [n, side * side, width]); // [N, k, width]
  return g.scope('readout', () => linear(g, '2', op.silu(linear(g, '0', x, llmWidth)), llmWidth));
}
