// VQA (VQAv2, TextVQA, VizWiz, OK-VQA) and GQA: generate a short answer; VQA is scored with
// the official ten-annotator accuracy, GQA with exact match against its single answer.
import { majorityAnswer } from '../../data/world/vqa.js';
import { gqaAccuracy } from '../metrics/gqa.js';
import { vqaAccuracy } from '../metrics/vqa_accuracy.js';
import type { VqaItem } from '../items.js';
import type { KindAdapter } from './adapter.js';

const common = {
  generates: true,
  image: (item: VqaItem) => item.image,
  // Shots show the answer most annotators gave.
  vars: (item: VqaItem) => ({ question: item.question, answer: majorityAnswer(item.answers) }),
  sameQuery: (c: VqaItem, q: VqaItem) => c.id === q.id,
  queryText: (item: VqaItem) => item.question,
  references: (item: VqaItem) => item.answers,
};

export const vqaAdapter: KindAdapter<'vqa'> = {
  ...common,
  score(_task, rows) {
    const acc = vqaAccuracy(
      rows.map((r) => ({ prediction: r.prediction ?? '', answers: r.item.answers, answerType: r.item.answerType, questionType: r.item.questionType })),
    );
    const byType = Object.entries(acc.perAnswerType).map(([type, v]) => [`accuracy/${type}`, v]);
    return { metrics: { accuracy: acc.overall, ...Object.fromEntries(byType) }, primary: 'accuracy', perSample: acc.perQuestion.map((a) => 100 * a) };
  },
};

export const gqaAdapter: KindAdapter<'gqa'> = {
  ...common,
  score(_task, rows) {
    const items = rows.map((r) => ({ prediction: r.prediction ?? '', answer: majorityAnswer(r.item.answers) }));
    return {
      metrics: { accuracy: gqaAccuracy(items) },
      primary: 'accuracy',
      perSample: items.map((it) => (it.prediction === it.answer ? 100 : 0)),
    };
  },
};
