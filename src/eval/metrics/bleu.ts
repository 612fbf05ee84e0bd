// BLEU-1..4 exactly as pycocoevalcap's bleu_scorer.py with option "closest": corpus-level
// clipped n-gram precisions (not a mean of sentence scores), the effective reference length is
// the reference length closest to the candidate's (ties -> the shorter), and the tiny/small
// constants that keep zero counts finite.
import { exactExp, exactPow } from './exact_math.js';
import { ngramCounts, ngramOrder } from './ngrams.js';

const TINY = 1e-15; // added to matches: 0 matches give a tiny, not zero, precision
const SMALL = 1e-9; // added to guesses: no division by zero

export interface BleuResult {
  /** corpus[k] = corpus BLEU-(k+1) */
  corpus: number[];
  /** perImage[k][i] = sentence BLEU-(k+1) of image i (pycocoevalcap's second return value) */
  perImage: number[][];
}

interface Cooked {
  testLen: number;
  refLen: number;
  guess: number[];
  correct: number[];
}

function cook(hyp: string, refs: readonly string[], n: number): Cooked {
  const maxRef = new Map<string, number>();
  const refLens: number[] = [];
  for (const ref of refs) {
    const { words, counts } = ngramCounts(ref, n);
    refLens.push(words);
    for (const [g, c] of counts) maxRef.set(g, Math.max(maxRef.get(g) ?? 0, c));
  }
  const { words: testLen, counts } = ngramCounts(hyp, n);
  // Python: min((abs(l - testlen), l) for l in reflen)[1]
  let refLen = refLens[0];
  for (const l of refLens) {
    const d = Math.abs(l - testLen);
    const best = Math.abs(refLen - testLen);
    if (d < best || (d === best && l < refLen)) refLen = l;
  }
  const guess = Array.from({ length: n }, (_, k) => Math.max(0, testLen - k));
  const correct = new Array<number>(n).fill(0);
  for (const [g, c] of counts) correct[ngramOrder(g) - 1] += Math.min(maxRef.get(g) ?? 0, c);
  return { testLen, refLen, guess, correct };
}

/** Geometric means of the first k precisions with the brevity penalty, as the reference
 *  accumulates them (a running product, then the 1/(k+1)-th power). */
function bleuFromCounts(correct: number[], guess: number[], testLen: number, refLen: number): number[] {
  const out: number[] = [];
  let product = 1;
  for (let k = 0; k < correct.length; k++) {
    product *= (correct[k] + TINY) / (guess[k] + SMALL);
    out.push(exactPow(product, 1 / (k + 1)));
  }
  const ratio = (testLen + TINY) / (refLen + SMALL);
  if (ratio < 1) {
    const bp = exactExp(1 - 1 / ratio);
    for (let k = 0; k < out.length; k++) out[k] *= bp;
  }
  return out;
}

/** hyps[i] is the tokenised candidate for image i, refs[i] its tokenised references. */
export function bleuScore(hyps: readonly string[], refs: readonly (readonly string[])[], n = 4): BleuResult {
  if (hyps.length !== refs.length) throw new Error(`bleuScore: ${hyps.length} candidates but ${refs.length} reference lists`);
  const perImage: number[][] = Array.from({ length: n }, () => []);
  const totalCorrect = new Array<number>(n).fill(0);
  const totalGuess = new Array<number>(n).fill(0);
  let testLen = 0;
  let refLen = 0;
  hyps.forEach((hyp, i) => {
    if (refs[i].length === 0) throw new Error(`bleuScore: image ${i} has no references`);
    const c = cook(hyp, refs[i], n);
    testLen += c.testLen;
    refLen += c.refLen;
    for (let k = 0; k < n; k++) {
      totalCorrect[k] += c.correct[k];
      totalGuess[k] += c.guess[k];
    }
    bleuFromCounts(c.correct, c.guess, c.testLen, c.refLen).forEach((b, k) => perImage[k].push(b));
  });
  return { corpus: bleuFromCounts(totalCorrect, totalGuess, testLen, refLen), perImage };
}
