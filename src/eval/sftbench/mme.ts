// MME scoring: MME's calculation.py (BradyFU/Awesome-Multimodal-Large-Language-Models,
// branch Evaluation, tools/eval_tool.zip @ 1c1d69e1): per subtask, accuracy over questions
// plus accuracy+ over pictures (both questions right), each ×100; perception and cognition
// are the sums of their subtasks' scores (maxima 2000 and 800).
import type { SftScorer } from './answered.js';
import { goldOf, type YesNo } from './item.js';

export const MME_SUBTASKS = {
  perception: ['existence', 'count', 'position', 'color', 'posters', 'celebrity', 'scene', 'landmark', 'artwork', 'OCR'],
  cognition: ['commonsense_reasoning', 'numerical_calculation', 'text_translation', 'code_reasoning'],
} as const;

/** calculation.py's parse_pred_ans, on the lower-cased answer: "yes"/"no" as it is, else
 *  whichever of them the first four characters contain, else "other" (always wrong). */
export function parseMmeAnswer(answer: string): YesNo | 'other' {
  const a = answer.toLowerCase();
  if (a === 'yes' || a === 'no') return a;
  const head = a.slice(0, 4);
  return head.includes('yes') ? 'yes' : head.includes('no') ? 'no' : 'other';
}

export const scoreMme: SftScorer = (rows) => {
  const parsed = rows.map((r) => parseMmeAnswer(r.prediction));
  const hits = parsed.map((p, i) => p === goldOf(rows[i].item, 'mme').answer);
  const metrics: Record<string, number> = {};
  for (const [family, subtasks] of Object.entries(MME_SUBTASKS)) {
    let total = 0;
    let present = false;
    for (const subtask of subtasks) {
      const at = rows.flatMap((r, i) => (goldOf(r.item, 'mme').subtask === subtask ? [i] : []));
      if (at.length === 0) continue;
      const pictures = new Map<string, boolean>();
      for (const i of at) {
        const picture = goldOf(rows[i].item, 'mme').imageName;
        pictures.set(picture, (pictures.get(picture) ?? true) && hits[i]);
      }
      // Same float operations, in the same order, as calculation.py: fractions, then ×100.
      const acc = (at.filter((i) => hits[i]).length / at.length) * 100;
      const accPlus = ([...pictures.values()].filter(Boolean).length / pictures.size) * 100;
      Object.assign(metrics, { [subtask]: acc + accPlus, [`${subtask}/acc`]: acc, [`${subtask}/acc_plus`]: accPlus });
      total += acc + accPlus;
      present = true;
    }
    if (present) metrics[family] = total;
  }
  return { metrics, primary: 'perception' in metrics ? 'perception' : 'cognition', perSample: hits.map((h) => (h ? 100 : 0)), chosen: parsed };
};
