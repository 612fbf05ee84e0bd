// Post-processing of generated text before scoring, after OpenFlamingo's eval code
// (open_flamingo/eval/eval_models.py and evaluate.py), adapted to mm1's lower-case cue words
// ("caption:", "question: ... answer:"). Generation already stops at the task's stop strings;
// these catch what a model says past its answer when no stop string came.

export type PostprocessName = 'caption' | 'short-answer' | 'none';

/** Captions: cut where the model starts a new example ("caption:" / OpenFlamingo's "Output"),
 *  keep the first line, drop double quotes. */
export function postprocessCaption(text: string): string {
  const cut = text.split(/caption:|Output/i, 1)[0].split('\n', 1)[0];
  return cut.replace(/"/g, '').trim();
}

/** Short answers (VQA, open QA): OpenFlamingo's re.split("Question|Answer|Short", pred, 1)[0]
 *  then re.split(", ", ., 1)[0]; here case-insensitive (mm1's cues are lower case), then the
 *  first line, trimmed, without a final period. */
export function postprocessShortAnswer(text: string): string {
  const cut = text
    .split(/question|answer|short/i, 1)[0]
    .split(', ', 1)[0]
    .split('\n', 1)[0];
  return cut.trim().replace(/\.$/, '').trim();
}

export const POSTPROCESSORS: Record<PostprocessName, (text: string) => string> = {
  caption: postprocessCaption,
  'short-answer': postprocessShortAnswer,
  none: (text) => text,
};
