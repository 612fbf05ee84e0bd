// MathVista testmini, from the Hugging Face release (AI4Math/MathVista
// data/testmini-*.parquet: pid, query, decoded_image {bytes, path}, choices, precision,
// answer, question_type, answer_type). The prompt is the release's `query` (question, hint
// and choices as MathVista's build_query.py wrote them).
//
// Scoring follows lupantech/MathVista evaluation/calculate_score.py @ 2a249bbe
// (normalize_extracted_answer, safe_equal). Extraction cannot: the official
// extract_answer.py (@ 0a520c46) keeps the response itself when it already is a choice or
// parses as the integer/float asked for, and otherwise asks GPT-4. mm1 has no judge model,
// so in place of GPT-4 it applies these rules (as open harnesses without a judge do):
//   - multiple choice: the option letter VLMEvalKit's matcher finds (option_match.ts), else
//     the response as it is (calculate_score then takes the closest choice by edit distance);
//   - integer / float answers: the last number in the response (thousands commas removed);
//   - text / list answers: the response, trimmed.
import { distance } from 'fastest-levenshtein';
import { pyRound, pyStrip } from '../../compat/python.js';
import { accuracyByGroup, letters, type SftScorer } from './answered.js';
import { imageCell, readParquetRows } from './files.js';
import { goldOf, type SftBenchItem, type SftGold } from './item.js';
import { matchOption } from './option_match.js';

type MathVistaGold = Extract<SftGold, { bench: 'mathvista' }>;

const ANSWER_TYPES = ['integer', 'float', 'text', 'list'] as const;

export async function readMathVista(path: string, limit?: number): Promise<SftBenchItem[]> {
  const rows = await readParquetRows(path, ['pid', 'query', 'decoded_image', 'choices', 'precision', 'answer', 'question_type', 'answer_type'], 'MathVista');
  return rows.slice(0, limit).map((row) => {
    const where = `${path} pid ${String(row.pid)}`;
    const answerType = ANSWER_TYPES.find((t) => t === row.answer_type);
    if (!answerType) throw new Error(`${where}: answer_type ${JSON.stringify(row.answer_type)} is not one of ${ANSWER_TYPES.join(', ')}.`);
    const choices = Array.isArray(row.choices) ? row.choices.map(String) : null;
    return {
      id: String(row.pid),
      image:
        imageCell(row.decoded_image, `${where} decoded_image`) ??
        (() => {
          throw new Error(`${where}: decoded_image is empty.`);
        })(),
      question: String(row.query),
      reference: String(row.answer),
      gold: {
        bench: 'mathvista',
        questionType: row.question_type === 'multi_choice' ? 'multi_choice' : 'free_form',
        answerType,
        choices,
        precision: typeof row.precision === 'number' ? row.precision : null,
        answer: String(row.answer),
      },
    };
  });
}

/** Python int()/float() on a response string: the number, or undefined when Python raises. */
const PY_INT = /^[+-]?\d+$/;
const PY_FLOAT = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$|^[+-]?(inf|infinity|nan)$/i;
function pyNumber(s: string, int: boolean): number | undefined {
  const t = pyStrip(s);
  if (!(int ? PY_INT : PY_FLOAT).test(t)) return undefined;
  const lower = t.toLowerCase().replace(/^\+/, '');
  if (lower.endsWith('nan')) return NaN;
  if (lower.endsWith('inf') || lower.endsWith('infinity')) return lower.startsWith('-') ? -Infinity : Infinity;
  return Number(t);
}

/** Python's repr of a float ("3.0", "0.25", "1e+16", "1.5e-05"). */
export function pyFloatRepr(x: number): string {
  if (Number.isNaN(x)) return 'nan';
  if (!Number.isFinite(x)) return x > 0 ? 'inf' : '-inf';
  const abs = Math.abs(x);
  if (abs !== 0 && (abs >= 1e16 || abs < 1e-4)) {
    return x.toExponential().replace(/e([+-])(\d)$/, 'e$10$2'); // Python pads the exponent to two digits
  }
  const s = String(x);
  return Number.isInteger(x) ? `${s}.0` : s;
}

/** The answer extracted from a response: the official rules, then mm1's stand-in for GPT-4. */
export function extractMathVista(response: string, gold: MathVistaGold): string {
  if (response === '') return '';
  if (gold.questionType === 'multi_choice' && gold.choices?.includes(response)) return response;
  if (gold.answerType === 'integer') {
    const n = pyNumber(response, true);
    if (n !== undefined) return String(n);
  }
  if (gold.answerType === 'float') {
    const n = pyNumber(response, false);
    if (n !== undefined) return pyFloatRepr(n);
  }
  // mm1's rules where MathVista asks GPT-4:
  if (gold.questionType === 'multi_choice' && gold.choices) {
    const options = Object.fromEntries(gold.choices.map((c, i) => [letters(gold.choices!.length)[i], c]));
    return matchOption(response, options) ?? pyStrip(response);
  }
  if (gold.answerType === 'integer' || gold.answerType === 'float') {
    return (
      response
        .replace(/(\d),(?=\d{3})/g, '$1')
        .match(/-?\d+(?:\.\d+)?/g)
        ?.at(-1) ?? pyStrip(response)
    );
  }
  return pyStrip(response);
}

/** normalize_extracted_answer: a choice's text for multiple choice (by letter, else the
 *  closest by edit distance), a number printed as Python prints it, else the text; null
 *  where Python raises. */
export function normalizeMathVista(extraction: string, gold: MathVistaGold): string | null {
  if (gold.questionType === 'multi_choice') {
    const choices = gold.choices ?? [];
    let e = pyStrip(extraction);
    const letter = /\(([a-zA-Z])\)/.exec(e);
    if (letter) e = letter[1].toUpperCase();
    const index = letters(choices.length).indexOf(e);
    if (index >= 0) return choices[index];
    const d = choices.map((c) => distance(e, c));
    return choices[d.indexOf(Math.min(...d))] ?? null;
  }
  if (gold.answerType === 'integer') {
    const n = pyNumber(extraction, false);
    return n === undefined || !Number.isFinite(n) ? null : String(Math.trunc(n));
  }
  if (gold.answerType === 'float') {
    const n = pyNumber(extraction, false);
    return n === undefined ? null : pyFloatRepr(pyRound(n, gold.precision ?? 0));
  }
  return extraction;
}

export const scoreMathVista: SftScorer = (rows) => {
  const preds = rows.map((r) => {
    const gold = goldOf(r.item, 'mathvista');
    return normalizeMathVista(extractMathVista(r.prediction, gold), gold);
  });
  const hits = preds.map((p, i) => p === goldOf(rows[i].item, 'mathvista').answer);
  return {
    metrics: accuracyByGroup(
      hits,
      rows.map((r) => goldOf(r.item, 'mathvista').questionType),
    ),
    primary: 'accuracy',
    perSample: hits.map((h) => (h ? 100 : 0)),
    chosen: preds.map((p) => p ?? 'None'),
  };
};
