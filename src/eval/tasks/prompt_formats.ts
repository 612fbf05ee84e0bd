// The prompt formats tasks share: the templates, stop strings, generation lengths and
// post-processing of each family. mm1's own formats (docs/world.md) are what its models
// are trained on, so the world tasks and the public image tasks use them; the public text
// tasks use lm-evaluation-harness's, the usual way those benchmarks are reported.
import type { Task } from '../task.js';

type Format = Pick<Task, 'template' | 'stop' | 'maxNewTokens' | 'postprocess'>;

/** [img, "caption: c1.", img, "caption: c2.", img, "caption:"] — stop at the period. */
export const MM1_CAPTION: Format = {
  template: { shot: 'caption: {caption}.', query: 'caption:' },
  stop: ['.', '\n', 'caption:'],
  maxNewTokens: 20, // OpenFlamingo's caption length
  postprocess: 'caption',
};

/** [img, "question: q answer: a.", ..., img, "question: q answer:"] — MM1 reportedly stops
 *  VQA at "." "," and "Question"; OpenFlamingo generates 5 tokens. */
export const MM1_VQA: Format = {
  template: { shot: 'question: {question} answer: {answer}.', query: 'question: {question} answer:' },
  stop: ['.', ',', '\n', 'question'],
  maxNewTokens: 8,
  postprocess: 'short-answer',
};

/** Text-only questions in the world's drill format, shots joined by a space. */
export const MM1_OPEN_QA: Format = { ...MM1_VQA, template: { ...MM1_VQA.template, separator: ' ' } };

/** "{context} {choice}." shots; each choice scored as " {choice}" after the context. */
export const MM1_MULTIPLE_CHOICE: Format = {
  template: { shot: '{context} {choice}.', query: '{context}', continuation: ' {choice}', separator: ' ' },
  stop: [],
  maxNewTokens: 0,
  postprocess: 'none',
};

/** "{context} {target}." shots; the first generated word is the prediction. */
export const MM1_CLOZE: Format = {
  template: { shot: '{context} {target}.', query: '{context}', continuation: ' {target}', separator: ' ' },
  stop: ['.', '\n'],
  maxNewTokens: 4,
  postprocess: 'none',
};

/** lm-evaluation-harness: shots "{context} {choice}" separated by a blank line. */
export const LM_EVAL_MULTIPLE_CHOICE: Format = {
  template: { shot: '{context} {choice}', query: '{context}', continuation: ' {choice}', separator: '\n\n' },
  stop: [],
  maxNewTokens: 0,
  postprocess: 'none',
};

export const LM_EVAL_CLOZE: Format = {
  template: { shot: '{context} {target}', query: '{context}', continuation: ' {target}', separator: '\n\n' },
  stop: ['\n'],
  maxNewTokens: 6,
  postprocess: 'none',
};

/** lm-evaluation-harness TriviaQA: "Question: q\nAnswer:", stop at newline, period, comma. */
export const LM_EVAL_OPEN_QA: Format = {
  template: { shot: 'Question: {question}\nAnswer: {answer}', query: 'Question: {question}\nAnswer:', separator: '\n\n' },
  stop: ['\n', '.', ','],
  maxNewTokens: 16,
  postprocess: 'short-answer',
};
