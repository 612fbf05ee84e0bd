// MME, from the release folder (MME_Benchmark_release_version/<subtask>/): each picture has
// two yes/no questions in <name>.txt ("question<TAB>Yes|No" per line), beside the picture
// or, for artwork/celebrity/landmark/posters/scene, in questions_answers_YN/ with pictures in
// images/. Scoring is MME's calculation.py (BradyFU/Awesome-Multimodal-Large-Language-Models,
// branch Evaluation, tools/eval_tool.zip @ 1c1d69e1): per subtask, accuracy over questions
// plus accuracy+ over pictures (both questions right), each ×100; perception and cognition
// are the sums of their subtasks' scores (maxima 2000 and 800).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { SftScorer } from './answered.js';
import { goldOf, type SftBenchItem, type YesNo } from './item.js';

export const MME_SUBTASKS = {
  perception: ['existence', 'count', 'position', 'color', 'posters', 'celebrity', 'scene', 'landmark', 'artwork', 'OCR'],
  cognition: ['commonsense_reasoning', 'numerical_calculation', 'text_translation', 'code_reasoning'],
} as const;

const IMAGE_EXTENSIONS = ['.jpg', '.png', '.jpeg'];

function subtaskItems(root: string, subtask: string): SftBenchItem[] {
  const dir = join(root, subtask);
  const split = existsSync(join(dir, 'questions_answers_YN'));
  const textDir = split ? join(dir, 'questions_answers_YN') : dir;
  const imageDir = split ? join(dir, 'images') : dir;
  const items: SftBenchItem[] = [];
  for (const file of readdirSync(textDir).filter((f) => f.endsWith('.txt')).sort()) {
    const name = basename(file, '.txt');
    const ext = IMAGE_EXTENSIONS.find((e) => existsSync(join(imageDir, name + e)));
    if (!ext) throw new Error(`MME ${subtask}: ${join(textDir, file)} has no picture ${name}.jpg or .png in ${imageDir}. Is the release folder complete?`);
    const lines = readFileSync(join(textDir, file), 'utf8').split('\n').filter((l) => l.trim() !== '');
    lines.forEach((line, i) => {
      const [question, answer] = line.split('\t');
      const gold = answer?.trim().toLowerCase();
      if (question === undefined || (gold !== 'yes' && gold !== 'no')) {
        throw new Error(`MME ${join(textDir, file)} line ${i + 1}: expected "question<TAB>Yes" or "question<TAB>No", got ${JSON.stringify(line.slice(0, 80))}.`);
      }
      items.push({
        id: `${subtask}/${name}#${i}`,
        image: { path: join(imageDir, name + ext) },
        question: question.trim(),
        reference: gold === 'yes' ? 'Yes' : 'No',
        gold: { bench: 'mme', subtask, imageName: name + ext, answer: gold },
      });
    });
  }
  return items;
}

/** Every subtask folder present under the release folder, perception first. */
export function readMme(root: string, limit?: number): SftBenchItem[] {
  if (!existsSync(root)) throw new Error(`MME: ${root} does not exist. Pass the MME_Benchmark_release_version folder.`);
  const present = [...MME_SUBTASKS.perception, ...MME_SUBTASKS.cognition].filter((s) => existsSync(join(root, s)));
  if (present.length === 0) throw new Error(`MME: ${root} holds none of the subtask folders (${MME_SUBTASKS.perception[0]}, ..., ${MME_SUBTASKS.cognition.at(-1)}). Pass the MME_Benchmark_release_version folder.`);
  return present.flatMap((s) => subtaskItems(root, s)).slice(0, limit);
}

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
