// Issue #13's goals against what one `npm run bench` measured: one row per goal with the
// figure and whether it is met. A goal this run cannot measure says so and why (what it
// needs, or where the side-by-side measurement lives) instead of showing a number.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export interface GoalRow {
  goal: string;
  measured: string;
  met: 'yes' | 'no' | 'not measured';
}

interface PipelineRow {
  config: string;
  /** data_over_step_cpu is absent in results saved before session 8: the row then judges the wall ratio. */
  used: { render_size: number; data_over_step: number; data_over_step_cpu?: number };
}
/** What bench/run_cost.ts prints for one checkout (its JSON line). */
export interface RunCost {
  root: string;
  scale: number;
  clip_s: number;
  pretrain_s: number;
  eval_s: number;
  total_s: number;
}
interface EvalRow {
  task: string;
  shots: number;
  renderSize: number;
  items_per_s: number;
}
interface RssRow {
  recipe: string;
  peak_rss_mb?: number;
  error?: string;
}

/** What bench/run.ts collects; every field optional so a partial run still gets a table. */
export interface BenchResults {
  machine?: { cores: number; load_average_1min_at_start: number };
  engine?: { best_gemm_gflops: number; blas_gemm_1024: { gflops: number; library: string } | { skipped: string }; transformer_step_ratio_to_best_gemm: number };
  model?: { model_gflops: number; train_tokens_per_s: number };
  pipeline_vs_step?: PipelineRow[];
  eval?: EvalRow[];
  training_peak_rss?: RssRow[];
  quickstart?: { wall_seconds: number } | { skipped: string };
  pytorch?: { installed: false; why: string } | { installed: true };
  /** bench/run_cost.ts's output for the commit before #13 and for this one, when `--run-cost` named them. */
  run_cost?: { before: RunCost; after: RunCost };
}

export const DATA_OVER_STEP_GOAL = 5;
export const GEMM_FRACTION_GOAL = 0.8;
export const QUICKSTART_SECONDS_GOAL = 180;
export const RUN_COST_GOAL = 0.5;

const yesNo = (ok: boolean): GoalRow['met'] => (ok ? 'yes' : 'no');

/** Is PyTorch importable by python3? The eager-PyTorch comparison needs it. */
export function pytorchAvailable(): BenchResults['pytorch'] {
  const r = spawnSync('python3', ['-c', 'import torch'], { encoding: 'utf8', timeout: 60_000 });
  if (r.status === 0) return { installed: true };
  return { installed: false, why: r.error ? 'python3 could not be started' : 'python3 cannot import torch' };
}

