// Packing tokenised documents into fixed [T]-token rows with at most N images each, and
// writing rows into a PackedBatch (packed_batch.ts). Rules:
// - a document is placed unit by unit (a text token, or a whole image run); when the next
//   unit does not fit (tokens or image slots) the row closes and the rest of the document
//   continues in a later row — so long documents split between text tokens, never inside
//   an image run, and an image that does not fit starts a new row;
// - a unit that cannot fit even an empty row is an error, raised before anything is cut;
// - each placed piece is its own segment (block-diagonal attention) with positions from 0.
// Targets (already shifted): targets[t] = tokens[t+1] when token t+1 is in the same piece
// and is a loss token (text, eos, SFT answers); otherwise IGNORE_INDEX. So nothing ever
// learns to predict a placeholder, a marker, padding or a prompt token, while the last
// position of an image run does predict the first caption token. At a split the last
// position keeps its true target (the next token of the document, in the next row).

import { IGNORE_INDEX, type PackedBatch, type SpecialTokens } from './packed_batch.js';
import { imageRunLength, type TokenizedDoc } from './doc_tokens.js';
import { cropCount, imageTokenCount } from './image_tokens.js';
import type { ImageSlots } from './subimage.js';

export interface PackingConfig {
  /** Rows per batch. */
  B: number;
  /** Tokens per row. */
  T: number;
  /** Image slots per row. */
  N: number;
  /** Connector tokens per encoder crop; with images.grid this fixes tokens per image. */
  tokensPerCrop: number;
  images: ImageSlots;
  /** Wrap image runs in <image_start>/<image_end> (default false). */
  imageMarkers?: boolean;
}

export function tokensPerImage(config: PackingConfig): number {
  return imageTokenCount({ tokensPerCrop: config.tokensPerCrop, grid: config.images.grid });
}

/** An empty (all-padding) batch with the shapes the config fixes. */
export function allocateBatch(config: PackingConfig, special: SpecialTokens): PackedBatch {
  const { B, T, N } = config;
  const crops = cropCount(config.images.grid);
  const [C, H, W] = config.images.shape;
  return {
    B,
    T,
    N,
    tokensPerImage: tokensPerImage(config),
    cropsPerImage: crops,
    tokens: new Int32Array(B * T).fill(special.pad),
    targets: new Int32Array(B * T).fill(IGNORE_INDEX),
    segments: new Int32Array(B * T),
    positions: new Int32Array(B * T),
    imageTokenIndex: new Int32Array(B * T).fill(-1),
    images: new Float32Array(B * N * crops * C * H * W),
    imageShape: [C, H, W],
    imageCount: new Int32Array(B),
  };
}

/**
 * `batch` (one allocateBatch made for this config) made empty again, as allocateBatch would make
 * it: padding tokens, no targets, and zeros in every image slot its last use filled (the others
 * are still zero). Drawing into a used batch instead of a new one saves writing every picture
 * into fresh pages, which the 2-core development VM charges dearly: a process drawing ablation
 * batches spent 0.81 of the CPU with it (docs/performance.md, session 17).
 */
export function emptyBatch(batch: PackedBatch, config: PackingConfig, special: SpecialTokens): PackedBatch {
  const { B, T, N } = config;
  const [C, H, W] = config.images.shape;
  const perImage = cropCount(config.images.grid) * C * H * W;
  if (batch.B !== B || batch.T !== T || batch.N !== N || batch.images.length !== B * N * perImage)
    throw new Error(
      `emptyBatch: the batch is B ${batch.B} × T ${batch.T} with ${batch.N} image slots of ${batch.images.length / Math.max(1, batch.B * batch.N)} values, the stream makes B ${B} × T ${T} with ${N} slots of ${perImage}; recycle only batches this stream returned`,
    );
  for (let b = 0; b < B; b++) if (batch.imageCount[b] > 0) batch.images.fill(0, b * N * perImage, (b * N + batch.imageCount[b]) * perImage);
  batch.tokens.fill(special.pad);
  batch.targets.fill(IGNORE_INDEX);
  batch.segments.fill(0);
  batch.positions.fill(0);
  batch.imageTokenIndex.fill(-1);
  batch.imageCount.fill(0);
  return batch;
}

/** Why place() stopped: the document ended, or its next unit (text, or an image run) did not fit. */
export type StopReason = 'done' | 'no-room' | 'image-no-room' | 'no-image-slot';

