// Laying a batch of prompts (token ids with image placeholders, plus pixels) out as the
// step graph's feeds: P slots per row, padded on the left or the right. Positions count
// real tokens only (0, 1, ...), so padding never shifts RoPE; padding is kept out of
// attention by the cache mask (kv_cache.ts).
import type { HostTensor } from '../../engine/host_tensor.js';
import { spliceIndex } from '../build/batch_feeds.js';

export interface TokenPrompt {
  /** Token ids; each image appears as k placeholder ids per crop it has, in order. */
  tokens: number[];
  /** One pixel array per image: [crops, 3, S, S] flattened (CLIP-normalised), or for a sub-image
   *  model's low-res picture its overview alone, [1, 3, S, S] (mixed_resolution.ts). */
  images?: Float32Array[];
}

export type Padding = 'left' | 'right';

/** Image-related facts the layout needs (null for a text-only model). */
export interface PromptImageSlots {
  placeholder: number;
  /** Tokens of a full image (all its crops). */
  tokensPerImage: number;
  /** Encoder crops per full image and their side S. */
  crops: number;
  size: number;
  /** Image slots per row in the graph, each `crops` crops; a row's crops are packed into them. */
  N: number;
}

const valuesPerCrop = (img: Pick<PromptImageSlots, 'size'>) => 3 * img.size * img.size;
const valuesPerImage = (img: PromptImageSlots) => img.crops * valuesPerCrop(img);
/** Crops of one image's pixels: `crops` for a full set, 1 for an overview alone. */
const cropsOf = (im: Float32Array, img: Pick<PromptImageSlots, 'size'>) => im.length / valuesPerCrop(img);

/**
 * Image slots per row (N) a batch needs: its rows' crops packed `crops` to a slot. With full
 * sets only this is the most images in a row; overview-only pictures take fewer.
 */
export function imageSlotsNeeded(prompts: readonly TokenPrompt[], crops: number, size: number): number {
  const rowCrops = prompts.map((p) => (p.images ?? []).reduce((n, im) => n + cropsOf(im, { size }), 0));
  return Math.max(0, ...rowCrops.map((c) => Math.ceil(c / crops)));
}

/** Checks each prompt's placeholder count against its images, before anything runs. */
export function checkPrompts(prompts: TokenPrompt[], img: PromptImageSlots | null): void {
  prompts.forEach((p, b) => {
    const images = p.images ?? [];
    if (p.tokens.length === 0) throw new Error(`prompt ${b} is empty; start it with at least a BOS token`);
    if (!img) {
      if (images.length) throw new Error(`prompt ${b} has images but the generator was created without imageToken (the placeholder id)`);
      return;
    }
    images.forEach((im, i) => {
      if (im.length !== valuesPerImage(img) && !(img.crops > 1 && im.length === valuesPerCrop(img)))
        throw new Error(
          `prompt ${b} image ${i}: ${im.length} values, expected ${valuesPerImage(img)} ([${img.crops}, 3, ${img.size}, ${img.size}])` +
            (img.crops > 1 ? ` or ${valuesPerCrop(img)} (the overview alone, [1, 3, ${img.size}, ${img.size}])` : ''),
        );
    });
    const found = p.tokens.filter((t) => t === img.placeholder).length;
    const perCrop = img.tokensPerImage / img.crops;
    const overviews = images.filter((im) => img.crops > 1 && cropsOf(im, img) === 1).length;
    if (found !== (images.length - overviews) * img.tokensPerImage + overviews * perCrop)
      throw new Error(
        `prompt ${b}: ${found} image placeholders (id ${img.placeholder}) for ${images.length} images × ${img.tokensPerImage} tokens per image` +
          (overviews ? ` (${overviews} of them the overview alone, ${perCrop} tokens)` : '') +
          '; insert exactly tokensPerImage placeholders per image (tokensPerImage / crops for an overview alone)',
      );
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
    // Each row's crops packed from the start of its N slots: full sets land where they always
    // did ((b·N + i)·crops), and an overview alone takes one crop; each crop's k tokens follow in
    // the tower's output, which is the order the placeholders count them in (imageIndex above).
    const per = valuesPerCrop(img);
    const pixels = new Float32Array(B * img.N * valuesPerImage(img));
    prompts.forEach((p, b) => {
      let crop = b * img.N * img.crops;
      for (const im of p.images ?? []) {
        if (crop + cropsOf(im, img) > (b + 1) * img.N * img.crops)
          throw new Error(`layout: row ${b}'s images need more than the ${img.N} image slots of ${img.crops} crops; size N with imageSlotsNeeded`);
        pixels.set(im, crop * per);
        crop += cropsOf(im, img);
      }
    });
    feeds.images = { dtype: 'float32', shape: [B * img.N * img.crops, 3, img.size, img.size], data: pixels };
    feeds.splice_index = { dtype: 'int64', shape: [B * P], data: spliceIndex(imageIndex, B * img.N * img.tokensPerImage) };
  }
  return { feeds, slots, real };
}
