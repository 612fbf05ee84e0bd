// Which option letter a free-text answer names, as VLMEvalKit's exact-matching step does
// (open-compass/VLMEvalKit vlmeval/utils/matching_util.py @ 18fc37a5: can_infer =
// can_infer_option, else can_infer_text). MMBench's official pipeline asks ChatGPT only when
// these rules find nothing; mm1 has no judge model, so such an answer counts as wrong
// (VLMEvalKit's "exact_matching" mode).
import { pySplit } from '../../compat/python.js';

/** Refusals VLMEvalKit maps to the "none of these" option Z. */
const REFUSALS = [
  "Sorry, I can't help with images of people yet.",
  "I can't process this file.",
  "I'm sorry, but without the image provided",
  'Cannot determine the answer',
];

/** A letter named on its own once among the answer's words, 'Z' for a refusal, else undefined. */
export function inferOption(answer: string, letters: readonly string[]): string | undefined {
  if (REFUSALS.some((r) => answer.includes(r))) return 'Z';
  const words = pySplit(answer.replace(/[.()[\],:;!*#{}]/g, ' '));
  const named = letters.filter((l) => words.includes(l));
  // VLMEvalKit's check that "A" is an article ("A cat ...") only runs with VERBOSE set.
  if (named.length === 1) return named[0];
  if (named.length === 0 && words.includes('Z')) return 'Z';
  return undefined;
}

/** The one option whose text appears (lower-cased) inside the answer, else undefined. */
export function inferOptionText(answer: string, options: Readonly<Record<string, string>>): string | undefined {
  const lower = answer.toLowerCase();
  const named = Object.keys(options).filter((l) => lower.includes(options[l].toLowerCase()));
  return named.length === 1 ? named[0] : undefined;
}

/** VLMEvalKit's can_infer: the letter rule, then the option-text rule. */
export function matchOption(answer: string, options: Readonly<Record<string, string>>): string | undefined {
  return inferOption(answer, Object.keys(options)) ?? inferOptionText(answer, options);
}
