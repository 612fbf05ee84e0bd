// CIDEr-D exactly as pycocoevalcap's cider_scorer.py (what COCO papers report as "CIDEr"):
// tf-idf n-gram vectors (n = 1..4) with document frequencies taken from the references of the
// evaluated images only, clipped cosine similarity (min of candidate and reference weight), a
// Gaussian length penalty (sigma = 6), mean over n, mean over references, x10, mean over images.
// Reference quirks kept: the "length" in the penalty counts bigrams (words - 1, 0 for one word);
// with a single image every idf is log(1) = 0, so the score is 0.
import { exactLog, exactPow } from './exact_math.js';
import { ngramCounts, ngramOrder } from './ngrams.js';
import { numpyMean } from '../../compat/python.js';

export interface CiderOptions {
  n?: number;
  sigma?: number;
}

interface TfIdf {
  vec: Map<string, number>[];
  norm: number[];
  length: number;
}

/** hyps[i] is the tokenised candidate for image i, refs[i] its tokenised references. */
export function ciderDScore(
  hyps: readonly string[],
  refs: readonly (readonly string[])[],
  { n = 4, sigma = 6 }: CiderOptions = {},
): { corpus: number; perImage: number[] } {
  if (hyps.length !== refs.length) throw new Error(`ciderDScore: ${hyps.length} candidates but ${refs.length} reference lists`);
  const refCounts = refs.map((rs, i) => {
    if (rs.length === 0) throw new Error(`ciderDScore: image ${i} has no references`);
    return rs.map((r) => ngramCounts(r, n).counts);
  });
  const df = new Map<string, number>();
  for (const counts of refCounts) {
    const seen = new Set<string>();
    for (const c of counts) for (const g of c.keys()) seen.add(g);
    for (const g of seen) df.set(g, (df.get(g) ?? 0) + 1);
  }
  const refLen = exactLog(refs.length);
  const logDf = new Map<number, number>(); // few distinct df values: cache their logs

  const toTfIdf = (counts: Map<string, number>): TfIdf => {
    const vec = Array.from({ length: n }, () => new Map<string, number>());
    const norm = new Array<number>(n).fill(0);
    let length = 0;
    for (const [g, tf] of counts) {
      const d = Math.max(1, df.get(g) ?? 0); // n-grams absent from all references count as df 1
      if (!logDf.has(d)) logDf.set(d, exactLog(d));
      const k = ngramOrder(g) - 1;
      const w = tf * (refLen - logDf.get(d)!);
      vec[k].set(g, w);
      norm[k] += w * w;
      if (k === 1) length += tf; // the reference's quirk: bigram count, not word count
    }
    return { vec, norm: norm.map(Math.sqrt), length };
  };

  const similarity = (hyp: TfIdf, ref: TfIdf): number[] => {
    const delta = hyp.length - ref.length;
    const penalty = exactPow(Math.E, -(delta * delta) / (2 * (sigma * sigma)));
    return hyp.vec.map((hv, k) => {
      let val = 0;
      for (const [g, h] of hv) {
        const r = ref.vec[k].get(g) ?? 0;
        val += (r < h ? r : h) * r; // CIDEr-D clipping
      }
      if (hyp.norm[k] !== 0 && ref.norm[k] !== 0) val /= hyp.norm[k] * ref.norm[k];
      return val * penalty;
    });
  };

  const perImage = hyps.map((hypText, i) => {
    const hyp = toTfIdf(ngramCounts(hypText, n).counts);
    const score = new Array<number>(n).fill(0);
    for (const rc of refCounts[i]) similarity(hyp, toTfIdf(rc)).forEach((v, k) => (score[k] += v));
    return (numpyMean(score) / refs[i].length) * 10;
  });
  return { corpus: numpyMean(perImage), perImage };
}
