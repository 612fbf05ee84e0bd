// HellaSwag .jsonl: {"ctx": "...", "endings": [4 strings], "label": 0..3} (also
// "activity_label", and "ctx_a"/"ctx_b" which "ctx" joins). Prompt and cleaning as
// lm-evaluation-harness: context "{activity_label}: {ctx}", WikiHow markup removed.
import type { MultipleChoiceItem } from '../items.js';
import { checkIndex, intLabel, readJsonlItems, rowId, text, textList } from './jsonl.js';

/** lm-eval's hellaswag preprocess: " [title]" becomes ". ", other [tags] go, double spaces close. */
export function cleanHellaswag(s: string): string {
  return s
    .trim()
    .replaceAll(' [title]', '. ')
    .replace(/\[.*?\]/g, '')
    .replaceAll('  ', ' ');
}

export function readHellaswag(path: string) {
  return readJsonlItems(path, 'like {"ctx": "...", "endings": ["...", ...], "label": 0}', (row, fallback): MultipleChoiceItem => {
    const fix = 'each line needs "ctx", "endings" and "label".';
    const ctx = text(row, 'ctx', fix);
    const endings = textList(row, 'endings', fix);
    const activity = typeof row.activity_label === 'string' ? `${row.activity_label}: ` : '';
    const answerIndex = checkIndex(intLabel(row.label, 'field "label"', 'give the index of the right ending.'), endings.length, 'label');
    return { id: rowId(row, fallback, 'ind'), context: cleanHellaswag(activity + ctx), choices: endings.map(cleanHellaswag), answerIndex };
  });
}
