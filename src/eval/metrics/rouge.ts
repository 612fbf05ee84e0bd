// ROUGE-L exactly as pycocoevalcap's rouge.py: LCS on tokens split on single spaces, the best
// precision and the best recall over the references (each maximised separately), combined as
// F_beta with beta = 1.2, then the NumPy mean over images.
import { numpyMean } from '../../compat/python.js';

const BETA = 1.2;

function lcsLength(a: readonly string[], b: readonly string[]): number {
  let prev = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    const cur = new Array<number>(b.length + 1).fill(0);
    for (let j = 1; j <= b.length; j++) cur[j] = a[i - 1] === b[j - 1] ? prev[j - 1] + 1 : Math.max(prev[j], cur[j - 1]);
    prev = cur;
  }
  return prev[b.length];
}

/** ROUGE-L of one tokenised candidate against its tokenised references. split(" ") on purpose:
 *  an empty candidate is one empty token, as in the reference. */
export function rougeLSentence(hyp: string, refs: readonly string[]): number {
  if (refs.length === 0) throw new Error('rougeLSentence: no references');
  const c = hyp.split(' ');
  let precMax = -Infinity;
  let recMax = -Infinity;
  for (const ref of refs) {
    const r = ref.split(' ');
    const lcs = lcsLength(r, c);
    precMax = Math.max(precMax, lcs / c.length);
    recMax = Math.max(recMax, lcs / r.length);
  }
  if (precMax === 0 || recMax === 0) return 0;
  const b2 = BETA * BETA;
  return ((1 + b2) * precMax * recMax) / (recMax + b2 * precMax);
}

export function rougeLScore(hyps: readonly string[], refs: readonly (readonly string[])[]): { corpus: number; perImage: number[] } {
  if (hyps.length !== refs.length) throw new Error(`rougeLScore: ${hyps.length} candidates but ${refs.length} reference lists`);
  const perImage = hyps.map((h, i) => rougeLSentence(h, refs[i]));
  return { corpus: numpyMean(perImage), perImage };
}