export function goalRows(r: BenchResults): GoalRow[] {
  const rows: GoalRow[] = [];
  // Judged by CPU time (bench/pipeline.ts: the step's CPU per ONNX Runtime thread ÷ the data's
  // CPU per batch): the wall ratio swings 2–5× with machine load, because the single data thread
  // waits for a core far longer than it works; CPU time is the work, and errs low.
  for (const p of r.pipeline_vs_step ?? []) {
    const cpu = p.used.data_over_step_cpu;
    rows.push({
      goal: `data batches/s ≥ ${DATA_OVER_STEP_GOAL}× the step's consumption: ${p.config}`,
      measured:
        cpu === undefined
          ? `${p.used.data_over_step}× by wall time (pictures drawn at ${p.used.render_size} px)`
          : `${cpu}× by CPU time (wall ÷ wall ${p.used.data_over_step}×; pictures drawn at ${p.used.render_size} px)`,
      met: yesNo((cpu ?? p.used.data_over_step) >= DATA_OVER_STEP_GOAL),
    });
  }
  // The GEMM and the step are timed minutes apart: on a machine busier than its cores, load
  // changes in between and their ratio means nothing (a loaded run measured 3.1 of the "best" GEMM).
  const loaded = r.machine && r.machine.load_average_1min_at_start > r.machine.cores ? r.machine : null;
  const gemmMet = (ok: boolean): GoalRow['met'] => (loaded ? 'not measured' : yesNo(ok));
  const gemmNote = loaded ? ` — not comparable: load ${loaded.load_average_1min_at_start} on ${loaded.cores} cores; rerun on an idle machine` : '';
  if (r.engine) {
    const e = r.engine;
    const best =
      'gflops' in e.blas_gemm_1024
        ? `${e.best_gemm_gflops} GFLOP/s (${e.blas_gemm_1024.library} measured beside it)`
        : `${e.best_gemm_gflops} GFLOP/s (ONNX Runtime's own; ${e.blas_gemm_1024.skipped})`;
    rows.push({
      goal: `training step FLOP/s ≥ ${GEMM_FRACTION_GOAL} × the best GEMM on the machine (4-layer LM, B 8 × T 256)`,
      measured: `${e.transformer_step_ratio_to_best_gemm} of ${best}${gemmNote}`,
      met: gemmMet(e.transformer_step_ratio_to_best_gemm >= GEMM_FRACTION_GOAL),
    });
    if (r.model) {
      const fraction = +(r.model.model_gflops / e.best_gemm_gflops).toFixed(3);
      rows.push({
        goal: `training step FLOP/s ≥ ${GEMM_FRACTION_GOAL} × the best GEMM (bench recipe)`,
        measured: `${r.model.model_gflops} GFLOP/s = ${fraction} of ${e.best_gemm_gflops}${gemmNote}`,
        met: gemmMet(fraction >= GEMM_FRACTION_GOAL),
      });
    }
  }
  rows.push({
    goal: 'training throughput ≥ 2× eager PyTorch (bench recipe, same machine)',
    measured:
      r.pytorch?.installed === false
        ? `not measured: ${r.pytorch.why}; ${r.model ? `mm1 ${r.model.train_tokens_per_s} tokens/s` : 'mm1 not run'}`
        : 'not measured: bench has no PyTorch side',
    met: 'not measured',
  });
  if (r.eval?.length) {
    const size = Math.min(...r.eval.map((e) => e.renderSize));
    const at = r.eval.filter((e) => e.renderSize === size);
    rows.push({
      goal: 'eval items/s reported: world VQA and captioning, 0 and 8 shots (untrained tiny model, every answer to its token budget)',
      measured: at.map((e) => `${e.task.replace('world-', '')} ${e.shots}-shot ${e.items_per_s}`).join(', ') + ` (at ${size} px)`,
      met: 'yes',
    });
  }
  const rss = r.training_peak_rss ?? [];
  if (rss.length)
    rows.push({
      goal: 'peak RSS of a training step reported for tiny, bench and small',
      measured: rss.map((m) => `${m.recipe} ${m.peak_rss_mb !== undefined ? `${(m.peak_rss_mb / 1024).toFixed(2)} GB` : `failed (${m.error})`}`).join(', '),
      met: yesNo(rss.every((m) => m.peak_rss_mb !== undefined)),
    });
  const q = r.quickstart;
  rows.push({
    goal: `quick start (npx mm1 quickstart) ≤ ${QUICKSTART_SECONDS_GOAL} s on 2 cores`,
    measured: !q ? 'not measured: run npm run bench -- --quickstart' : 'skipped' in q ? `not measured: ${q.skipped}` : `${q.wall_seconds.toFixed(0)} s wall`,
    met: !q || 'skipped' in q ? 'not measured' : yesNo(q.wall_seconds <= QUICKSTART_SECONDS_GOAL),
  });
  rows.push(runCostRow(r.run_cost));
  return rows;
}

/**
 * bench/run_cost.ts's result from what it printed (its stdout saved to `path`): the last line that
 * is a JSON object with every stage's seconds. Errors name the file and what was missing.
 */
export function readRunCost(path: string, text = readFileSync(path, 'utf8')): RunCost {
  const keys = ['root', 'scale', 'clip_s', 'pretrain_s', 'eval_s', 'total_s'] as const;
  for (const line of text.trim().split('\n').reverse()) {
    let v: unknown;
    try {
      v = JSON.parse(line);
    } catch {
      continue;
    }
    if (v && typeof v === 'object' && keys.every((k) => k in v)) return v as RunCost;
  }
  throw new Error(`${path}: no line of bench/run_cost.ts output (a JSON object with ${keys.join(', ')}); pass the file its stdout was saved to`);
}

/** The ablation run's cost against the commit before #13, from two bench/run_cost.ts outputs, or why there is none. */
function runCostRow(cost: BenchResults['run_cost']): GoalRow {
  const goal = `default ablation run ≤ ${RUN_COST_GOAL} × its cost before #13 (same config, steps, items)`;
  if (!cost)
    return {
      goal,
      measured:
        'not measured by this run: run bench/run_cost.ts on the pre-#13 commit and this one together, then npm run bench -- --run-cost <before.json> <after.json>',
      met: 'not measured',
    };
  const { before, after } = cost;
  if (before.scale !== after.scale)
    return { goal, measured: `not comparable: the runs were at SCALE ${before.scale} and ${after.scale}; run both at one scale`, met: 'not measured' };
  const ratio = +(after.total_s / before.total_s).toFixed(2);
  const stage = (k: 'clip_s' | 'pretrain_s' | 'eval_s') => (after[k] / before[k]).toFixed(2);
  return {
    goal,
    measured:
      `${ratio} of ${before.root} (wall ${after.total_s} s ÷ ${before.total_s} s at SCALE ${after.scale}; ` +
      `CLIP stage ${stage('clip_s')}, pretraining ${stage('pretrain_s')}, evaluation ${stage('eval_s')})`,
    met: yesNo(ratio <= RUN_COST_GOAL),
  };
}

export function goalTable(rows: GoalRow[]): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  return ['| goal | measured | met? |', '|---|---|---|', ...rows.map((r) => `| ${cell(r.goal)} | ${cell(r.measured)} | ${r.met} |`)].join('\n');
}
