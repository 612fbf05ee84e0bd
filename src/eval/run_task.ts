// One task at one k: choose shots per query, build prompts that fit the model
// (query_prompt.ts), run the model in batches, score, and keep a record per sample.
// Everything here is kind-agnostic; kinds/ says what differs.
import type { Likelihood, Mm1Model } from '../model/infer/api.js';
import { selectShots, type ShotSelection } from './fewshot.js';
import type { ImageCache } from './images.js';
import type { ItemsByKind, TaskKind } from './items.js';
import type { KindAdapter, Row, Scored } from './kinds/index.js';
import { POSTPROCESSORS } from './postprocess.js';
import { summarizePrompt } from './prompt.js';
import { queryPrompter, type QueryPrompt } from './query_prompt.js';
import type { TaskOf } from './task.js';

export interface TaskRunOptions {
  k: number;
  seed: number;
  selection: ShotSelection;
  batchSize: number;
  /** 'reduce' (default): drop shots that do not fit, with a warning. 'fail': throw instead. */
  onOverflow: 'reduce' | 'fail';
  images: ImageCache;
  warn(message: string): void;
  onProgress?(done: number, total: number): void;
}

/** One line of the per-sample log. */
export interface SampleRecord {
  id: string;
  /** Shots actually in the prompt. */
  k: number;
  shotIds: string[];
  prompt: string;
  generation?: string;
  prediction: string;
  references: unknown;
  score: number;
  logProbs?: number[];
}

export interface TaskRunResult {
  scored: Scored;
  samples: SampleRecord[];
  /** Shots per query after fitting: the requested k unless the model's limits forced fewer. */
  effectiveShots: { min: number; max: number; mean: number };
}

export async function runTaskAtK<K extends TaskKind>(
  model: Mm1Model,
  task: TaskOf<K>,
  adapter: KindAdapter<K>,
  queries: readonly ItemsByKind[K][],
  pool: readonly ItemsByKind[K][],
  opts: TaskRunOptions,
): Promise<TaskRunResult> {
  type I = ItemsByKind[K];
  const label = `${task.name} ${opts.k}-shot`;
  const { maxImages, contextLength } = model.info;
  let k = opts.k;
  if (adapter.image && k + 1 > maxImages) {
    const why = `${label}: the model takes at most ${maxImages} images per prompt, so at most ${maxImages - 1} shots fit`;
    if (opts.onOverflow === 'fail' || maxImages < 1) throw new Error(`${why}. Ask for fewer shots (--shots).`);
    k = maxImages - 1;
    opts.warn(`${why}; using k = ${k}.`);
  }
  const prompter = queryPrompter(model, task, adapter, opts.images, opts.onOverflow, label);

  const rows: Row<I>[] = [];
  const built: QueryPrompt<I>[] = [];
  let poolShort = 0;
  for (let start = 0; start < queries.length; start += opts.batchSize) {
    const batch: QueryPrompt<I>[] = [];
    for (const item of queries.slice(start, start + opts.batchSize)) {
      const shots = selectShots({
        pool,
        query: item,
        k,
        seed: opts.seed,
        task: task.name,
        selection: opts.selection,
        sameQuery: adapter.sameQuery,
        text: adapter.queryText,
      });
      if (shots.length < k) poolShort++;
      batch.push(await prompter.fit(item, shots));
    }
    const generations = adapter.generates
      ? await model.generate(
          batch.map((b) => b.generation!),
          { maxNewTokens: task.maxNewTokens, temperature: 0, stop: task.stop },
        )
      : [];
    const likelihoods: Likelihood[] = await (batch.some((b) => b.requests.length > 0)
      ? model.logLikelihood(batch.flatMap((b) => b.requests))
      : Promise.resolve([]));
    const wanted = batch.reduce((n, b) => n + b.requests.length, 0);
    if ((adapter.generates && generations.length !== batch.length) || likelihoods.length !== wanted) {
      throw new Error(
        `${label}: the model returned ${generations.length} generations and ${likelihoods.length} likelihoods for ` +
          `${adapter.generates ? batch.length : 0} prompts and ${wanted} requests; an Mm1Model returns one result per input, in order.`,
      );
    }
    let at = 0;
    batch.forEach((b, i) => {
      const text = generations[i]?.text;
      rows.push({
        item: b.item,
        ...(text !== undefined ? { generation: text, prediction: POSTPROCESSORS[task.postprocess](text) } : {}),
        ...(b.requests.length > 0
          ? { likelihoods: likelihoods.slice(at, (at += b.requests.length)), continuations: b.requests.map((r) => r.continuation) }
          : {}),
      });
      b.generation = undefined; // let decoded images go
      b.requests = [];
    });
    built.push(...batch);
    opts.onProgress?.(Math.min(start + opts.batchSize, queries.length), queries.length);
  }

  const ks = built.map((b) => b.shots.length);
  if (poolShort > 0) opts.warn(`${label}: the shot pool had fewer than ${k} usable examples for ${poolShort} queries; they used fewer shots.`);
  if (prompter.reduced > 0) {
    opts.warn(
      `${label}: ${prompter.reduced} of ${queries.length} prompts did not fit ${k} shots in contextLength ${contextLength}; ` +
        `they used ${Math.min(...ks) === k - 1 ? k - 1 : `${Math.min(...ks)}–${k - 1}`} (each sample records its k).`,
    );
  }
  const scored = adapter.score(task, rows);
  const samples = rows.map((r, i): SampleRecord => ({
    id: r.item.id,
    k: built[i].shots.length,
    shotIds: built[i].shots.map((s) => s.id),
    prompt: summarizePrompt(built[i].parts),
    ...(r.generation !== undefined ? { generation: r.generation } : {}),
    prediction: scored.chosen?.[i] ?? r.prediction ?? '',
    references: adapter.references(r.item),
    score: scored.perSample[i],
    ...(r.likelihoods ? { logProbs: r.likelihoods.map((l) => l.logProb) } : {}),
  }));
  const mean = ks.reduce((s, n) => s + n, 0) / Math.max(1, ks.length);
  return { scored, samples, effectiveShots: { min: Math.min(...ks), max: Math.max(...ks), mean } };
}
