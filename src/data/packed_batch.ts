// The contract between data/ and model/: what one packed training batch holds.
// data/ fills it (pure TypeScript), model/ turns it into graph inputs. Shapes are
// static per recipe so that one ONNX graph serves every step.

/** Token ids reserved by every mm1 tokenizer (the synthetic one and imported ones map onto these roles). */
export interface SpecialTokens {
  pad: number;
  bos: number;
  eos: number;
  /** The placeholder id repeated k times where an image's tokens go. */
  image: number;
  /** Optional markers around an image's run of placeholders. */
  imageStart?: number;
  imageEnd?: number;
}

/** Index used in `targets` for positions that carry no loss. */
export const IGNORE_INDEX = -100;

/**
 * One batch of B packed sequences of T tokens with room for N images each.
 * Every array is row-major over [B, T] unless stated otherwise.
 */
export interface PackedBatch {
  B: number;
  T: number;
  /** Max images per sequence; image slots beyond the real count are blank and unused. */
  N: number;
  /** Image tokens per image (k, times crops when sub-image decomposition is on). */
  tokensPerImage: number;
  /** Input token ids [B, T]; image positions hold SpecialTokens.image. */
  tokens: Int32Array;
  /** Next-token targets [B, T]; IGNORE_INDEX where no loss (image placeholders, padding, prompts in SFT). */
  targets: Int32Array;
  /** Document id per position [B, T] (0 = padding); attention is block-diagonal over equal ids. */
  segments: Int32Array;
  /** Position within its document [B, T], for RoPE. */
  positions: Int32Array;
  /**
   * For each position [B, T]: -1 for a text token, else the row in the flattened image-token
   * matrix [B*N*tokensPerImage, D] whose embedding replaces the text embedding there.
   */
  imageTokenIndex: Int32Array;
  /**
   * Encoder crops per image: 1, or 1 + g² with sub-image decomposition (image_tokens.ts).
   * Absent means 1. The crops of one image are contiguous in `images`.
   */
  cropsPerImage?: number;
  /** Pixels [B*N*cropsPerImage, C, H, W], CLIP-normalised float32; blank (zeros) for unused slots. */
  images: Float32Array;
  imageShape: [number, number, number];
  /** How many image slots of each sequence are real [B]. */
  imageCount: Int32Array;
}
