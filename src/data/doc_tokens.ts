// A document (or conversation, see chat.ts) as tokens plus the spans recorded while
// building it: which tokens are loss targets, where each image run starts, and where a
// split is allowed. Packing and masks use these spans only — never re-tokenised strings,
// whose boundaries drift (the "tokenization mismatch" bug of peer toolkits).

import type { SpecialTokens } from './packed_batch.js';
import type { Document, RgbImage, Segment } from './document.js';
import type { Mm1Tokenizer } from './tokenizer.js';

export interface TokenizedDoc {
  id: string;
  ids: number[];
  /** 1 where predicting this token is trained (text, eos, SFT answers); 0 for bos, prompts, image runs. */
  loss: Uint8Array;
  /** Images in order, with the index of each run's first token (its <image_start> when markers are on). */
  images: { at: number; image: RgbImage }[];
  /** Start index of each indivisible unit; unit u spans [unitStarts[u], unitStarts[u+1]). */
  unitStarts: number[];
}

export interface ImageRunConfig {
  /** Placeholders per image: imageTokenCount({ tokensPerCrop, grid }). */
  tokensPerImage: number;
  /** Wrap each run in <image_start> … <image_end> (the tokenizer must define both). */
  markers: boolean;
}

/** Length of one image run including markers. */
export function imageRunLength(config: ImageRunConfig): number {
  return config.tokensPerImage + (config.markers ? 2 : 0);
}

/** Accumulates tokens and their spans. */
export class TokenSeqBuilder {
  private ids: number[] = [];
  private loss: number[] = [];
  private images: { at: number; image: RgbImage }[] = [];
  private unitStarts: number[] = [];
  private glueNext = false;

  constructor(
    private readonly tokenizer: Mm1Tokenizer,
    private readonly run: ImageRunConfig,
    private readonly docId: string,
  ) {
    if (run.markers && (tokenizer.special.imageStart === undefined || tokenizer.special.imageEnd === undefined)) {
      throw new Error('image markers are on but the tokenizer has no <image_start>/<image_end>. Fix: turn markers off or add the tokens.');
    }
  }

  /** A single token; `glue` keeps the next unit in the same unit as this one (no split between). */
  token(id: number, loss: boolean, glue = false): this {
    if (!this.glueNext) this.unitStarts.push(this.ids.length);
    this.ids.push(id);
    this.loss.push(loss ? 1 : 0);
    this.glueNext = glue;
    return this;
  }

  /** Encoded text, one unit per token (documents may split between any two text tokens). */
  text(text: string, loss: boolean): this {
    const ids = this.tokenizer.encode(text);
    const s = this.tokenizer.special;
    const bad = ids.find((id) => id === s.image || id === s.imageStart || id === s.imageEnd);
    if (bad !== undefined) {
      throw new Error(
        `${this.docId}: text "${text.slice(0, 60)}" encodes to image token id ${bad} (it contains an image ` +
          `placeholder string). Images must be image segments, not text. Fix: remove the marker from the text.`,
      );
    }
    for (const id of ids) this.token(id, loss);
    return this;
  }

  /** One image run: [<image_start>] <image>×k [<image_end>], one indivisible unit, no loss. */
  image(image: RgbImage): this {
    const s: SpecialTokens = this.tokenizer.special;
    if (!this.glueNext) this.unitStarts.push(this.ids.length);
    this.images.push({ at: this.ids.length, image });
    const run: number[] = [];
    if (this.run.markers) run.push(s.imageStart!);
    for (let i = 0; i < this.run.tokensPerImage; i++) run.push(s.image);
    if (this.run.markers) run.push(s.imageEnd!);
    for (const id of run) {
      this.ids.push(id);
      this.loss.push(0);
    }
    this.glueNext = false;
    return this;
  }

  segments(segments: Segment[], loss: boolean): this {
    for (const seg of segments) {
      if (seg.kind === 'text') this.text(seg.text, loss);
      else this.image(seg.image);
    }
    return this;
  }

  build(): TokenizedDoc {
    return { id: this.docId, ids: this.ids, loss: Uint8Array.from(this.loss), images: this.images, unitStarts: this.unitStarts };
  }
}

/**
 * Pretraining template: <bos> segments… <eos>. Loss on every text token and on <eos>;
 * <bos> is glued to the first unit so a sequence never ends on a lone <bos>.
 */
export function tokenizeDocument(doc: Document, tokenizer: Mm1Tokenizer, run: ImageRunConfig): TokenizedDoc {
  const b = new TokenSeqBuilder(tokenizer, run, doc.id);
  b.token(tokenizer.special.bos, false, true);
  b.segments(doc.segments, true);
  b.token(tokenizer.special.eos, true);
  return b.build();
}
