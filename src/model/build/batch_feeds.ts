// PackedBatch (the data contract) -> feeds of the multimodal training graph. Ids become
// int64 (what Gather and the loss take), and imageTokenIndex becomes the splice index:
// position p takes text row p, or image row B*T + imageTokenIndex[p].
import type { HostTensor } from '../../engine/host_tensor.js';
import type { PackedBatch } from '../../data/packed_batch.js';
import { cropCount } from '../../data/image_tokens.js';
import type { ModelConfig } from './config.js';
import { modelTokensPerImage } from './image_tower.js';

const int64 = (shape: number[], src: Int32Array): HostTensor => ({ dtype: 'int64', shape, data: BigInt64Array.from(src, (v) => BigInt(v)) });

/** Splice index [B*T] for a row-major imageTokenIndex (−1 = text). */
export function spliceIndex(imageTokenIndex: Int32Array, imageRows: number): BigInt64Array {
  const n = imageTokenIndex.length;
  const out = new BigInt64Array(n);
  for (let p = 0; p < n; p++) {
    const i = imageTokenIndex[p];
    if (i >= imageRows) throw new Error(`imageTokenIndex[${p}] = ${i}, but the batch has only ${imageRows} image-token rows (B*N*tokensPerImage)`);
    out[p] = BigInt(i < 0 ? p : n + i);
  }
  return out;
}

/**
 * Graph inputs for one batch. With `cfg`, the batch's tokensPerImage and image size are
 * checked against the model first, so a count mismatch fails here, naming both numbers,
 * before any image token could be dropped or misplaced.
 */
export function batchFeeds(batch: PackedBatch, cfg?: ModelConfig): Record<string, HostTensor> {
  const { B, T, N } = batch;
  const crops = batch.cropsPerImage ?? 1;
  if (cfg) {
    const want = modelTokensPerImage(cfg);
    if (batch.tokensPerImage !== want)
      throw new Error(
        `batch has ${batch.tokensPerImage} tokens per image but the model makes ${want} (connector.tokens ${cfg.connector.tokens} × ${cropCount(cfg.subImageGrid)} crops); build the data with the model's connector.tokens and subImageGrid`,
      );
    if (crops !== cropCount(cfg.subImageGrid))
      throw new Error(`batch has ${crops} crops per image, the model expects ${cropCount(cfg.subImageGrid)} (subImageGrid ${cfg.subImageGrid})`);
    const [c, h, w] = batch.imageShape;
    const s = cfg.vision.imageSize;
    if (N > 0 && (c !== 3 || h !== s || w !== s))
      throw new Error(`batch images are [${batch.imageShape}], the model expects [3, ${s}, ${s}]; resize in the data pipeline`);
  }
  for (const key of ['tokens', 'targets', 'segments', 'positions', 'imageTokenIndex'] as const)
    if (batch[key].length !== B * T) throw new Error(`batch.${key} has ${batch[key].length} entries, expected B*T = ${B}*${T}`);
  const feeds: Record<string, HostTensor> = {
    tokens: int64([B, T], batch.tokens),
    positions: int64([B, T], batch.positions),
    segments: int64([B, T], batch.segments),
    targets: int64([B * T], batch.targets),
  };
  if (N > 0) {
    const shape = [B * N * crops, ...batch.imageShape];
    if (batch.images.length !== shape.reduce((p, d) => p * d, 1)) throw new Error(`batch.images has ${batch.images.length} values, expected [${shape}]`);
    feeds.images = { dtype: 'float32', shape, data: batch.images };
    feeds.splice_index = { dtype: 'int64', shape: [B * T], data: spliceIndex(batch.imageTokenIndex, B * N * batch.tokensPerImage) };
  } else if (batch.imageTokenIndex.some((i) => i >= 0)) {
    throw new Error('batch has image-token positions but N = 0 image slots');
  }
  return feeds;
}
