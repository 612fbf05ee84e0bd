// n-gram counting shared by BLEU and CIDEr-D (pycocoevalcap's `precook`).
import { pySplit } from '../../compat/python.js';

/** Counts of all 1..n-grams of a whitespace-tokenised sentence, keyed by the words joined with
 *  one space (tokens never contain whitespace, so the key is unambiguous). Insertion order is
 *  first occurrence, by n then position, as in the reference: CIDEr sums floats in that order. */
export function ngramCounts(sentence: string, n: number): { words: number; counts: Map<string, number> } {
  const words = pySplit(sentence);
  const counts = new Map<string, number>();
  for (let k = 1; k <= n; k++) {
    for (let i = 0; i + k <= words.length; i++) {
      const g = words.slice(i, i + k).join(' ');
      counts.set(g, (counts.get(g) ?? 0) + 1);
    }
  }
  return { words: words.length, counts };
}

/** The n of an n-gram key. */
export const ngramOrder = (key: string): number => key.split(' ').length;
