// Evaluation metrics, each matching a reference implementation (see each file's header).
export { bleuScore, type BleuResult } from './bleu.js';
export { ciderDScore, type CiderOptions } from './cider.js';
export { rougeLScore, rougeLSentence } from './rouge.js';
export { scoreCaptions, type CaptionExample, type CaptionScores, type CaptionScoreOptions } from './caption-scores.js';
export { cocoTokenize, ptbTokenizeLines, ptbLex, COCO_PUNCTUATION } from './ptb-tokenizer.js';
export { vqaAccuracy, vqaQuestionAccuracy, type VqaAccuracy, type VqaHumanAnswer, type VqaOptions, type VqaScoredQuestion } from './vqa-accuracy.js';
export { vqaNormalizeAnswer, vqaProcessDigitArticle, vqaProcessPunctuation } from './vqa-normalize.js';
export { gqaAccuracy } from './gqa.js';
export { multipleChoiceAccuracy, pickChoice, type ChoiceNormalisation, type ChoiceQuestion } from './multiple-choice.js';
export { exactMatch, exactMatchAccuracy, normalizeAnswer, type AnswerNormalisation } from './exact-match.js';
export { lambadaAccuracy, lambadaPredictedWord } from './lambada.js';
