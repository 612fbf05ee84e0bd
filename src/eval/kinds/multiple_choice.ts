// Multiple choice (ARC, PIQA, WinoGrande, HellaSwag, SciQ): the log-likelihood of each choice
// as a continuation of the context; the highest wins. "acc" sums log-probabilities, "acc_norm"
// divides by the continuation's characters (lm-evaluation-harness), "acc_per_token" by tokens.
import { multipleChoiceAccuracy, pickChoice, type ChoiceQuestion } from '../metrics/multiple_choice.js';
import type { KindAdapter, Row } from './adapter.js';
import { percent } from './adapter.js';
import type { MultipleChoiceItem } from '../items.js';

function question(row: Row<MultipleChoiceItem>): ChoiceQuestion {
  const lls = row.likelihoods ?? [];
  if (lls.length !== row.item.choices.length) {
    throw new Error(`multiple choice ${row.item.id}: ${row.item.choices.length} choices but ${lls.length} likelihoods came back from the model`);
  }
  return {
    logProbs: lls.map((l) => l.logProb),
    tokenLengths: lls.map((l) => Math.max(1, l.tokens)),
    charLengths: (row.continuations ?? []).map((c) => Math.max(1, c.length)),
    gold: row.item.answerIndex,
  };
}

export const multipleChoiceAdapter: KindAdapter<'multiple-choice'> = {
  generates: false,
  vars: (item) => ({ context: item.choiceContexts?.[item.answerIndex] ?? item.context, choice: item.choices[item.answerIndex] }),
  likelihoodVars: (item) => item.choices.map((choice, i) => ({ context: item.choiceContexts?.[i] ?? item.context, choice })),
  // The same context with another id is the same question (generated sets repeat facts).
  sameQuery: (c, q) => c.id === q.id || c.context + (c.choiceContexts ?? []).join() === q.context + (q.choiceContexts ?? []).join(),
  queryText: (item) => item.context || item.choiceContexts?.join(' '),
  references: (item) => ({ choices: item.choices, answerIndex: item.answerIndex }),
  score(_task, rows) {
    const qs = rows.map(question);
    const picks = qs.map((q) => pickChoice(q));
    return {
      metrics: {
        acc: percent(multipleChoiceAccuracy(qs)),
        acc_norm: percent(multipleChoiceAccuracy(qs, 'per-char')),
        acc_per_token: percent(multipleChoiceAccuracy(qs, 'per-token')),
      },
      primary: 'acc',
      perSample: picks.map((p, i) => (p === qs[i].gold ? 100 : 0)),
      chosen: picks.map((p, i) => rows[i].item.choices[p]),
    };
  },
};
