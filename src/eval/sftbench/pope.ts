// POPE (random / popular / adversarial), from the released question files
// (coco_pope_<split>.json: one JSON object per line, {question_id, image, text, label}) and
// the COCO val2014 pictures they name. Answer parsing and metrics are POPE's evaluate.py
// (AoiDragon/POPE evaluate.py @ f3ec6043; LLaVA's eval_pope.py is the same).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { SftScorer } from './answered.js';
import { goldOf, type SftBenchItem, type YesNo } from './item.js';

export function readPope(path: string, imageRoot: string, limit?: number): SftBenchItem[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new Error(`cannot read POPE file ${path}: ${(err as Error).message}. Pass coco_pope_<split>.json from the POPE release.`);
  }
  const lines = text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(0, limit);
  return lines.map((line, i) => {
    const where = `${path} line ${i + 1}`;
    let row: { question_id?: unknown; image?: unknown; text?: unknown; label?: unknown };
    try {
      row = JSON.parse(line);
    } catch {
      throw new Error(`${where} is not JSON. Expected one {"question_id", "image", "text", "label"} object per line.`);
    }
    if (typeof row.image !== 'string' || typeof row.text !== 'string' || (row.label !== 'yes' && row.label !== 'no')) {
      throw new Error(`${where}: expected string "image" and "text" and "label" "yes" or "no", got ${line.slice(0, 100)}.`);
    }
    return {
      id: String(row.question_id ?? i + 1),
      image: { path: join(imageRoot, row.image) },
      // LLaVA-1.5's POPE prompt.
      question: `${row.text}\nAnswer the question using a single word or phrase.`,
      reference: row.label,
      gold: { bench: 'pope', answer: row.label },
    };
  });
}

/** evaluate.py: keep the text before the first ".", drop commas, split on spaces; "No", "no"
 *  or "not" among the words means no, anything else yes. */
export function parsePopeAnswer(answer: string): YesNo {
  const first = answer.includes('.') ? answer.split('.')[0] : answer;
  const words = first.replace(/,/g, '').split(' ');
  return words.includes('No') || words.includes('not') || words.includes('no') ? 'no' : 'yes';
}

export const scorePope: SftScorer = (rows) => {
  const preds = rows.map((r) => parsePopeAnswer(r.prediction));
  let tp = 0,
    fp = 0,
    tn = 0,
    fn = 0;
  preds.forEach((p, i) => {
    const label = goldOf(rows[i].item, 'pope').answer;
    if (p === 'yes') {
      if (label === 'yes') tp++;
      else fp++;
    } else if (label === 'no') tn++;
    else fn++;
  });
  // evaluate.py divides by zero (and stops) when nothing is answered yes or nothing is a
  // yes; mm1 reports 0 there instead.
  const ratio = (a: number, b: number) => (b === 0 ? 0 : a / b);
  const precision = ratio(tp, tp + fp);
  const recall = ratio(tp, tp + fn);
  const f1 = ratio(2 * precision * recall, precision + recall);
  return {
    metrics: {
      f1: 100 * f1,
      accuracy: 100 * ratio(tp + tn, tp + tn + fp + fn),
      precision: 100 * precision,
      recall: 100 * recall,
      yes_ratio: 100 * ratio(preds.filter((p) => p === 'yes').length, preds.length),
    },
    primary: 'f1',
    perSample: preds.map((p, i) => (p === goldOf(rows[i].item, 'pope').answer ? 100 : 0)),
    chosen: preds,
  };
};
