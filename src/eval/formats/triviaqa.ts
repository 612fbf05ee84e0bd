// TriviaQA (e.g. the rc.nocontext validation split exported as .jsonl):
//   {"question": "...", "question_id": "...", "answer": {"value": "...", "aliases": ["...", ...]}}
// Any alias (or the value) counts, after TriviaQA's answer normalisation.
import type { OpenQaItem } from '../items.js';
import { readJsonlItems, rowId, text } from './jsonl.js';

export function readTriviaqa(path: string) {
  return readJsonlItems(path, 'like {"question": "...", "answer": {"value": "...", "aliases": ["..."]}}', (row, fallback): OpenQaItem => {
    const answer = row.answer as { value?: unknown; aliases?: unknown } | undefined;
    if (!answer || typeof answer.value !== 'string' || (answer.aliases !== undefined && !Array.isArray(answer.aliases))) {
      throw new Error('"answer" must be {"value": string, "aliases": [string, ...]}. Fix: export the split with its answers (not the test split).');
    }
    const aliases = ((answer.aliases as unknown[] | undefined) ?? []).filter((a): a is string => typeof a === 'string');
    return {
      id: rowId(row, fallback, 'question_id'),
      question: text(row, 'question', 'each line needs "question".'),
      answers: [...new Set([answer.value, ...aliases])],
    };
  });
}
