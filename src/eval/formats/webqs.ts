// WebQuestions .jsonl: {"question": "...", "answers": ["...", ...]} (the Hugging Face
// web_questions layout). Exact match against any answer, SQuAD normalisation.
import type { OpenQaItem } from '../items.js';
import { readJsonlItems, rowId, text, textList } from './jsonl.js';

export function readWebqs(path: string) {
  return readJsonlItems(path, 'like {"question": "...", "answers": ["..."]}', (row, fallback): OpenQaItem => {
    const fix = 'each line needs "question" and a non-empty "answers" list.';
    return { id: rowId(row, fallback), question: text(row, 'question', fix), answers: textList(row, 'answers', fix) };
  });
}
