// What a benchmark scorer gets (an item and the model's answer text) and gives back.
import type { Scored } from '../kinds/adapter.js';
import type { SftBenchItem } from './item.js';

export interface Answered {
  item: SftBenchItem;
  prediction: string;
}

export type SftScorer = (rows: readonly Answered[]) => Scored;

/** Percent of `hits` that are true, overall and per group (`accuracy/<group>`), groups in
 *  first-seen order. */
export function accuracyByGroup(hits: readonly boolean[], groups: readonly string[]): Record<string, number> {
  // correct / total, then ×100: the order of operations the official scripts use.
  const pct = (xs: readonly boolean[]) => (xs.filter(Boolean).length / Math.max(1, xs.length)) * 100;
  const by = new Map<string, boolean[]>();
  hits.forEach((h, i) => by.set(groups[i], [...(by.get(groups[i]) ?? []), h]));
  return { accuracy: pct(hits), ...Object.fromEntries([...by].map(([g, xs]) => [`accuracy/${g}`, pct(xs)])) };
}

/** The instruction LLaVA-1.5 (and MMMU's LLaVA config) put after multiple-choice options. */
export const LETTER_INSTRUCTION = "Answer with the option's letter from the given choices directly.";

export const letters = (n: number): string[] => Array.from({ length: n }, (_, i) => String.fromCharCode(65 + i));
