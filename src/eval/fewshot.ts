// Choosing in-context examples. Deterministic: the choice for a query depends only on the
// seed, the task name, the query id and the pool — not on batch order, k or other queries.
// - 'random' (MM1 / OpenFlamingo default): a seeded draw without replacement. The draw is a
//   partial Fisher–Yates shuffle, so the 4-shot examples are the first four of the 8-shot ones.
// - 'similar' (a cheap stand-in for OpenFlamingo's RICES, which ranks by CLIP image features):
//   the pool items sharing the most words with the query's text, most similar last (nearest
//   the query). Ties are broken by the same seeded draw.
import { Rng } from '../engine/rng.js';

export type ShotSelection = 'random' | 'similar';

export interface ShotRequest<I extends { id: string }> {
  pool: readonly I[];
  query: I;
  k: number;
  seed: number;
  task: string;
  selection: ShotSelection;
  /** True when `candidate` would give the query away (same item, same question). */
  sameQuery(candidate: I, query: I): boolean;
  /** Text to compare for 'similar'. */
  text?(item: I): string | undefined;
}

const words = (text: string): Set<string> => new Set(text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? []);

function jaccard(a: Set<string>, b: Set<string>): number {
  let shared = 0;
  for (const w of a) if (b.has(w)) shared++;
  const union = a.size + b.size - shared;
  return union === 0 ? 0 : shared / union;
}

/** Up to k examples from the pool, never the query. Fewer only when the pool runs out. */
export function selectShots<I extends { id: string }>(req: ShotRequest<I>): I[] {
  if (req.k <= 0) return [];
  const candidates = req.pool.filter((c) => c.id !== req.query.id && !req.sameQuery(c, req.query));
  const rng = new Rng(req.seed).fork(`shots/${req.task}/${req.query.id}`);
  // Partial Fisher–Yates: position i receives a uniform pick among the remaining candidates.
  const order = [...candidates];
  const take = req.selection === 'random' ? Math.min(req.k, order.length) : order.length;
  for (let i = 0; i < take; i++) {
    const j = i + rng.int(order.length - i);
    [order[i], order[j]] = [order[j], order[i]];
  }
  if (req.selection === 'random') return order.slice(0, take);

  const queryText = req.text?.(req.query);
  if (queryText === undefined) throw new Error(`selectShots: task ${req.task} has no query text to compare; use selection 'random'.`);
  const q = words(queryText);
  const ranked = order.map((item, rank) => ({ item, rank, score: jaccard(q, words(req.text!(item) ?? '')) }));
  ranked.sort((a, b) => b.score - a.score || a.rank - b.rank);
  return ranked
    .slice(0, req.k)
    .reverse()
    .map((r) => r.item);
}

/** The pool of candidate examples: all of `items`, or a seeded sample of `size` of them
 *  (OpenFlamingo draws a 2,048-example query set the same way). Items with the same `key`
 *  (e.g. the same shot text: generated sets repeat facts) are kept once, so repeats do not
 *  crowd a prompt. */
export function shotPool<I>(items: readonly I[], size: number, seed: number, task: string, key?: (item: I) => string): I[] {
  const seen = new Set<string>();
  const unique = key ? items.filter((it) => !seen.has(key(it)) && seen.add(key(it))) : items;
  if (unique.length <= size) return [...unique];
  const order = [...unique];
  const rng = new Rng(seed).fork(`pool/${task}`);
  for (let i = 0; i < size; i++) {
    const j = i + rng.int(order.length - i);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order.slice(0, size);
}
