// SEED-Bench (v1), image part: questions of SEED-Bench.json whose data_type is "image"
// (dimensions 1-9), pictures under IMAGE_DIR/<data_id>. SEED's own eval.py
// (AILab-CVC/SEED-Bench eval.py @ 250947c2) ranks the four choices by likelihood; chat
// models (LLaVA-1.5, MM1-Chat's peers) are instead asked for the letter, and LLaVA's
// scripts/convert_seed_for_submission.py (haotian-liu/LLaVA @ c121f043) counts an answer
// right only when the stripped output is exactly the answer letter. Accuracy per question
// type and over all image questions, as both scripts report them.
import { join } from 'node:path';
import { z } from 'zod';
import { readJsonFile } from '../../schema/read_json_file.js';
import { accuracyByGroup, LETTER_INSTRUCTION, type SftScorer } from './answered.js';
import { goldOf, type SftBenchItem } from './item.js';
import { pyStrip } from '../../compat/python.js';

const Question = z.object({
  question: z.string(),
  choice_a: z.string(),
  choice_b: z.string(),
  choice_c: z.string(),
  choice_d: z.string(),
  answer: z.enum(['A', 'B', 'C', 'D']),
  question_id: z.union([z.string(), z.number()]),
  question_type_id: z.number().int(),
  data_type: z.string(),
  data_id: z.string(),
});
const SeedFile = z.object({ questions: z.array(Question), question_type: z.record(z.string(), z.number()).optional() });
const FORMAT =
  'SEED-Bench.json: {questions: [{question, choice_a..choice_d, answer: "A".."D", question_id, question_type_id, data_type: "image", data_id}], question_type: {name: id}}';

export function readSeedBench(path: string, imageRoot: string, limit?: number): SftBenchItem[] {
  const file = readJsonFile(path, 'SEED-Bench', SeedFile, FORMAT);
  const typeNames = new Map(Object.entries(file.question_type ?? {}).map(([name, id]) => [id, name]));
  return file.questions
    .filter((q) => q.data_type === 'image')
    .slice(0, limit)
    .map((q) => {
      const options = { A: q.choice_a, B: q.choice_b, C: q.choice_c, D: q.choice_d };
      return {
        id: String(q.question_id),
        image: { path: join(imageRoot, q.data_id) },
        question: `${q.question}\n${Object.entries(options)
          .map(([l, o]) => `${l}. ${o}`)
          .join('\n')}\n${LETTER_INSTRUCTION}`,
        reference: q.answer,
        gold: {
          bench: 'seed',
          answer: q.answer,
          options,
          questionTypeId: q.question_type_id,
          questionType: typeNames.get(q.question_type_id) ?? String(q.question_type_id),
        },
      };
    });
}

export const scoreSeed: SftScorer = (rows) => {
  const picks = rows.map((r) => pyStrip(r.prediction)); // LLaVA's runner strips outputs
  const hits = picks.map((p, i) => p === goldOf(rows[i].item, 'seed').answer);
  return {
    metrics: accuracyByGroup(
      hits,
      rows.map((r) => goldOf(r.item, 'seed').questionType),
    ),
    primary: 'accuracy',
    perSample: hits.map((h) => (h ? 100 : 0)),
    chosen: picks,
  };
};
