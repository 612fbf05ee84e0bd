// LAMBADA (OpenAI's detokenised test set, lambada_test.jsonl): {"text": "... passage ... lastword"}.
// The target is the last space-separated word; the context is everything before that space
// (lm-evaluation-harness lambada_openai).
import type { ClozeItem } from '../items.js';
import { readJsonlItems, rowId, text } from './jsonl.js';

export function readLambada(path: string) {
  return readJsonlItems(path, 'like {"text": "..."}', (row, fallback): ClozeItem => {
    const passage = text(row, 'text', 'each line needs {"text": "..."}.').trim();
    const cut = passage.lastIndexOf(' ');
    if (cut <= 0) throw new Error('the passage has no space, so there is no last word to predict. Fix: remove the line.');
    return { id: rowId(row, fallback), context: passage.slice(0, cut), target: passage.slice(cut + 1) };
  });
}
