// PIQA (Physical Interaction QA), as released: valid.jsonl with {"goal", "sol1", "sol2"} and
// valid-labels.lst with one 0/1 per line; a "label" field in the row works too (HF export).
// Prompt as lm-evaluation-harness: context "Question: {goal}\nAnswer:", choices " {sol1}", " {sol2}".
import { readFileSync } from 'node:fs';
import type { MultipleChoiceItem } from '../items.js';
import { checkIndex, intLabel, readJsonlItems, text } from './jsonl.js';

function readLabels(path: string): string[] {
  try {
    return readFileSync(path, 'utf8')
      .split(/\r?\n/)
      .filter((l) => l.trim() !== '');
  } catch (err) {
    throw new Error(`cannot read PIQA labels ${path}: ${(err as Error).message}. Expected one 0 or 1 per line (valid-labels.lst).`);
  }
}

export function readPiqa(path: string, labelsPath?: string) {
  const labels = labelsPath ? readLabels(labelsPath) : undefined;
  return readJsonlItems(path, 'like {"goal": "...", "sol1": "...", "sol2": "..."}', (row, fallback, i): MultipleChoiceItem => {
    const fix = 'each line needs "goal", "sol1" and "sol2".';
    const raw = labels ? labels[i] : row.label;
    if (raw === undefined) {
      throw new Error(
        labels
          ? `no label: ${labelsPath} has only ${labels.length} lines. Fix: use the labels file of the same split.`
          : 'no "label" field and no labels file. Fix: pass the labels file (--data piqa=valid.jsonl:valid-labels.lst).',
      );
    }
    const answerIndex = checkIndex(intLabel(raw, labels ? `labels (${labelsPath} line ${i + 1})` : 'field "label"', 'use 0 or 1.'), 2, 'label');
    return { id: fallback, context: `Question: ${text(row, 'goal', fix)}\nAnswer:`, choices: [text(row, 'sol1', fix), text(row, 'sol2', fix)], answerIndex };
  });
}
