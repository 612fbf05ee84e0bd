// SciQ .jsonl: {"question", "distractor1", "distractor2", "distractor3", "correct_answer", "support"}.
// Prompt as lm-evaluation-harness: "{support}\nQuestion: {question}\nAnswer:", choices the
// three distractors then the correct answer (so the answer index is always 3).
import type { MultipleChoiceItem } from '../items.js';
import { readJsonlItems, rowId, text } from './jsonl.js';

export function readSciq(path: string) {
  return readJsonlItems(
    path,
    'like {"question": "...", "distractor1": "...", "distractor2": "...", "distractor3": "...", "correct_answer": "...", "support": "..."}',
    (row, fallback): MultipleChoiceItem => {
      const fix = 'each line needs "question", "distractor1".."distractor3" and "correct_answer" ("support" may be empty).';
      const support = typeof row.support === 'string' ? row.support.trimStart() : '';
      const choices = ['distractor1', 'distractor2', 'distractor3', 'correct_answer'].map((f) => text(row, f, fix));
      return { id: rowId(row, fallback), context: `${support}\nQuestion: ${text(row, 'question', fix)}\nAnswer:`, choices, answerIndex: 3 };
    },
  );
}
