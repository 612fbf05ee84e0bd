// The encoder flags the reading experiments share (probe.ts, supervised.ts): one set of
// options and one way to turn them into the ViT's settings, so both tools build the same
// encoder from the same command line. `--pool` stays with each tool: their defaults differ.
import { CLIP_POOLS, type ClipPool } from '../../src/model/build/clip.js';

export const ENCODER_OPTIONS = {
  size: { type: 'string', default: '128' },
  patch: { type: 'string', default: '8' },
  width: { type: 'string', default: '64' },
  depth: { type: 'string', default: '3' },
  stem: { type: 'string', default: 'patch' },
  'feature-layer': { type: 'string', default: '-1' },
  'layer-scale': { type: 'string' },
  // 'concat': the stem's normed tokens beside the blocks' output (vision.stemSkip; needs --stem conv).
  'stem-skip': { type: 'string' },
} as const;

export interface EncoderArgs {
  size: string;
  patch: string;
  width: string;
  depth: string;
  stem: string;
  'feature-layer': string;
  'layer-scale'?: string;
  'stem-skip'?: string;
  pool: string;
}

/** `model.vision` as the flags give it (not yet parsed: probe.ts puts it in a run config, supervised.ts parses it alone), and the pool. */
export function encoderFromArgs(a: EncoderArgs, tool: string) {
  const pool = a.pool as ClipPool;
  if (!CLIP_POOLS.includes(pool)) throw new Error(`${tool}: --pool ${a.pool} is not one of ${CLIP_POOLS.join(', ')}`);
  const width = Number(a.width);
  const vision = {
    imageSize: Number(a.size),
    patchSize: Number(a.patch),
    width,
    depth: Number(a.depth),
    heads: width / 16,
    mlpHidden: 4 * width,
    classToken: pool === 'cls',
    stem: a.stem,
    // 0 = the embeddings alone (no transformer block): with --stem conv, a 3-layer CNN.
    featureLayer: Number(a['feature-layer']),
    // LayerScale's starting γ on each block branch (absent: plain blocks).
    ...(a['layer-scale'] !== undefined ? { layerScale: Number(a['layer-scale']) } : {}),
    // The stem's tokens beside the blocks' output (absent: the blocks' output alone); the config's validation checks the value.
    ...(a['stem-skip'] !== undefined ? { stemSkip: a['stem-skip'] } : {}),
  };
  return { vision, pool };
}
