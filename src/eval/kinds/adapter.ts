// What the harness needs to know about a kind of task: the template fields of an item, which
// pool items would give a query away, how to score. One small file per kind implements it.
import type { Likelihood } from '../../model/infer/api.js';
import type { ImageInput, ItemsByKind, TaskKind } from '../items.js';
import type { TaskOf } from '../task.js';

/** What the model produced for one query. */
export interface Row<I> {
  item: I;
  /** Raw generated text (kinds that generate). */
  generation?: string;
  /** The generation after the task's post-processing. */
  prediction?: string;
  /** One per likelihood request (kinds that score continuations), in request order. */
  likelihoods?: Likelihood[];
  /** The scored continuation texts, in request order. */
  continuations?: string[];
}

export interface Scored {
  /** Metric values; accuracies and caption scores in percent, as papers report them. */
  metrics: Record<string, number>;
  /** The headline metric (a key of `metrics`). */
  primary: string;
  /** Each query's own score on the primary metric's scale, for the sample log. */
  perSample: number[];
  /** The answer the model picked, when it is not a generation (multiple choice). */
  chosen?: string[];
}

export interface KindAdapter<K extends TaskKind> {
  /** Whether queries are answered by generation (all but multiple choice). */
  generates: boolean;
  /** Image kinds: the picture shown before each example's text. */
  image?(item: ItemsByKind[K]): ImageInput;
  /** Template fields of a solved example (shots) and of the query. */
  vars(item: ItemsByKind[K]): Record<string, string>;
  /** Likelihood kinds: the fields of each request (query and `continuation` templates). */
  likelihoodVars?(item: ItemsByKind[K]): Record<string, string>[];
  /** True when `candidate` as a shot would give `query` away. */
  sameQuery(candidate: ItemsByKind[K], query: ItemsByKind[K]): boolean;
  /** The query's text, for similarity-based shot selection; undefined if it has none. */
  queryText(item: ItemsByKind[K]): string | undefined;
  /** What the answer is checked against, for the sample log. */
  references(item: ItemsByKind[K]): unknown;
  score(task: TaskOf<K>, rows: Row<ItemsByKind[K]>[]): Scored;
}

export const percent = (fraction: number): number => 100 * fraction;
