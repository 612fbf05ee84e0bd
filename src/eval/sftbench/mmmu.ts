// MMMU validation, from the Hugging Face release (MMMU/MMMU: <Subject>/validation-*.parquet,
// columns id, question, options = str(list), answer, question_type, image_1..image_7 as
// {bytes, path}). Prompts and answer parsing follow MMMU's own evaluation code
// (MMMU-Benchmark/MMMU eval/eval_utils.py @ 44b45b50: parse_multi_choice_response,
// parse_open_response, eval_multi_choice, eval_open; prompt formats from its LLaVA config).
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pyRound, pySplit, pyStrip } from '../../compat/python.js';
import { accuracyByGroup, letters, LETTER_INSTRUCTION, type SftScorer } from './answered.js';
import { hashString, imageCell, parsePyStringList, readParquetRows } from './files.js';
import { goldOf, type SftBenchItem, type SftGold } from './item.js';

type MmmuGold = Extract<SftGold, { bench: 'mmmu' }>;

/** Every validation parquet under `path` (the release folder), or `path` itself if a file. */
function validationFiles(path: string): string[] {
  if (statSync(path, { throwIfNoEntry: false })?.isFile()) return [path];
  if (!statSync(path, { throwIfNoEntry: false })?.isDirectory())
    throw new Error(`MMMU: ${path} does not exist. Pass the release folder (holding <Subject>/validation-*.parquet) or one parquet file.`);
  const files = readdirSync(path)
    .sort()
    .flatMap((subject) => {
      const dir = join(path, subject);
      if (!statSync(dir).isDirectory()) return [];
      return readdirSync(dir)
        .filter((f) => f.startsWith('validation-') && f.endsWith('.parquet'))
        .sort()
        .map((f) => join(dir, f));
    });
  if (files.length === 0) throw new Error(`MMMU: no <Subject>/validation-*.parquet under ${path}. Download the MMMU/MMMU release (all subjects) there.`);
  return files;
}

/** "validation_Art_Theory_12" → "Art_Theory". */
const subjectOf = (id: string): string => id.replace(/^[a-z]+_/, '').replace(/_\d+$/, '');

export async function readMmmu(path: string, limit?: number): Promise<SftBenchItem[]> {
  const items: SftBenchItem[] = [];
  for (const file of validationFiles(path)) {
    for (const row of await readParquetRows(file, ['id', 'question', 'options', 'answer', 'question_type', 'image_1'], 'MMMU')) {
      const id = String(row.id);
      const where = `${file} ${id}`;
      const options = parsePyStringList(String(row.options), `${where} options`);
      const questionType = row.question_type === 'multiple-choice' ? 'multiple-choice' : 'open';
      const rawAnswer = String(row.answer);
      const answer = questionType === 'open' && rawAnswer.trim().startsWith('[') ? parsePyStringList(rawAnswer, `${where} answer`) : rawAnswer;
      const image = imageCell(row.image_1, `${where} image_1`);
      if (!image) throw new Error(`${where}: image_1 is empty; every MMMU question has at least one image.`);
      // MMMU's runner: when options are pictures (<img='...'> more than once) it does not ask
      // the model and picks a random letter instead.
      const randomGuess = options.reduce((n, o) => n + (o.match(/<img='(.*?)'>/g)?.length ?? 0), 0) > 1;
      const question = String(row.question);
      // MMMU's LLaVA-1.5 config: "{}\n{}\nAnswer with ..." (the YAML's blank lines fold to one
      // newline), filled with the question and "(A) option\n" per option.
      const text =
        questionType === 'multiple-choice'
          ? `${question}\n${options.map((o, i) => `(${letters(options.length)[i]}) ${o}\n`).join('')}\n${LETTER_INSTRUCTION}`
          : `${question}\nAnswer the question using a single word or phrase.`;
      items.push({
        id,
        image,
        question: text,
        reference: Array.isArray(answer) ? answer[0] : answer,
        gold: { bench: 'mmmu', questionType, options, answer, subject: subjectOf(id), randomGuess },
      });
      if (limit !== undefined && items.length >= limit) return items;
    }
  }
  return items;
}

/** Python's str.strip(c) for one character c. */
const stripChar = (s: string, c: string): string => {
  let a = 0;
  let b = s.length;
  while (a < b && s[a] === c) a++;
  while (b > a && s[b - 1] === c) b--;
  return s.slice(a, b);
};

/** MMMU's random fallback (random.choice) made deterministic per question. */
const seededChoice = (choices: readonly string[], id: string): string => choices[hashString(id) % choices.length];

/** parse_multi_choice_response: "(X)" mentions, else " X " mentions, else (answers longer than
 *  five words) option texts; several → the one mentioned last; none → a random letter. */