/** Builds one row; reuse with reset(). */
export class RowPacker {
  private tokens: number[] = [];
  private loss: number[] = [];
  private segments: number[] = [];
  private positions: number[] = [];
  /** Row position of each image run's first placeholder, with its image. */
  private placed: { pos: number; image: TokenizedDoc['images'][number]['image'] }[] = [];
  /** Target of the row's last position when the piece there continues in a later row. */
  private splitTarget: number | undefined;
  private readonly k: number;
  private readonly markers: boolean;
  /** Why the last place() call stopped. */
  lastStop: StopReason = 'done';

  constructor(private readonly config: PackingConfig) {
    this.k = tokensPerImage(config);
    this.markers = config.imageMarkers ?? false;
    const run = imageRunLength({ tokensPerImage: this.k, markers: this.markers });
    if (run + 1 > config.T) {
      throw new Error(`packing: T=${config.T} cannot hold <bos> plus one image run of ${run} tokens. Fix: raise T, or lower tokensPerCrop/grid.`);
    }
  }

  get used(): number {
    return this.tokens.length;
  }

  reset(): void {
    this.tokens = [];
    this.loss = [];
    this.segments = [];
    this.positions = [];
    this.placed = [];
    this.splitTarget = undefined;
    this.lastStop = 'done';
  }

  /** Place the doc's units from unit `from` on; returns the first unit not placed. */
  place(doc: TokenizedDoc, from: number): number {
    const { T, N } = this.config;
    const units = doc.unitStarts;
    const segment = (this.segments.at(-1) ?? 0) + 1;
    let img = doc.images.findIndex((im) => im.at >= units[from]);
    if (img < 0) img = doc.images.length;
    let u = from;
    let pos = 0;
    this.lastStop = 'done';
    for (; u < units.length; u++) {
      const start = units[u];
      const end = u + 1 < units.length ? units[u + 1] : doc.ids.length;
      let imagesInUnit = 0;
      while (img + imagesInUnit < doc.images.length && doc.images[img + imagesInUnit].at < end) imagesInUnit++;
      if (this.used + end - start > T) {
        this.lastStop = imagesInUnit > 0 ? 'image-no-room' : 'no-room';
        break;
      }
      if (this.placed.length + imagesInUnit > N) {
        this.lastStop = 'no-image-slot';
        break;
      }
      for (let i = 0; i < imagesInUnit; i++, img++) {
        const at = doc.images[img].at;
        this.placed.push({ pos: this.used + at - start + (this.markers ? 1 : 0), image: doc.images[img].image });
      }
      for (let i = start; i < end; i++) {
        this.tokens.push(doc.ids[i]);
        this.loss.push(doc.loss[i]);
        this.segments.push(segment);
        this.positions.push(pos++);
      }
    }
    if (u === from && this.used === 0) {
      const start = units[from];
      throw new Error(`packing: ${doc.id} unit at token ${start} cannot fit an empty row (T=${T}, N=${N}). Fix: raise T or N, or lower tokensPerCrop/grid.`);
    }
    if (u > from && u < units.length) {
      const next = units[u];
      this.splitTarget = doc.loss[next] ? doc.ids[next] : IGNORE_INDEX;
    }
    return u;
  }

  /** Write this row into batch row b (padding after the last token), preprocessing its images. */
  writeRow(batch: PackedBatch, b: number): void {
    const { T, N } = this.config;
    const base = b * T;
    const n = this.used;
    for (let t = 0; t < n; t++) {
      batch.tokens[base + t] = this.tokens[t];
      batch.segments[base + t] = this.segments[t];
      batch.positions[base + t] = this.positions[t];
      const next = t + 1;
      batch.targets[base + t] = next < n && this.segments[next] === this.segments[t] && this.loss[next] ? this.tokens[next] : IGNORE_INDEX;
    }
    if (this.splitTarget !== undefined && n > 0) batch.targets[base + n - 1] = this.splitTarget;
    const [C, H, W] = batch.imageShape;
    const perImage = (batch.cropsPerImage ?? 1) * C * H * W;
    this.placed.forEach(({ pos, image }, slot) => {
      const row = (b * N + slot) * this.k;
      for (let j = 0; j < this.k; j++) batch.imageTokenIndex[base + pos + j] = row + j;
      this.config.images.write(image, batch.images, (b * N + slot) * perImage);
    });
    batch.imageCount[b] = this.placed.length;
  }
}
