// The vision-language connector: patch features [N, G², C] -> exactly k image tokens of the
// LLM width [N, k, D], for every kind. Parameters live under 'connector.'.
import type { Graph, Tensor } from '../../../engine/graph.js';
import type { ConnectorConfig } from '../config.js';
import { attnPoolConnector } from './attnpool.js';
import { avgPoolConnector } from './avgpool.js';
import { cAbstractor } from './cabstractor.js';
import { pooledSide } from './grid.js';
import { mlpConnector, mlpTokensCheck } from './mlp.js';
import { pixelShuffleConnector, shuffleFactor } from './pixelshuffle.js';

/**
 * Image tokens per image (crop) for this connector on a G×G patch grid: always cfg.tokens,
 * after checking that this k is possible for the grid (errors name k, the grid and the fix).
 * The data side and the model side both call this, so the counts cannot disagree.
 */
export function connectorTokenCount(cfg: ConnectorConfig, grid: number): number {
  if (cfg.kind === 'avgpool' || cfg.kind === 'cabstractor') pooledSide(cfg, grid);
  else if (cfg.kind === 'mlp') mlpTokensCheck(cfg, grid);
  else if (cfg.kind === 'pixelshuffle') shuffleFactor(cfg, grid);
  return cfg.tokens;
}

/** feats [N, G², C] (G = gridSize) -> [N, k, llmWidth]. */
export function connect(g: Graph, cfg: ConnectorConfig, feats: Tensor, gridSize: number, llmWidth: number): Tensor {
  if (feats.rank !== 3 || feats.shape[1] !== gridSize * gridSize)
    throw new Error(
      `connect: features must be [N, ${gridSize * gridSize}, C] for a ${gridSize}×${gridSize} patch grid, got ${feats.describe()}; pass gridSize = image size / patch size`,
    );
  connectorTokenCount(cfg, gridSize);
  const build = { avgpool: avgPoolConnector, attnpool: attnPoolConnector, cabstractor: cAbstractor, mlp: mlpConnector, pixelshuffle: pixelShuffleConnector }[
    cfg.kind
  ];
  const out = g.scope('connector', () => build(g, cfg, feats, gridSize, llmWidth));
  if (out.shape[1] !== cfg.tokens) throw new Error(`connect: '${cfg.kind}' produced ${out.shape[1]} tokens instead of ${cfg.tokens} (a bug in the connector)`);
  return out;
}
