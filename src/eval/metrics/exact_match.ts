// Exact match for open-ended QA (TriviaQA, WebQuestions): a prediction is right if, after
// normalisation, it equals any gold answer (alias). Two normalisations, as in the official scripts:
// - 'squad'    (SQuAD v1.1 evaluate-v1.1.py): lower-case, delete punctuation, drop a/an/the,
//              collapse whitespace;
// - 'triviaqa' (TriviaQA utils): "_" to space, lower-case, punctuation and the quotes ‘ ’ ´ `
//              become spaces, drop a/an/the, collapse whitespace.
import { pySplit } from '../../compat/python.js';

export type AnswerNormalisation = 'squad' | 'triviaqa';

const ASCII_PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g; // Python string.punctuation
const TRIVIAQA_PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~‘’´]/g;
// Python 3's \b: word characters are letters, digits and "_" in any script
const ARTICLES = /(?<![\p{L}\p{N}_])(?:a|an|the)(?![\p{L}\p{N}_])/gu;

export function normalizeAnswer(s: string, style: AnswerNormalisation = 'squad'): string {
  let t = style === 'triviaqa' ? s.replace(/_/g, ' ').toLowerCase() : s.toLowerCase();
  t = t.replace(style === 'triviaqa' ? TRIVIAQA_PUNCTUATION : ASCII_PUNCTUATION, style === 'triviaqa' ? ' ' : '');
  return pySplit(t.replace(ARTICLES, ' ')).join(' ');
}

export function exactMatch(prediction: string, goldAnswers: readonly string[], style: AnswerNormalisation = 'squad'): boolean {
  const p = normalizeAnswer(prediction, style);
  return goldAnswers.some((g) => normalizeAnswer(g, style) === p);
}

/** Fraction (in [0, 1]) of predictions that match one of their gold answers. */
export function exactMatchAccuracy(items: readonly { prediction: string; answers: readonly string[] }[], style: AnswerNormalisation = 'squad'): number {
  if (items.length === 0) throw new Error('exactMatchAccuracy: no questions to score');
  return items.filter((it) => exactMatch(it.prediction, it.answers, style)).length / items.length;
}
