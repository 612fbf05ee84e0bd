// ScienceQA-IMG (test split, questions with a picture), from the release's problems.json and
// image folder (<IMAGE_ROOT>/test/<pid>/image.png). ScienceQA publishes no answer parser; the
// parsing is LLaVA's eval_science_qa.py (haotian-liu/LLaVA llava/eval/eval_science_qa.py
// @ c121f043, unchanged since ce1aa08), the one MM1-Chat's peers report with.
import { join } from 'node:path';
import { z } from 'zod';
import { readJsonFile } from '../../schema/read_json_file.js';
import { pyStrip } from '../../compat/python.js';
import { accuracyByGroup, letters, LETTER_INSTRUCTION, type SftScorer } from './answered.js';
import { goldOf, type SftBenchItem } from './item.js';

const Problem = z.object({
  question: z.string(),
  choices: z.array(z.string()).min(2),
  answer: z.number().int().nonnegative(),
  hint: z.string().nullish(),
  image: z.string().nullish(),
  split: z.string(),
});
const Problems = z.record(z.string(), Problem);
const FORMAT = 'ScienceQA problems.json: {"<pid>": {question, choices: [...], answer: <index>, hint, image: "image.png" | null, split: "test"}}';

/** The test split's image questions in file order. Prompt (LLaVA-1.5 style): "Context: {hint}\n{question}\nA. ...\nB. ...\n<instruction>". */
export function readScienceQaImg(problemsPath: string, imageRoot: string, limit?: number): SftBenchItem[] {
  const problems = readJsonFile(problemsPath, 'ScienceQA problems', Problems, FORMAT);
  const items: SftBenchItem[] = [];
  for (const [pid, p] of Object.entries(problems)) {
    if (p.split !== 'test' || !p.image) continue;
    if (p.answer >= p.choices.length)
      throw new Error(`${problemsPath}: problem ${pid} has answer ${p.answer} but only ${p.choices.length} choices. Fix the file or re-download it.`);
    const options = p.choices.map((c, i) => `${letters(p.choices.length)[i]}. ${c}`).join('\n');
    const context = p.hint ? `Context: ${p.hint}\n` : '';
    items.push({
      id: pid,
      image: { path: join(imageRoot, 'test', pid, p.image) },
      question: `${context}${p.question}\n${options}\n${LETTER_INSTRUCTION}`,
      reference: letters(p.choices.length)[p.answer],
      gold: { bench: 'scienceqa', choices: p.choices, answerIndex: p.answer },
    });
    if (limit !== undefined && items.length >= limit) break;
  }
  return items;
}

const OPTIONS = ['A', 'B', 'C', 'D', 'E']; // eval_science_qa.py's --options default

/** LLaVA's parse of the (stripped) answer: it is a letter, or starts "X. ", or contains "The
 *  answer is X" followed by any character exactly once; else FAILED. Returns the choice
 *  index, -1 for FAILED or a letter past the choices. */
export function scienceQaChoice(prediction: string, nChoices: number): number {
  const text = pyStrip(prediction); // LLaVA's model_vqa_science.py strips the model's output
  let letter = 'FAILED';
  if (OPTIONS.includes(text)) letter = text;
  else if (text.length >= 3 && OPTIONS.includes(text[0]) && text.slice(1, 3) === '. ') letter = text[0];
  else {
    const found = [...text.matchAll(/The answer is ([A-Z])./g)]; // re.findall; "." is any character but a newline
    if (found.length === 1) letter = found[0][1];
  }
  return OPTIONS.slice(0, nChoices).indexOf(letter);
}

export const scoreScienceQa: SftScorer = (rows) => {
  const picks = rows.map((r) => scienceQaChoice(r.prediction, goldOf(r.item, 'scienceqa').choices.length));
  const hits = picks.map((p, i) => p === goldOf(rows[i].item, 'scienceqa').answerIndex);
  return {
    metrics: {
      accuracy: accuracyByGroup(
        hits,
        hits.map(() => 'all'),
      ).accuracy,
    },
    primary: 'accuracy',
    perSample: hits.map((h) => (h ? 100 : 0)),
    chosen: picks.map((p) => (p < 0 ? 'FAILED' : OPTIONS[p])),
  };
};
