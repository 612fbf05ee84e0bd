// PackedBatch (the data contract) -> feeds of the multimodal training graph. Ids become
// int64 (what Gather and the loss take), and imageTokenIndex becomes the splice index:
// position p takes text row p, or image row B*T + imageTokenIndex[p].
import type { HostTensor } from '../../engine/host_tensor.js';
import type { PackedBatch } from '../../data/packed_batch.js';
import { cropCount } from '../../data/image_tokens.js';
import type { ModelConfig } from './config.js';
import { modelTokensPerImage } from './image_tower.js';

const LITTLE_ENDIAN = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/**
 * 32-bit integers widened to int64. On little-endian machines each value is written as its two
 * 32-bit halves (low word, then its sign), not as one BigInt: batchFeeds at the ablation shape
 * took 0.7 ms instead of 1.6, on the main thread between steps. `at(i)` gives the value at i.
 */
export function int64Of(n: number, at: (i: number) => number): BigInt64Array {
  const out = new BigInt64Array(n);
  if (!LITTLE_ENDIAN) {
    for (let i = 0; i < n; i++) out[i] = BigInt(at(i));
    return out;
  }
  const words = new Int32Array(out.buffer);
  for (let i = 0; i < n; i++) {
    const v = at(i);
    words[2 * i] = v;
    words[2 * i + 1] = v >> 31;
  }
  return out;
}

const int64 = (shape: number[], src: Int32Array): HostTensor => ({ dtype: 'int64', shape, data: int64Of(src.length, (i) => src[i]) });

/** Splice index [B*T] for a row-major imageTokenIndex (−1 = text). */
export function spliceIndex(imageTokenIndex: Int32Array, imageRows: number): BigInt64Array {
  const n = imageTokenIndex.length;
  for (let p = 0; p < n; p++)
    if (imageTokenIndex[p] >= imageRows)
      throw new Error(`imageTokenIndex[${p}] = ${imageTokenIndex[p]}, but the batch has only ${imageRows} image-token rows (B*N*tokensPerImage)`);
  return int64Of(n, (p) => (imageTokenIndex[p] < 0 ? p : n + imageTokenIndex[p]));
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
