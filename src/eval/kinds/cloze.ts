// Cloze (LAMBADA): the passage's last word. Scored two ways from one prompt: greedy
// generation whose first word must be the target ("acc", as the LAMBADA paper), and the
// likelihood of the target — whether greedy decoding would produce it ("acc_ll",
// lm-evaluation-harness) and its perplexity.
import { lambadaPredictedWord } from '../metrics/lambada.js';
import type { KindAdapter } from './adapter.js';

export const clozeAdapter: KindAdapter<'cloze'> = {
  generates: true,
  vars: (item) => ({ context: item.context, target: item.target }),
  likelihoodVars: (item) => [{ context: item.context, target: item.target }],
  sameQuery: (c, q) => c.id === q.id || c.context === q.context,
  queryText: (item) => item.context,
  references: (item) => item.target,
  score(_task, rows) {
    const hits = rows.map((r) => lambadaPredictedWord(r.generation ?? '') === r.item.target.trim());
    const lls = rows.map((r) => r.likelihoods?.[0]);
    const metrics: Record<string, number> = { acc: (100 * hits.filter(Boolean).length) / rows.length };
    if (lls.every((l) => l !== undefined)) {
      metrics.acc_ll = (100 * lls.filter((l) => l.isGreedy).length) / rows.length;
      const tokens = lls.reduce((s, l) => s + l.tokens, 0);
      metrics.ppl = Math.exp(-lls.reduce((s, l) => s + l.logProb, 0) / Math.max(1, tokens));
    }
    return { metrics, primary: 'acc', perSample: hits.map((h) => (h ? 100 : 0)), chosen: rows.map((r) => lambadaPredictedWord(r.generation ?? '')) };
  },
};
