// The image side of MM1 as one function: pixels of every crop -> image tokens of the LLM
// width, and the number of tokens that makes per image (the count data/ packs for).
import type { Graph, Tensor } from '../../engine/graph.js';
import { imageTokenCount } from '../../data/image_tokens.js';
import type { ModelConfig } from './config.js';
import { connect, connectorTokenCount } from './connectors/index.js';
import { patchGrid, visionEncoder } from './vit.js';

/**
 * Pixels of every crop [N', 3, S, S] -> image tokens [N', k, D] (k = connector.tokens,
 * D = LLM width). Parameters must live under 'vision.' and 'connector.'. The MM1 tower
 * is visionEncoder + connect; tests pass small stand-ins.
 */
export type ImageTower = (g: Graph, pixels: Tensor) => Tensor;

/** The MM1 tower: ViT patch features [N', G², C] -> connector -> [N', k, D]. */
export function mm1Tower(cfg: ModelConfig): ImageTower {
  return (g, pixels) => connect(g, cfg.connector, visionEncoder(g, cfg.vision, pixels), patchGrid(cfg.vision, pixels.shape[2]), cfg.llm.width);
}

/**
 * Image placeholder tokens per image for this model: the connector's per-crop count (checked
 * against the ViT patch grid) times the crops, through the one shared function data/ uses.
 */
export function modelTokensPerImage(cfg: ModelConfig): number {
  return imageTokenCount({ tokensPerCrop: connectorTokenCount(cfg.connector, patchGrid(cfg.vision)), grid: cfg.subImageGrid });
}
