// Evaluation metrics, each matching a reference implementation (see each file's header).
export { bleuScore, type BleuResult } from './bleu.js';
export { ciderDScore, type CiderOptions } from './cider.js';
export { rougeLScore, rougeLSentence } from './rouge.js';
export { scoreCaptions, type CaptionExample, type CaptionScores, type CaptionScoreOptions } from './caption_scores.js';
export { cocoTokenize, ptbTokenizeLines, ptbLex, COCO_PUNCTUATION } from './ptb_tokenizer.js';
export { vqaAccuracy, vqaQuestionAccuracy, type VqaAccuracy, type VqaHumanAnswer, type VqaScoreOptions, type VqaScoredQuestion } from './vqa_accuracy.js';
export { vqaNormalizeAnswer, vqaProcessDigitArticle, vqaProcessPunctuation } from './vqa_normalize.js';
export { gqaAccuracy } from './gqa.js';
export { multipleChoiceAccuracy, pickChoice, type ChoiceNormalisation, type ChoiceQuestion } from './multiple_choice.js';
export { exactMatch, exactMatchAccuracy, normalizeAnswer, type AnswerNormalisation } from './exact_match.js';
export { lambadaAccuracy, lambadaPredictedWord } from './lambada.js';
