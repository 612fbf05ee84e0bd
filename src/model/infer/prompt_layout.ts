// Laying a batch of prompts (token ids with image placeholders, plus pixels) out as the
// step graph's feeds: P slots per row, padded on the left or the right. Positions count
// real tokens only (0, 1, ...), so padding never shifts RoPE; padding is kept out of
// attention by the cache mask (kv_cache.ts).
import type { HostTensor } from '../../engine/host_tensor.js';
import { spliceIndex } from '../build/batch_feeds.js';

export interface TokenPrompt {
  /** Token ids; each image appears as tokensPerImage placeholder ids, in order. */
  tokens: number[];
  /** One pixel array per image: [crops, 3, S, S] flattened (CLIP-normalised). */
  images?: Float32Array[];
}

export type Padding = 'left' | 'right';

/** Image-related facts the layout needs (null for a text-only model). */
export interface PromptImageSlots {
  placeholder: number;
  tokensPerImage: number;
  /** Encoder crops per image and their side S. */
  crops: number;
  size: number;
  /** Image slots per row in the graph. */
  N: number;
}

const valuesPerImage = (img: PromptImageSlots) => img.crops * 3 * img.size * img.size;

/** Checks each prompt's placeholder count against its images, before anything runs. */
export function checkPrompts(prompts: TokenPrompt[], img: PromptImageSlots | null): void {
  prompts.forEach((p, b) => {
    const images = p.images ?? [];
    if (p.tokens.length === 0) throw new Error(`prompt ${b} is empty; start it with at least a BOS token`);
    if (!img) {
      if (images.length) throw new Error(`prompt ${b} has images but the generator was created without imageToken (the placeholder id)`);
      return;
    }
    const found = p.tokens.filter((t) => t === img.placeholder).length;
    if (found !== images.length * img.tokensPerImage)
      throw new Error(
        `prompt ${b}: ${found} image placeholders (id ${img.placeholder}) for ${images.length} images × ${img.tokensPerImage} tokens per image; insert exactly tokensPerImage placeholders per image`,
      );
    images.forEach((im, i) => {
      if (im.length !== valuesPerImage(img))
        throw new Error(`prompt ${b} image ${i}: ${im.length} values, expected ${valuesPerImage(img)} ([${img.crops}, 3, ${img.size}, ${img.size}])`);
    });
  });
}

export interface Layout {
  feeds: Record<string, HostTensor>;
  /** Cache slot of each (row, step token) and whether it is a real token. */
  slots: number[][];
  real: boolean[][];
}

/**
 * Rows `seqs` in P slots. Placeholders count as image tokens only within the first
 * promptLens[b] tokens (generated ids are always text). Returns tokens, positions,
 * rows (each row's last real token) and, with images, images and splice_index.
 */
export function layoutRows(
  seqs: number[][],
  promptLens: number[],
  P: number,
  padding: Padding,
  pad: number,
  prompts: TokenPrompt[],
  img: PromptImageSlots | null,
): Layout {
  const B = seqs.length;
  const tokens = new BigInt64Array(B * P).fill(BigInt(pad));
  const positions = new BigInt64Array(B * P);
  const last = new BigInt64Array(B);
  const imageIndex = new Int32Array(B * P).fill(-1);
  const slots: number[][] = [];
  const real: boolean[][] = [];
  seqs.forEach((seq, b) => {
    if (seq.length > P) throw new Error(`layout: row ${b} has ${seq.length} tokens, more than the ${P} slots`);
    const offset = padding === 'left' ? P - seq.length : 0;
    let j = 0;
    seq.forEach((t, i) => {
      const p = b * P + offset + i;
      tokens[p] = BigInt(t);
      positions[p] = BigInt(i);
      if (img && i < promptLens[b] && t === img.placeholder) imageIndex[p] = b * img.N * img.tokensPerImage + j++;
    });
    last[b] = BigInt(b * P + offset + seq.length - 1);
    slots.push(Array.from({ length: P }, (_, s) => s));
    real.push(Array.from({ length: P }, (_, s) => s >= offset && s < offset + seq.length));
  });
  const feeds: Record<string, HostTensor> = {
    tokens: { dtype: 'int64', shape: [B, P], data: tokens },
    positions: { dtype: 'int64', shape: [B, P], data: positions },
    rows: { dtype: 'int64', shape: [B], data: last },
  };
  if (img && img.N > 0) {
    const n = valuesPerImage(img);
    const pixels = new Float32Array(B * img.N * n);
    prompts.forEach((p, b) => (p.images ?? []).forEach((im, i) => pixels.set(im, (b * img.N + i) * n)));
    feeds.images = { dtype: 'float32', shape: [B * img.N * img.crops, 3, img.size, img.size], data: pixels };
    feeds.splice_index = { dtype: 'int64', shape: [B * P], data: spliceIndex(imageIndex, B * img.N * img.tokensPerImage) };
  }
  return { feeds, slots, real };
}
