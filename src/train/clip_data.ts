// Image–caption pairs for the contrastive encoder stage (clip_pretrain.ts). Most pairs come
// from the world's caption stream, where only about one caption in eight names the printed
// word (40% of scenes carry a word, 30% of their captions mention it). `textShare` replaces
// that share of pairs with TextCaps-like ones — a scene that carries a word and a caption
// that names it — as web alt-text names the text in a photo: that is where CLIP's ability to
// read comes from (docs/reading.md measures what it changes). `hardNegatives` k groups the
// text pairs k at a time: one scene drawn with k different words, so inside a batch there are
// negatives that differ from the positive in nothing but the printed word (clip_hard_negatives.ts).
// `textCaptions: 'word'` gives the text pairs an OCR-style caption that names the word and
// nothing else, so in-batch negatives differ from the positive in the word alone: the one
// CLIP stage measured to read (docs/reading.md, session 6: 33.6% of large words retrieved
// after 800 steps, where world-style captions stayed at chance).
import type { HostTensor } from '../engine/host_tensor.js';
import { Rng } from '../engine/rng.js';
import type { RgbImage } from '../data/document.js';
import { preprocessImage, type ImagePreprocessConfig } from '../data/subimage.js';
import type { Mm1Tokenizer } from '../data/tokenizer.js';
import { generateScene, renderScene, textCaptionsFor, worldDocument, type WorldVersion } from '../data/world/index.js';
import { hardNegativePair } from './clip_hard_negatives.js';

export const CAPTION_LEN = 32;

export interface ClipDataOptions {
  tokenizer: Mm1Tokenizer;
  /** Encoder input side in pixels. */
  imageSize: number;
  /** Side of rendered world pictures before resizing to `imageSize`. */
  renderSize: number;
  seed: number;
  /** Fraction of pairs (0–1) that are text-bearing scenes with a caption naming the word. */
  textShare: number;
  /** World version of pictures and captions (default 1). */
  version?: WorldVersion;
  /** Text pairs come in groups of this many that share a scene and differ only in the word (absent or 1: off). */
  hardNegatives?: number;
  /** Captions of the text pairs: the world's templates (default), or `word`: "a picture with the word X." alone. */
  textCaptions?: TextCaptions;
}

export const TEXT_CAPTIONS = ['world', 'word'] as const;
export type TextCaptions = (typeof TEXT_CAPTIONS)[number];

/** The OCR-style caption of a text pair with `textCaptions: 'word'`, also the retrieval caption of experiments/reading/probe.ts. */
export const wordCaption = (word: string): string => `a picture with the word ${word}.`;

export interface ClipPair {
  image: RgbImage;
  caption: string;
  /** The printed word the caption names, for text-caption pairs; null for caption-stream pairs. */
  word: string | null;
}

/** Pair `index` of the stage's stream: depends only on (seed, textShare, hardNegatives, textCaptions, index). */
export function clipPair(o: ClipDataOptions, index: number): ClipPair {
  const pair = worldClipPair(o, index);
  // The picture is drawn before its caption, so the word caption changes the caption alone.
  return o.textCaptions === 'word' && pair.word !== null ? { ...pair, caption: wordCaption(pair.word) } : pair;
}

function worldClipPair(o: ClipDataOptions, index: number): ClipPair {
  if (!(o.textShare >= 0 && o.textShare <= 1)) throw new Error(`clip data: textShare must be in [0, 1], got ${o.textShare}`);
  if ((o.hardNegatives ?? 1) > 1) return hardNegativePair(o, o.hardNegatives!, index) ?? captionStreamPair(o, index);
  const rng = new Rng(o.seed).fork(`clip/textcaps/${index}`);
  if (o.textShare > 0 && rng.next() < o.textShare) {
    const scene = generateScene(rng, { split: 'train', requireText: true, version: o.version ?? 1 });
    return { image: renderScene(scene, o.renderSize), caption: textCaptionsFor(scene, rng)[0], word: scene.text!.word };
  }
  return captionStreamPair(o, index);
}

/** Pair `index` of the world's caption stream (web alt-text: the word named now and then). */
function captionStreamPair(o: ClipDataOptions, index: number): ClipPair {
  const doc = worldDocument('caption', o.seed, index, { imageSize: o.renderSize, version: o.version ?? 1 });
  let image: RgbImage | undefined;
  let caption = '';
  for (const seg of doc.segments) {
    if (seg.kind === 'image') image = seg.image;
    else caption = seg.text;
  }
  if (!image) throw new Error(`clip data: caption document ${doc.id} has no image`);
  return { image, caption, word: null };
}

/**
 * B pairs starting at pair `start`: pixels [B, 3, S, S], caption [B, L] int64, caption_mask [B, L].
 * `reuse`: an earlier batch's feeds nobody reads any more, drawn into (see clipTensors).
 */
export function clipBatch(o: ClipDataOptions, start: number, B: number, reuse?: Record<string, HostTensor>): Record<string, HostTensor> {
  return clipTensors(
    Array.from({ length: B }, (_, b) => clipPair(o, start + b)),
    o.tokenizer,
    { resolution: o.imageSize },
    reuse,
  );
}

/**
 * The stage's feeds for these pairs (world or file ones, train/file_clip_data.ts), pictures
 * preprocessed by `image` (one crop each). With `reuse` (feeds this function made for as many
 * pairs at the same side, which nobody reads any more) the values go into its arrays: the same
 * values as new arrays would hold (every pixel is written, captions and masks are zeroed first),
 * without the page faults of fresh memory (packing.ts emptyBatch says what those cost).
 */
export function clipTensors(
  pairs: readonly Pick<ClipPair, 'image' | 'caption'>[],
  tokenizer: Mm1Tokenizer,
  image: ImagePreprocessConfig,
  reuse?: Record<string, HostTensor>,
): Record<string, HostTensor> {
  const [B, S] = [pairs.length, image.resolution];
  const fits = (name: string, n: number) => reuse?.[name]?.data.length === n;
  const pixels = fits('pixels', B * 3 * S * S) ? (reuse!.pixels.data as Float32Array) : new Float32Array(B * 3 * S * S);
  const caption = fits('caption', B * CAPTION_LEN) ? (reuse!.caption.data as BigInt64Array).fill(0n) : new BigInt64Array(B * CAPTION_LEN);
  const mask = fits('caption_mask', B * CAPTION_LEN) ? (reuse!.caption_mask.data as Float32Array).fill(0) : new Float32Array(B * CAPTION_LEN);
  for (let b = 0; b < B; b++) {
    const pair = pairs[b];
    preprocessImage(pair.image, { ...image, grid: 0 }, pixels, b * 3 * S * S);
    tokenizer
      .encode(pair.caption)
      .slice(0, CAPTION_LEN)
      .forEach((id, i) => {
        caption[b * CAPTION_LEN + i] = BigInt(id);
        mask[b * CAPTION_LEN + i] = 1;
      });
  }
  return {
    pixels: { dtype: 'float32', shape: [B, 3, S, S], data: pixels },
    caption: { dtype: 'int64', shape: [B, CAPTION_LEN], data: caption },
    caption_mask: { dtype: 'float32', shape: [B, CAPTION_LEN], data: mask },
  };
}
