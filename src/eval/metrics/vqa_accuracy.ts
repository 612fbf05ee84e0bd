// VQA accuracy exactly as the official evaluation (GT-Vision-Lab/VQA vqaEval.py at a013f00):
// per question, for each of the (usually 10) human answers, min(1, #other humans who gave the
// predicted answer / 3); the question's score is the mean of these leave-one-out values. Answers
// are normalised (vqa-normalize.ts) only when the humans disagree; when all agree the match is
// exact. Dataset accuracy = round(100 * mean, 2), computed with Python 2's round (the reference is
// Python 2 code: exact ties go away from zero; Python 3 ports round them to even).
// Also the metric of TextVQA, VizWiz and OK-VQA. OK-VQA v1.1's answers come stemmed; the
// official tool scores predictions as they are, OpenFlamingo stems them first (docs/eval.md):
// such a stemmer goes in `transformPrediction`.
import { pyRound, pyStrip, pySum } from '../../compat/python.js';
import { vqaNormalizeAnswer } from './vqa_normalize.js';

/** A human answer as in VQA annotation files; fields other than `answer` matter only in that the
 *  reference leaves out every answer *equal as a whole record* to the held-out one. */
export interface VqaHumanAnswer {
  answer: string;
  [field: string]: unknown;
}

export interface VqaScoreOptions {
  /** applied to each prediction before scoring (e.g. OK-VQA stemming) */
  transformPrediction?: (prediction: string) => string;
}

const clean = (s: string): string => pyStrip(s.replace(/[\n\t]/g, ' '));
/** Python dict equality for flat JSON records, via a key-sorted serialisation. */
const recordKey = (r: VqaHumanAnswer): string =>
  JSON.stringify(
    Object.keys(r)
      .sort()
      .map((k) => [k, r[k]]),
  );

/** Accuracy of one prediction in [0, 1]. Plain strings count as distinct answers. */
export function vqaQuestionAccuracy(
  prediction: string,
  humanAnswers: readonly (string | VqaHumanAnswer)[],
  { transformPrediction }: VqaScoreOptions = {},
): number {
  if (humanAnswers.length === 0) throw new Error('vqaQuestionAccuracy: a question needs at least one human answer');
  let pred = clean(transformPrediction ? transformPrediction(prediction) : prediction);
  let answers = humanAnswers.map((a, i) => (typeof a === 'string' ? { answer: clean(a), answer_id: i } : { ...a, answer: clean(a.answer) }));
  if (new Set(answers.map((a) => a.answer)).size > 1) {
    answers = answers.map((a) => ({ ...a, answer: vqaNormalizeAnswer(a.answer) }));
    pred = vqaNormalizeAnswer(pred);
  }
  const keys = answers.map(recordKey);
  const perHeldOut = keys.map((held) => {
    const matches = answers.filter((a, j) => keys[j] !== held && a.answer === pred).length;
    return Math.min(1, matches / 3);
  });
  return pySum(perHeldOut) / perHeldOut.length;
}

export interface VqaScoredQuestion {
  prediction: string;
  answers: readonly (string | VqaHumanAnswer)[];
  /** e.g. "yes/no", "number", "other" in VQAv2 */
  answerType?: string;
  /** e.g. "what color is the" in VQAv2 */
  questionType?: string;
}

export interface VqaAccuracy {
  /** 100 x mean accuracy, rounded to 2 decimals */
  overall: number;
  perAnswerType: Record<string, number>;
  perQuestionType: Record<string, number>;
  /** unrounded accuracy of each question in [0, 1], in input order */
  perQuestion: number[];
}

const percent = (accs: number[]): number => pyRound((100 * pySum(accs)) / accs.length, 2, 'away');

function groupPercent(accs: number[], groups: (string | undefined)[]): Record<string, number> {
  const by = new Map<string, number[]>();
  groups.forEach((g, i) => {
    if (g === undefined) return;
    if (!by.has(g)) by.set(g, []);
    by.get(g)!.push(accs[i]);
  });
  return Object.fromEntries([...by].map(([g, a]) => [g, percent(a)]));
}

export function vqaAccuracy(questions: readonly VqaScoredQuestion[], options: VqaScoreOptions = {}): VqaAccuracy {
  if (questions.length === 0) throw new Error('vqaAccuracy: no questions to score');
  const perQuestion = questions.map((q) => vqaQuestionAccuracy(q.prediction, q.answers, options));
  return {
    overall: percent(perQuestion),
    perAnswerType: groupPercent(
      perQuestion,
      questions.map((q) => q.answerType),
    ),
    perQuestionType: groupPercent(
      perQuestion,
      questions.map((q) => q.questionType),
    ),
    perQuestion,
  };
}
