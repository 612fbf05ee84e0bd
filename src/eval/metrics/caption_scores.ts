// The COCO caption metrics as pycocoevalcap's COCOEvalCap.evaluate reports them (without METEOR
// and SPICE, which need Java): PTB-tokenise references and candidates, then BLEU-1..4, ROUGE-L
// and CIDEr-D over the evaluated images.
import { bleuScore } from './bleu.js';
import { ciderDScore } from './cider.js';
import { cocoTokenize } from './ptb_tokenizer.js';
import { rougeLScore } from './rouge.js';

export interface CaptionScores {
  BLEU_1: number;
  BLEU_2: number;
  BLEU_3: number;
  BLEU_4: number;
  ROUGE_L: number;
  CIDEr: number;
}

export interface CaptionExample {
  /** the model's caption for one image */
  candidate: string;
  /** the human reference captions for that image (at least one) */
  references: readonly string[];
}

export interface CaptionScoreOptions {
  /** false: the captions are already tokenised (tokens separated by spaces); default true */
  tokenize?: boolean;
}

/** Corpus scores over `examples`, in order (the order matters in the last bits of the means).
 *  Like the reference, all references are tokenised in one stream and all candidates in another. */
export function scoreCaptions(
  examples: readonly CaptionExample[],
  { tokenize = true }: CaptionScoreOptions = {},
): CaptionScores & { perImage: CaptionScores[] } {
  if (examples.length === 0) throw new Error('scoreCaptions: no captions to score');
  examples.forEach((e, i) => {
    if (e.references.length === 0) throw new Error(`scoreCaptions: example ${i} has no reference captions`);
  });
  let hyps = examples.map((e) => e.candidate);
  let refs = examples.map((e) => [...e.references]);
  if (tokenize) {
    hyps = cocoTokenize(hyps);
    const flat = cocoTokenize(refs.flat());
    let p = 0;
    refs = refs.map((r) => flat.slice(p, (p += r.length)));
  }
  const bleu = bleuScore(hyps, refs);
  const rouge = rougeLScore(hyps, refs);
  const cider = ciderDScore(hyps, refs);
  const perImage = hyps.map((_, i) => ({
    BLEU_1: bleu.perImage[0][i],
    BLEU_2: bleu.perImage[1][i],
    BLEU_3: bleu.perImage[2][i],
    BLEU_4: bleu.perImage[3][i],
    ROUGE_L: rouge.perImage[i],
    CIDEr: cider.perImage[i],
  }));
  const [BLEU_1, BLEU_2, BLEU_3, BLEU_4] = bleu.corpus;
  return { BLEU_1, BLEU_2, BLEU_3, BLEU_4, ROUGE_L: rouge.corpus, CIDEr: cider.corpus, perImage };
}
