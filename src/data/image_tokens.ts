// The single place that decides how many placeholder tokens an image becomes.
// The data side (packing) and the model side (connector output, graph shapes) both call
// this, because an image-token count mismatch between the two is the most common runtime
// failure reported in other vision-language toolkits' issue trackers, and it gets worse with sub-image tiling.

// model/build/connectors' connectorTokenCount(cfg, patchGrid) checks a connector against the ViT
// patch grid and returns the per-crop count: that result is the `tokensPerCrop` here, and
// `grid` here is the sub-image grid, not the patch grid.

export interface ImageTokenConfig {
  /** Tokens the connector emits per encoder crop (e.g. 144 for MM1's C-Abstractor). */
  tokensPerCrop: number;
  /**
   * Sub-image decomposition grid g: the image becomes g×g crops plus one overview,
   * i.e. 1 + g² crops. 0 or undefined = off (one crop: the whole image).
   */
  grid?: number;
}

/** Encoder crops one image becomes: 1 + g² with sub-images (g ≥ 1), else 1. */
export function cropCount(grid: number | undefined): number {
  const g = grid ?? 0;
  if (!Number.isInteger(g) || g < 0) {
    throw new Error(`imageTokens: grid must be a non-negative integer (0 = no sub-images), got ${grid}`);
  }
  return g === 0 ? 1 : 1 + g * g;
}

/** Placeholder tokens one image becomes: tokensPerCrop × crops. */
export function imageTokenCount(config: ImageTokenConfig): number {
  const k = config.tokensPerCrop;
  if (!Number.isInteger(k) || k < 1) {
    throw new Error(`imageTokens: tokensPerCrop must be a positive integer, got ${k}`);
  }
  return k * cropCount(config.grid);
}
