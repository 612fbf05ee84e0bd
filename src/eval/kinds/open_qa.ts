// Open QA (TriviaQA, WebQuestions): a short generated answer, right if it equals any gold
// answer after normalisation (SQuAD's, or TriviaQA's own for TriviaQA).
import { exactMatch } from '../metrics/exact_match.js';
import type { KindAdapter } from './adapter.js';

const normalise = (q: string): string => q.toLowerCase().replace(/\s+/g, ' ').trim();

export const openQaAdapter: KindAdapter<'open-qa'> = {
  generates: true,
  vars: (item) => ({ question: item.question, answer: item.answers[0] }),
  // Generated sets ask the same fact under several ids: never show its answer as a shot.
  sameQuery: (c, q) => c.id === q.id || normalise(c.question) === normalise(q.question),
  queryText: (item) => item.question,
  references: (item) => item.answers,
  score(task, rows) {
    const style = task.metric === 'exact-match-triviaqa' ? 'triviaqa' : 'squad';
    const hits = rows.map((r) => exactMatch(r.prediction ?? '', r.item.answers, style));
    return { metrics: { exact_match: (100 * hits.filter(Boolean).length) / rows.length }, primary: 'exact_match', perSample: hits.map((h) => (h ? 100 : 0)) };
  },
};
