// ARC (AI2 Reasoning Challenge), the released .jsonl:
//   {"id": "Mercury_7175875", "question": {"stem": "...", "choices": [{"label": "A", "text": "..."}, ...]}, "answerKey": "C"}
// Labels are letters or digits ("1".."4"). Prompt as lm-evaluation-harness:
//   context "Question: {stem}\nAnswer:", each choice " {text}".
import type { MultipleChoiceItem } from '../items.js';
import { readJsonlItems, rowId, text } from './jsonl.js';

const EXPECTED = 'like {"question": {"stem": "...", "choices": [{"label": "A", "text": "..."}]}, "answerKey": "A"}';

export function readArc(path: string) {
  return readJsonlItems(path, EXPECTED, (row, fallback): MultipleChoiceItem => {
    const q = row.question as { stem?: unknown; choices?: unknown } | undefined;
    if (!q || typeof q !== 'object' || typeof q.stem !== 'string' || !Array.isArray(q.choices) || q.choices.length < 2) {
      throw new Error(`"question" must be {"stem": string, "choices": [{"label", "text"}, ...]} with at least two choices. Fix: use the ARC .jsonl release.`);
    }
    const choices = (q.choices as { label?: unknown; text?: unknown }[]).map((c, i) => {
      if (typeof c?.label !== 'string' || typeof c?.text !== 'string') throw new Error(`question.choices[${i}] must be {"label": string, "text": string}.`);
      return { label: c.label, text: c.text };
    });
    const key = text(row, 'answerKey', 'each question needs its answer label, e.g. "answerKey": "B".');
    const answerIndex = choices.findIndex((c) => c.label === key);
    if (answerIndex < 0) throw new Error(`answerKey "${key}" is not one of the labels ${choices.map((c) => c.label).join(', ')}.`);
    return { id: rowId(row, fallback), context: `Question: ${q.stem}\nAnswer:`, choices: choices.map((c) => c.text), answerIndex };
  });
}
