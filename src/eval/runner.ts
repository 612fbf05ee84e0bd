// runEval: every requested task at every k, on any Mm1Model. Loads each task's items and
// shot pool once, runs each k (run_task.ts), and writes per-sample logs and the results.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Mm1Model } from '../model/infer/api.js';
import { shotPool, type ShotSelection } from './fewshot.js';
import { ImageCache } from './images.js';
import type { ItemsByKind, TaskKind } from './items.js';
import { ADAPTERS, type KindAdapter } from './kinds/index.js';
import { clearSamples, samplesFileName, writeReport, writeSamples, type EvalReport, type EvalResult } from './report.js';
import { runTaskAtK } from './run_task.js';
import type { Task, TaskOf } from './task.js';
import { dataParts } from './tasks/data_spec.js';
import { DEFAULT_TASKS, findTask, resolveTasks } from './tasks/index.js';

export interface EvalProgress {
  task: string;
  shots: number;
  done: number;
  total: number;
}

export interface EvalOptions {
  /** Task names, group names (e.g. "world") or Task objects; default ["world"]. */
  tasks?: readonly (string | Task)[];
  /** k values; default [0, 4, 8]. */
  shots?: readonly number[];
  /** Evaluate the first `limit` items of each task. */
  limit?: number;
  /** Seeds generated items and shot selection; default 0. */
  seed?: number;
  /** Synthetic-world tasks: the world version (default 2; 1 for models trained before v2). */
  worldVersion?: 1 | 2;
  /** Side (pixels) generated pictures are rendered at; default: the side the model was
   *  trained on (model.info.renderSize), else 128, so evaluation sees training's pixels. */
  renderSize?: number;
  /** Where results.json, results.md and samples/*.jsonl go; nothing is written without it. */
  outDir?: string;
  /** Public tasks' files by task name, e.g. { coco: "captions_test.json:val2014/" }. */
  data?: Readonly<Record<string, string>>;
  /** Training splits to draw shots from, same format as `data`. */
  shotsData?: Readonly<Record<string, string>>;
  /** 'random' (default) or 'similar' (most shared words with the query). */
  selection?: ShotSelection;
  /** At most this many candidate shots per task, a seeded sample (OpenFlamingo: 2048). */
  shotPoolSize?: number;
  /** Prompts per model call; default 16. */
  batchSize?: number;
  /** Shots that do not fit the model: 'reduce' k with a warning (default) or 'fail'. */
  onOverflow?: 'reduce' | 'fail';
  onProgress?(p: EvalProgress): void;
  /** Called as each task × k finishes. */
  onResult?(r: EvalResult): void;
  /** Called with each task's queries once loaded, e.g. to show their pictures in a report
   *  without loading (or generating) them a second time. */
  onQueries?(task: string, queries: readonly ItemsByKind[TaskKind][]): void;
  /** Default: printed to stderr. Warnings are also kept in each result. */
  onWarning?(message: string): void;
}

/** The tasks `opts` names, after checking every option that can be checked without a model
 *  (unknown tasks, bad k, missing or malformed --data). */
export function validateEvalOptions(opts: EvalOptions): Task[] {
  const tasks = resolveTasks(opts.tasks ?? DEFAULT_TASKS);
  for (const k of opts.shots ?? []) {
    if (!Number.isInteger(k) || k < 0) throw new Error(`shots: ${k} is not a number of examples; use whole numbers ≥ 0, e.g. [0, 4, 8].`);
  }
  if (opts.limit !== undefined && !(Number.isInteger(opts.limit) && opts.limit > 0)) throw new Error(`limit: expected a whole number ≥ 1, got ${opts.limit}.`);
  for (const [flag, specs] of [
    ['--data', opts.data],
    ['--shots-data', opts.shotsData],
  ] as const) {
    for (const name of Object.keys(specs ?? {})) {
      const task = tasks.find((t) => t.name === name) ?? findTask(name);
      if (!task) throw new Error(`${flag} ${name}=...: there is no task "${name}".`);
      dataParts(task, specs![name], flag);
    }
  }
  for (const t of tasks) if (t.data) dataParts(t, opts.data?.[t.name]); // every public task has its files
  return tasks;
}

