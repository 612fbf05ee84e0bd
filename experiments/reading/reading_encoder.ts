// The reading encoder's run options, in one place for the tools that build its runs
// (base_run.ts through the studies' runner, ab_config.ts for the 200-step A/Bs), so the two
// cannot drift apart. base_run.ts runs when imported, which is why this lives apart from it.

/**
 * The reading encoder (docs/reading.md, sessions 5–7) on top of the base config: 128 px, conv
 * stem under the three blocks with LayerScale 1e-4, and a CLIP stage whose text pairs (half of
 * them, in groups of 8 pictures of one scene that differ in the word) are captioned with the word
 * alone, pooled by the per-channel max.
 */
export const READING_ENCODER = {
  'model.vision.imageSize': 128,
  'model.vision.stem': 'conv',
  'model.vision.layerScale': 1e-4,
  'encoder.clipPool': 'max',
  'encoder.clipTextShare': 0.5,
  'encoder.clipTextCaptions': 'word',
  'encoder.clipHardNegatives': 8,
} as const;
