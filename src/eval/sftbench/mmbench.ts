// MMBench dev, from the released TSV (MMBench_DEV_EN.tsv / mmbench_dev_20230712.tsv:
// index, question, hint, A..D, answer, category, image as base64, ...). CircularEval: a
// question counts only if it is answered right under every circular shift of its options.
// Files that already hold the shifted copies (index + k·1,000,000, as OpenCompass releases
// them) are used as they are; otherwise mm1 makes the shifts itself as LLaVA's
// model_vqa_mmbench.py --all-rounds does (haotian-liu/LLaVA @ 064abb34). Answers are read
// with VLMEvalKit's exact matching (option_match.ts) and grouped as its mcq_circular_eval
// (open-compass/VLMEvalKit vlmeval/evaluate/multiple_choice.py): a group scores 1 only if
// every row's matched letter is its answer; an answer no rule can match counts as wrong
// (VLMEvalKit asks ChatGPT there; mm1 has no judge).
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { accuracyByGroup, letters as lettersOf, LETTER_INSTRUCTION, type SftScorer } from './answered.js';
import { goldOf, type SftBenchItem } from './item.js';
import { matchOption } from './option_match.js';

const CIRCULAR_STRIDE = 1_000_000;
const LETTERS = lettersOf(26);

type TsvRow = Record<string, string>;

function readTsv(path: string): TsvRow[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`cannot read MMBench file ${path}: ${(err as Error).message}. Pass the dev .tsv from the MMBench release.`);
  }
  // pandas writes these files: tab-separated, a header row, fields quoted with " when needed.
  const rows = parse<TsvRow>(text, { delimiter: '\t', columns: true, relax_quotes: true, skip_empty_lines: true });
  const missing = ['index', 'question', 'A', 'B', 'answer', 'image'].filter((c) => rows.length > 0 && !(c in rows[0]));
  if (rows.length === 0 || missing.length > 0) {
    throw new Error(
      `MMBench file ${path}: ${rows.length === 0 ? 'no rows' : `no column(s) ${missing.join(', ')}`}. Expected the release's TSV (index, question, hint, A, B, C, D, answer, category, image).`,
    );
  }
  return rows;
}

const isNone = (v: string | undefined): boolean => v === undefined || v === '' || ['nan', 'none'].includes(v.toLowerCase());

/** The options of a row, A.. up to the first empty one (LLaVA's get_options). */
function optionsOf(row: TsvRow): string[] {
  const out: string[] = [];
  for (const l of LETTERS) {
    if (isNone(row[l])) break;
    out.push(row[l]);
  }
  return out;
}

function item(row: TsvRow, id: string, group: number, round: number, options: string[], answer: string, image: Uint8Array): SftBenchItem {
  const named = Object.fromEntries(options.map((o, i) => [LETTERS[i], o]));
  const hint = isNone(row.hint) ? '' : `${row.hint}\n`;
  return {
    id,
    image: { key: `mmbench:${group}`, bytes: image },
    question: `${hint}${row.question}\n${options.map((o, i) => `${LETTERS[i]}. ${o}`).join('\n')}\n${LETTER_INSTRUCTION}`,
    reference: answer,
    gold: { bench: 'mmbench', group, round, answer, options: named, category: row.category ?? 'all' },
  };
}

/** CircularEval's rounds of one question, as LLaVA's --all-rounds makes them: round k shows
 *  original option (j + k) mod n at position j; `answer` is where the right option lands. */
export function circularRounds(options: readonly string[], answer: number): { options: string[]; answer: number }[] {
  const n = options.length;
  return options.map((_, k) => ({ options: options.map((_, j) => options[(j + k) % n]), answer: (answer - k + n) % n }));
}

/** Rows in file order; `limit` counts questions (each brings all its shifts). */
export function readMmbench(path: string, limit?: number): SftBenchItem[] {
  const rows = readTsv(path);
  const index = (r: TsvRow, i: number) => {
    const n = Number(r.index);
    if (!Number.isInteger(n)) throw new Error(`MMBench ${path} row ${i + 2}: index ${JSON.stringify(r.index)} is not a whole number.`);
    return n;
  };
  // Shifted copies may carry the index of the row whose picture they share instead of base64.
  const images = new Map<number, string>();
  rows.forEach((r, i) => {
    if (r.image.length > 64) images.set(index(r, i), r.image);
  });
  const imageOf = (r: TsvRow, i: number): Uint8Array => {
    const b64 = r.image.length > 64 ? r.image : images.get(Number(r.image));
    if (!b64) throw new Error(`MMBench ${path} row ${i + 2}: image is neither base64 nor the index of a row with one.`);
    return Buffer.from(b64, 'base64');
  };
  const answerOf = (r: TsvRow, i: number, n: number) => {
    const at = LETTERS.indexOf(r.answer.trim());
    if (at < 0 || at >= n)
      throw new Error(
        `MMBench ${path} row ${i + 2}: answer ${JSON.stringify(r.answer)} is not one of its ${n} option letters (an unannotated test split?). Use the dev split.`,
      );
    return at;
  };
  const shipped = rows.some((r, i) => index(r, i) >= CIRCULAR_STRIDE);
  const groups = [...new Set(rows.map((r, i) => index(r, i) % CIRCULAR_STRIDE))].slice(0, limit);
  const wanted = new Set(groups);
  const items: SftBenchItem[] = [];
  rows.forEach((r, i) => {
    const idx = index(r, i);
    const group = idx % CIRCULAR_STRIDE;
    if (!wanted.has(group)) return;
    const options = optionsOf(r);
    const answer = answerOf(r, i, options.length);
    const image = imageOf(r, i);
    if (shipped) {
      items.push(item(r, String(idx), group, Math.floor(idx / CIRCULAR_STRIDE), options, LETTERS[answer], image));
      return;
    }
    circularRounds(options, answer).forEach((round, k) => items.push(item(r, `${idx}#${k}`, group, k, round.options, LETTERS[round.answer], image)));
  });
  return items;
}

export const scoreMmbench: SftScorer = (rows) => {
  const picks = rows.map((r) => matchOption(r.prediction, goldOf(r.item, 'mmbench').options));
  const hits = picks.map((p, i) => p === goldOf(rows[i].item, 'mmbench').answer);
  const groupHit = new Map<number, boolean>();
  const groupCategory = new Map<number, string>();
  rows.forEach((r, i) => {
    const g = goldOf(r.item, 'mmbench');
    groupHit.set(g.group, (groupHit.get(g.group) ?? true) && hits[i]);
    groupCategory.set(g.group, g.category);
  });
  const groups = [...groupHit.keys()];
  const firstPass = rows.flatMap((r, i) => (goldOf(r.item, 'mmbench').round === 0 ? [hits[i]] : []));
  return {
    metrics: {
      ...accuracyByGroup(
        groups.map((g) => groupHit.get(g)!),
        groups.map((g) => groupCategory.get(g)!),
      ),
      // Without CircularEval: the original option order only.
      single_pass: (100 * firstPass.filter(Boolean).length) / Math.max(1, firstPass.length),
    },
    primary: 'accuracy',
    perSample: hits.map((h) => (h ? 100 : 0)),
    chosen: picks.map((p) => p ?? 'none'),
  };
};