export async function runEval(model: Mm1Model, opts: EvalOptions = {}): Promise<EvalReport> {
  const tasks = validateEvalOptions(opts);
  const shots = [...new Set(opts.shots ?? [0, 4, 8])];
  const seed = opts.seed ?? 0;
  const renderSize = opts.renderSize ?? model.info.renderSize;
  const warnSink = opts.onWarning ?? ((m: string) => process.stderr.write(`mm1 eval: warning: ${m}\n`));
  const images = new ImageCache();
  const started = Date.now();
  const results: EvalResult[] = [];
  // An --out used before would otherwise keep that run's sample files beside this run's results.
  if (opts.outDir) clearSamples(opts.outDir);

  for (const task of tasks) {
    // One generic call per task; the adapter matches the task's kind by construction.
    const adapter = ADAPTERS[task.kind] as KindAdapter<TaskKind>;
    results.push(...(await evalTask({ model, task, adapter, shots, seed, images, warnSink, opts: { ...opts, renderSize } })));
  }
  const report: EvalReport = {
    model: model.info,
    seed,
    ...(opts.limit !== undefined ? { limit: opts.limit } : {}),
    shots,
    selection: opts.selection ?? 'random',
    startedAt: new Date(started).toISOString(),
    seconds: (Date.now() - started) / 1000,
    results,
  };
  if (opts.outDir) writeReport(opts.outDir, report);
  return report;
}

/** One task evaluated at every shot count: the task bound to its kind's adapter, and what the whole run shares. */
interface TaskRun<K extends TaskKind> {
  model: Mm1Model;
  task: TaskOf<K>;
  adapter: KindAdapter<K>;
  shots: number[];
  seed: number;
  images: ImageCache;
  warnSink: (m: string) => void;
  opts: EvalOptions;
}

async function evalTask<K extends TaskKind>({ model, task, adapter, shots, seed, images, warnSink, opts }: TaskRun<K>): Promise<EvalResult[]> {
  const taskWarnings: string[] = [];
  const warnTask = (m: string) => (taskWarnings.push(m), warnSink(m));
  const data = opts.data?.[task.name];
  const shotsData = opts.shotsData?.[task.name];
  const needShots = shots.some((k) => k > 0);
  const selfShots = needShots && shotsData === undefined && task.shots === undefined;

  let queries: ItemsByKind[K][];
  let pool: ItemsByKind[K][] = [];
  if (selfShots) {
    const all = await task.load({ seed, data, worldVersion: opts.worldVersion, renderSize: opts.renderSize });
    queries = all.slice(0, opts.limit);
    pool = all;
    warnTask(
      `${task.name}: no training split given, so shots are drawn from the evaluated items (never the query itself). Pass --shots-data ${task.name}=... to use a training split.`,
    );
  } else {
    queries = await task.load({ seed, data, limit: opts.limit, worldVersion: opts.worldVersion, renderSize: opts.renderSize });
    if (needShots)
      pool =
        shotsData !== undefined
          ? await task.load({ seed, data: shotsData, worldVersion: opts.worldVersion, renderSize: opts.renderSize })
          : await task.shots!({ seed, data, worldVersion: opts.worldVersion, renderSize: opts.renderSize });
  }
  if (queries.length === 0) throw new Error(`task ${task.name} has no items to evaluate${data ? ` in ${data}` : ''}.`);
  opts.onQueries?.(task.name, queries);
  // Text-only shots that read the same are one example; pictures always differ.
  const sameText = adapter.image ? undefined : (item: ItemsByKind[K]) => JSON.stringify(adapter.vars(item));
  pool = shotPool(pool, opts.shotPoolSize ?? 2048, seed, task.name, sameText);

  let selection = opts.selection ?? 'random';
  if (selection === 'similar' && adapter.queryText(queries[0]) === undefined) {
    warnTask(`${task.name}: its queries have no text to compare, so 'similar' shot selection falls back to 'random'.`);
    selection = 'random';
  }

  const results: EvalResult[] = [];
  for (const k of shots) {
    const warnings = [...taskWarnings.splice(0)];
    const t0 = Date.now();
    const run = await runTaskAtK(model, task, adapter, queries, pool, {
      k,
      seed,
      selection,
      batchSize: opts.batchSize ?? 16,
      onOverflow: opts.onOverflow ?? 'reduce',
      images,
      warn: (m) => (warnings.push(m), warnSink(m)),
      onProgress: (done, total) => opts.onProgress?.({ task: task.name, shots: k, done, total }),
    });
    const result: EvalResult = {
      task: task.name,
      kind: task.kind,
      metric: run.scored.primary,
      shots: k,
      effectiveShots: run.effectiveShots,
      selection,
      n: queries.length,
      metrics: run.scored.metrics,
      seconds: (Date.now() - t0) / 1000,
      warnings,
    };
    if (opts.outDir) {
      result.samplesFile = samplesFileName(task.name, k);
      writeSamples(opts.outDir, result.samplesFile, run.samples);
      if (task.answerFile) writeFileSync(join(opts.outDir, task.answerFile.name(k)), task.answerFile.render(run.samples));
    }
    opts.onResult?.(result);
    results.push(result);
  }
  return results;
}
