// Multiple-choice accuracy by log-likelihood, the usual scoring for ARC, PIQA, WinoGrande,
// HellaSwag and SciQ (lm-evaluation-harness "acc" and "acc_norm"): the model picks the choice
// whose continuation has the highest summed log-probability, optionally divided by its length.
// Ties go to the first choice, like numpy.argmax.

export type ChoiceNormalisation = 'none' | 'per-token' | 'per-char';

export interface ChoiceQuestion {
  /** summed log-probability of each choice's continuation tokens given the context */
  logProbs: readonly number[];
  /** tokens in each continuation (needed for 'per-token') */
  tokenLengths?: readonly number[];
  /** characters in each continuation, leading space included as in lm-eval (for 'per-char') */
  charLengths?: readonly number[];
  /** index of the correct choice */
  gold: number;
}

/** Index of the chosen answer. */
export function pickChoice(q: ChoiceQuestion, norm: ChoiceNormalisation = 'none'): number {
  const lengths = norm === 'per-token' ? q.tokenLengths : norm === 'per-char' ? q.charLengths : undefined;
  if (norm !== 'none' && (lengths === undefined || lengths.length !== q.logProbs.length)) {
    throw new Error(`pickChoice: '${norm}' needs ${norm === 'per-token' ? 'tokenLengths' : 'charLengths'} with one entry per choice (${q.logProbs.length})`);
  }
  let best = -1;
  let bestScore = -Infinity;
  q.logProbs.forEach((lp, i) => {
    const score = lengths ? lp / lengths[i] : lp;
    if (best === -1 || score > bestScore) [best, bestScore] = [i, score];
  });
  return best;
}

/** Fraction of questions (in [0, 1]) where the chosen answer is the gold one. */
export function multipleChoiceAccuracy(questions: readonly ChoiceQuestion[], norm: ChoiceNormalisation = 'none'): number {
  if (questions.length === 0) throw new Error('multipleChoiceAccuracy: no questions to score');
  questions.forEach((q, i) => {
    if (!(q.gold >= 0 && q.gold < q.logProbs.length))
      throw new Error(`multipleChoiceAccuracy: question ${i} has gold ${q.gold} but ${q.logProbs.length} choices`);
  });
  return questions.filter((q) => pickChoice(q, norm) === q.gold).length / questions.length;
}
