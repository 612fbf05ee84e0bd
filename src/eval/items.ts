// The items a task evaluates, one shape per task kind. World items (data/world/eval_items.ts)
// fit these shapes as they are; public-format readers produce them too, with images left on
// disk until a prompt needs them (a COCO split does not fit in memory decoded).
import type { RgbImage } from '../data/document.js';

/** An image in memory (generated), a file decoded when a prompt needs it, or encoded bytes
 *  from inside a benchmark file (base64 in a TSV, a parquet cell), decoded likewise; `key`
 *  names it in the image cache and in errors. */
export type ImageInput = RgbImage | { path: string } | { key: string; bytes: Uint8Array };

/** COCO / NoCaps / TextCaps: describe the image; scored against all references. */
export interface CaptionItem {
  id: string;
  image: ImageInput;
  references: string[];
}

/** VQAv2 / TextVQA / VizWiz / OK-VQA (ten human answers) and GQA (one answer). */
export interface VqaItem {
  id: string;
  image: ImageInput;
  question: string;
  answers: string[];
  answerType?: string;
  questionType?: string;
}

/** ARC / PIQA / WinoGrande / HellaSwag / SciQ: the most likely continuation wins. */
export interface MultipleChoiceItem {
  id: string;
  /** Text before every choice (already formatted, e.g. "Question: ...\nAnswer:"). */
  context: string;
  /** Continuations, scored as text after the context. */
  choices: string[];
  answerIndex: number;
  /** Per-choice contexts when the choice sits inside the context (WinoGrande's blank). */
  choiceContexts?: string[];
}

// MM1-Chat's SFT benchmarks (ScienceQA, MMMU, MathVista, MME, MMBench, SEED, POPE, ...).
import type { SftBenchItem } from './sftbench/item.js';
export type { SftBenchItem };

// Cloze (LAMBADA) and open-QA (TriviaQA / WebQuestions) items have one shape for the world's
// analogues and the public sets: the world defines it.
import type { ClozeItem, OpenQaItem } from '../data/world/eval_items.js';
export type { ClozeItem, OpenQaItem };

export interface ItemsByKind {
  caption: CaptionItem;
  vqa: VqaItem;
  /** GQA: VQA prompts, one answer, exact match. */
  gqa: VqaItem;
  'multiple-choice': MultipleChoiceItem;
  cloze: ClozeItem;
  'open-qa': OpenQaItem;
  /** Generated free-text answers scored by each benchmark's own parser (sftbench/). */
  'sft-bench': SftBenchItem;
}

export type TaskKind = keyof ItemsByKind;
export const TASK_KINDS: readonly TaskKind[] = ['caption', 'vqa', 'gqa', 'multiple-choice', 'cloze', 'open-qa', 'sft-bench'];