export function parseMmmuChoice(response: string, options: readonly string[], id: string): string {
  const all = letters(options.length);
  for (const c of [',', '.', '!', '?', ';', ':', "'"]) response = stripChar(response, c);
  response = ` ${response} `;
  let byText = false;
  let bracketed = false;
  let candidates = all.filter((c) => response.includes(`(${c})`));
  if (candidates.length > 0) bracketed = true;
  else candidates = all.filter((c) => response.includes(` ${c} `));
  if (candidates.length === 0 && pySplit(response).length > 5) {
    candidates = all.filter((_, i) => response.toLowerCase().includes(options[i].toLowerCase()));
    byText = candidates.length > 0;
  }
  if (candidates.length === 0) return seededChoice(all, id);
  if (candidates.length === 1) return candidates[0];
  const at = candidates.map((c) =>
    byText ? response.toLowerCase().lastIndexOf(options[all.indexOf(c)].toLowerCase()) : response.lastIndexOf(bracketed ? `(${c})` : ` ${c} `),
  );
  return candidates[at.indexOf(Math.max(...at))]; // np.argmax: the first of equal maxima
}

/** An answer piece after normalize_str: a number rounded to 2 places, or lower-case text. */
export type OpenPiece = { num: number } | { str: string };

/** Python float() on a stripped string (the forms answers take; not "1_000"). */
function pyFloat(s: string): number | undefined {
  const t = pyStrip(s);
  if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t)) return Number(t);
  if (/^[+-]?(inf|infinity)$/i.test(t)) return t.startsWith('-') ? -Infinity : Infinity;
  if (/^[+-]?nan$/i.test(t)) return NaN;
  return undefined;
}

/** normalize_str: numbers (commas removed) rounded to 2 places; one-letter text padded with a
 *  space on either side so it does not match inside words. */
export function normalizeMmmu(s: string): OpenPiece[] {
  s = pyStrip(s);
  const n = pyFloat(s.replace(/,/g, ''));
  if (n !== undefined) return [{ num: pyRound(n, 2) }];
  s = s.toLowerCase();
  return s.length === 1 ? [{ str: ` ${s}` }, { str: `${s} ` }] : [{ str: s }];
}

/** extract_numbers: comma-grouped, scientific and plain numbers, in that order. */
export function extractNumbers(s: string): string[] {
  return [
    ...(s.match(/-?\b\d{1,3}(?:,\d{3})+\b/g) ?? []),
    ...(s.match(/-?\d+(?:\.\d+)?[eE][+-]?\d+/g) ?? []),
    ...(s.match(/-?(?:\d+\.\d+|\.\d+|\d+\b)(?![eE][+-]?\d+)(?![,\d])/g) ?? []),
  ];
}

const INDICATORS = ['could be ', 'so ', 'is ', 'thus ', 'therefore ', 'final ', 'answer ', 'result '];
const TRIVIAL = [':', ',', '.', '!', '?', ';', "'"];

/** parse_open_response: per line, the shortest tail after an indicator word ("is ", "so ",
 *  ...; "=" too on the last line), plus every number in those tails, normalised. */
export function parseMmmuOpen(response: string): OpenPiece[] {
  const text = stripChar(pyStrip(response), '.').toLowerCase();
  // MMMU splits on r'\.\s(?=[A-Z])|\n' after lower-casing, so only newlines split.
  const lines = text.split('\n');
  const keys: string[] = [];
  lines.forEach((line, index) => {
    const indicators = index === lines.length - 1 ? [...INDICATORS, '='] : INDICATORS;
    let shortest: string | undefined;
    for (const ind of indicators) {
      if (!line.includes(ind)) continue;
      const tail = pyStrip(line.split(ind).at(-1)!);
      if (!shortest || tail.length < shortest.length) shortest = tail;
    }
    if (shortest && !TRIVIAL.includes(pyStrip(shortest))) keys.push(shortest);
  });
  const tails = keys.length > 0 ? keys : [text]; // no indicator anywhere: the whole answer
  return [...tails, ...tails.flatMap(extractNumbers)].flatMap(normalizeMmmu);
}

/** eval_open: a text piece is right when it contains a gold text; a number when it equals a gold number. */
export function mmmuOpenCorrect(gold: string | readonly string[], pred: readonly OpenPiece[]): boolean {
  const golds = (Array.isArray(gold) ? gold : [gold as string]).flatMap(normalizeMmmu);
  return pred.some((p) => ('str' in p ? golds.some((g) => 'str' in g && p.str.includes(g.str)) : golds.some((g) => 'num' in g && g.num === p.num)));
}

export function mmmuCorrect(gold: MmmuGold, prediction: string, id: string): { hit: boolean; parsed: string } {
  if (gold.questionType === 'multiple-choice') {
    const parsed = gold.randomGuess ? seededChoice(letters(gold.options.length), id) : parseMmmuChoice(prediction, gold.options, id);
    return { hit: Array.isArray(gold.answer) ? gold.answer.includes(parsed) : parsed === gold.answer, parsed };
  }
  const pieces = parseMmmuOpen(prediction);
  return { hit: mmmuOpenCorrect(gold.answer, pieces), parsed: pieces.map((p) => ('str' in p ? p.str : String(p.num))).join(' | ') };
}

export const scoreMmmu: SftScorer = (rows) => {
  const judged = rows.map((r) => mmmuCorrect(goldOf(r.item, 'mmmu'), r.prediction, r.item.id));
  const hits = judged.map((j) => j.hit);
  return {
    metrics: accuracyByGroup(
      hits,
      rows.map((r) => goldOf(r.item, 'mmmu').subject),
    ),
    primary: 'accuracy',
    perSample: hits.map((h) => (h ? 100 : 0)),
    chosen: judged.map((j) => j.parsed),
  };
};
