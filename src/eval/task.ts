// A task is declarative: where its items come from, how an item becomes prompt text, when
// generation stops, how the output is cleaned and which metric scores it. The harness
// (runner.ts) knows task kinds, never task names: adding a benchmark is adding an entry to
// tasks/index.ts (lmms-eval's habit: a task is data plus a tiny adapter).
import type { ItemsByKind, TaskKind } from './items.js';
import type { PostprocessName } from './postprocess.js';

export interface TaskLoadOptions {
  /** Seeds generated data (world tasks); the same seed gives the same items. */
  seed: number;
  /** Evaluate only the first `limit` items (in the set's own order). */
  limit?: number;
  /** Side (pixels) to render generated pictures at (world tasks; default 128). */
  renderSize?: number;
  /** This task's `--data NAME=SPEC` value (public tasks; see `data.format`). */
  data?: string;
  /** This task's `--shots-data NAME=SPEC` value: the split to draw in-context examples from. */
  shotsData?: string;
  /** Synthetic-world tasks: which world to draw (default 2; 1 for models trained before v2). */
  worldVersion?: 1 | 2;
}

/**
 * How items become text. Placeholders by kind:
 * - caption: {caption} (the first reference, final period removed)
 * - vqa, gqa, open-qa: {question}, {answer} (the most common answer)
 * - multiple-choice: {context}, {choice} (the right choice in shots)
 * - cloze: {context}, {target}
 */
export interface PromptTemplate {
  /** One solved in-context example, e.g. "question: {question} answer: {answer}." */
  shot: string;
  /** The query the model completes, e.g. "question: {question} answer:" */
  query: string;
  /** Joins consecutive texts (text-only tasks: shots and query); default " ". */
  separator?: string;
  /** Likelihood tasks: the scored text after the query, e.g. " {choice}". */
  continuation?: string;
}

/** Metric names, by kind (the kind decides which family; the name pins the variant). */
export interface MetricByKind {
  caption: 'coco-caption';
  vqa: 'vqa-accuracy';
  gqa: 'gqa-accuracy';
  'multiple-choice': 'loglik-choice';
  cloze: 'last-word';
  'open-qa': 'exact-match' | 'exact-match-triviaqa';
  /** Each benchmark's official scorer (sftbench/scorers.ts); 'judge-answers' only counts the
   *  answers written for a GPT-4 judge. */
  'sft-bench': 'scienceqa' | 'mmmu' | 'mathvista' | 'mme' | 'mmbench' | 'seed' | 'pope' | 'judge-answers';
}

export interface DataSpec {
  /** What NAME=SPEC must hold, parts separated by ':', e.g. "ANNOTATIONS.json:IMAGE_DIR". */
  format: string;
  example: string;
}

export interface TaskOf<K extends TaskKind> {
  name: string;
  kind: K;
  /** One line for --help and reports. */
  description: string;
  /** Public tasks read local files named by --data; generated tasks have no `data`. */
  data?: DataSpec;
  load(opts: TaskLoadOptions): Promise<ItemsByKind[K][]>;
  /** Where in-context examples come from (a training split). Absent: the evaluated items
   *  themselves, never the query (OpenFlamingo and MM1 draw from train, else validation). */
  shots?(opts: TaskLoadOptions): Promise<ItemsByKind[K][]>;
  template: PromptTemplate;
  /** Generation stops at these (they are not part of the answer). */
  stop: string[];
  maxNewTokens: number;
  postprocess: PostprocessName;
  metric: MetricByKind[K];
  /** Ask as a chat (one user turn, answered by the assistant): fine-tuned models' format. */
  chat?: boolean;
  /** A file written next to the samples for an external judge (LLaVA-Bench, MM-Vet):
   *  its name and its text, from the k-shot samples. */
  answerFile?: { name(k: number): string; render(samples: readonly { id: string; prompt: string; generation?: string }[]): string };
}

export type Task = { [K in TaskKind]: TaskOf<K> }[TaskKind];
