// WinoGrande .jsonl: {"sentence": "... _ ...", "option1", "option2", "answer": "1"|"2"}.
// Scored as lm-evaluation-harness does ("partial evaluation"): each option fills the blank,
// and the model scores the rest of the sentence after it. So the choices share one
// continuation and differ in context (MultipleChoiceItem.choiceContexts).
import type { MultipleChoiceItem } from '../items.js';
import { checkIndex, intLabel, readJsonlItems, rowId, text } from './jsonl.js';

export function readWinogrande(path: string) {
  return readJsonlItems(path, 'like {"sentence": "... _ ...", "option1": "...", "option2": "...", "answer": "1"}', (row, fallback): MultipleChoiceItem => {
    const fix = 'each line needs "sentence" (with one "_"), "option1", "option2" and "answer".';
    const sentence = text(row, 'sentence', fix);
    const blank = sentence.indexOf('_');
    if (blank < 0) throw new Error(`"sentence" has no "_" blank to fill: ${JSON.stringify(sentence.slice(0, 60))}.`);
    const options = [text(row, 'option1', fix), text(row, 'option2', fix)];
    if (row.answer === '') throw new Error('"answer" is empty (the unlabeled test split?). Fix: evaluate on a labeled split (dev).');
    const answerIndex = checkIndex(intLabel(row.answer, 'field "answer"', 'use "1" or "2".') - 1, 2, 'answer - 1');
    const rest = sentence.slice(blank + 1).trim();
    return {
      id: rowId(row, fallback, 'qID'),
      context: sentence.slice(0, blank),
      choices: [rest, rest],
      answerIndex,
      choiceContexts: options.map((o) => sentence.slice(0, blank) + o),
    };
  });
}
