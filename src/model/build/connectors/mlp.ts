// LLaVA-1.5's MLP projector ("mlp2x_gelu"): every patch becomes one token, Linear C→D,
// GELU, Linear D→D. k must equal the number of patches.
import type { Graph, Tensor } from '../../../engine/graph.js';
import * as op from '../../../engine/ops/index.js';
import { linear } from '../../../nn/linear.js';
import type { ConnectorConfig } from '../config.js';

export function mlpTokensCheck(cfg: ConnectorConfig, grid: number): void {
  if (cfg.tokens !== grid * grid)
    throw new Error(
      `connector 'mlp': it keeps every patch, so tokens must equal the ${grid}×${grid} patch grid = ${grid * grid}, but tokens = ${cfg.tokens}; set tokens to ${grid * grid}, or use avgpool/cabstractor/pixelshuffle to reduce the count`,
    );
}

/** feats [N, P, C] -> [N, P, D]. */
export function mlpConnector(g: Graph, cfg: ConnectorConfig, feats: Tensor, grid: number, llmWidth: number): Tensor {
  mlpTokensCheck(cfg, grid);
  return linear(g, 'fc2', op.gelu(linear(g, 'fc1', feats, llmWidth)), llmWidth);
}
