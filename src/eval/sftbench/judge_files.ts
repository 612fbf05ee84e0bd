// LLaVA-Bench (in-the-wild) and MM-Vet are scored by GPT-4 comparing each answer with a
// reference; mm1 has no judge, so it reads their questions, has the model answer, and
// writes the answer file each benchmark's official judge script takes:
// - LLaVA-Bench: questions.jsonl ({question_id, image, text, category}) + images/ →
//   answers.jsonl, one {question_id, prompt, text, answer_id, model_id, metadata} per
//   question in question order (LLaVA's model_vqa.py output, read by
//   llava/eval/eval_gpt_review_bench.py, which pairs answers with questions line by line).
// - MM-Vet: mm-vet.json ({"v1_0": {imagename, question, answer, capability}}) + images/ →
//   one JSON object {"v1_0": "<answer>", ...}, the results file mm-vet_evaluator takes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { readJsonFile } from '../../schema/read_json_file.js';
import type { SftScorer } from './answered.js';
import type { SftBenchItem } from './item.js';

export function readLlavaBench(questionsPath: string, imageRoot: string, limit?: number): SftBenchItem[] {
  let text: string;
  try {
    text = readFileSync(questionsPath, 'utf8');
  } catch (err) {
    throw new Error(`cannot read LLaVA-Bench questions ${questionsPath}: ${(err as Error).message}. Pass questions.jsonl from llava-bench-in-the-wild.`);
  }
  return text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(0, limit)
    .map((line, i) => {
      const row = JSON.parse(line) as { question_id?: unknown; image?: unknown; text?: unknown };
      if (typeof row.image !== 'string' || typeof row.text !== 'string' || row.question_id === undefined) {
        throw new Error(`${questionsPath} line ${i + 1}: expected {"question_id", "image", "text", "category"}, got ${line.slice(0, 100)}.`);
      }
      const id = String(row.question_id);
      return { id, image: { path: join(imageRoot, row.image) }, question: row.text, reference: '', gold: { bench: 'judge', questionId: id } };
    });
}

const MmVet = z.record(z.string(), z.object({ imagename: z.string(), question: z.string(), answer: z.string() }));

export function readMmVet(path: string, imageRoot: string, limit?: number): SftBenchItem[] {
  const file = readJsonFile(path, 'MM-Vet', MmVet, 'mm-vet.json: {"v1_0": {imagename, question, answer, capability}, ...}');
  return Object.entries(file)
    .slice(0, limit)
    .map(([id, q]) => ({
      id,
      image: { path: join(imageRoot, q.imagename) },
      question: q.question,
      reference: q.answer,
      gold: { bench: 'judge', questionId: id },
    }));
}

type Sample = { id: string; prompt: string; generation?: string };
const answerText = (s: Sample) => (s.generation ?? '').trim();

/** LLaVA's answer lines; numeric question ids stay numbers, as in questions.jsonl. */
export function renderLlavaBenchAnswers(samples: readonly Sample[]): string {
  return (
    samples
      .map((s) =>
        JSON.stringify({
          question_id: /^\d+$/.test(s.id) ? Number(s.id) : s.id,
          prompt: s.prompt.replace(/^<image> /, ''),
          text: answerText(s),
          answer_id: `mm1-${s.id}`,
          model_id: 'mm1',
          metadata: {},
        }),
      )
      .join('\n') + '\n'
  );
}

export function renderMmVetResults(samples: readonly Sample[]): string {
  return JSON.stringify(Object.fromEntries(samples.map((s) => [s.id, answerText(s)])), null, 2) + '\n';
}

/** Nothing to score here: the judge scores. Reports how many answers were written. */
export const countAnswers: SftScorer = (rows) => ({
  metrics: { answers: rows.length, empty_answers: rows.filter((r) => r.prediction.trim() === '').length },
  primary: 'answers',
  perSample: rows.map(() => 0),
});
