// Issue #13's goals against what one `npm run bench` measured: one row per goal with the
// figure and whether it is met. A goal this run cannot measure says so and why (what it
// needs, or where the side-by-side measurement lives) instead of showing a number.
import { readFileSync } from 'node:fs';
import type { GemmShapesResult } from './gemm_shapes.js';
import type { PytorchComparison } from './pytorch.js';

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
  pytorch?: PytorchComparison;
  /** The bench recipe's step beside every library's GEMM at ONNX Runtime's threads, and on one thread (bench/gemm_shapes.ts). */
  gemm_shapes?: GemmShapesResult;
  gemm_shapes_1_thread?: GemmShapesResult;
  /** bench/run_cost.ts's output for the commit before #13 and for this one, when `--run-cost` named them. */
  run_cost?: { before: RunCost; after: RunCost };
}

export const DATA_OVER_STEP_GOAL = 5;
export const GEMM_FRACTION_GOAL = 0.8;
export const QUICKSTART_SECONDS_GOAL = 180;
export const RUN_COST_GOAL = 0.5;
export const PYTORCH_RATIO_GOAL = 2;

const yesNo = (ok: boolean): GoalRow['met'] => (ok ? 'yes' : 'no');

const libraryName = (library: string) => library.replace(/ \(.*\)/, '').replace(/ in .*/, '');

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
    if (r.model && !r.gemm_shapes_1_thread) {
      const fraction = +(r.model.model_gflops / e.best_gemm_gflops).toFixed(3);
      rows.push({
        goal: `training step FLOP/s ≥ ${GEMM_FRACTION_GOAL} × the best GEMM (bench recipe)`,
        measured: `${r.model.model_gflops} GFLOP/s = ${fraction} of ${e.best_gemm_gflops}${gemmNote}`,
        met: gemmMet(fraction >= GEMM_FRACTION_GOAL),
      });
    }
  }
  const one = r.gemm_shapes_1_thread;
  if (one) {
    // On one thread, FLOPs per CPU-second hold up under load (the kernel's per-core rate); wall
    // time at ONNX Runtime's threads is the whole machine's figure, judged only when it is idle.
    const many = r.gemm_shapes;
    const f1 = one.step.fraction.per_cpu_s;
    const perCpu = `1 thread, per CPU-second: step ${one.step.gflop_per_cpu_s} GFLOP = ${f1.square} of the best square GEMM (${one.per_cpu_s.best_square.gflops}, ${libraryName(one.per_cpu_s.best_square.library)}), ${f1.step_shapes} of the best at the step's own shapes (${one.per_cpu_s.best_step_mix_gflops})`;
    const wall = many
      ? `; ${many.threads} threads by wall: ${many.step.wall_gflops} GFLOP/s = ${many.step.fraction.wall.square} of ${many.wall.best_square.gflops} (${libraryName(many.wall.best_square.library)}), ${many.step.fraction.wall.step_shapes} at the step's shapes${gemmNote}`
      : '';
    rows.push({
      goal: `training step FLOP/s ≥ ${GEMM_FRACTION_GOAL} × the best GEMM (bench recipe)`,
      measured: perCpu + wall,
      met: yesNo((many && !loaded ? many.step.fraction.wall.square : f1.square) >= GEMM_FRACTION_GOAL),
    });
  }
  rows.push(pytorchRow(r));
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

function pytorchRow(r: BenchResults): GoalRow {
  const goal = `training throughput ≥ ${PYTORCH_RATIO_GOAL}× eager PyTorch (bench recipe, same machine)`;
  const p = r.pytorch;
  if (!p || !p.installed)
    return {
      goal,
      measured: `not measured: ${p ? p.why : 'bench ran no PyTorch side'}; ${r.model ? `mm1 ${r.model.train_tokens_per_s} tokens/s` : 'mm1 not run'}`,
      met: 'not measured',
    };
  const [main, ...rest] = p.by_threads;
  const others = rest.map((t) => `; ${t.threads} thread${t.threads > 1 ? 's' : ''}: ${t.ratio}× wall, ${t.cpu_ratio}× CPU`).join('');
  const measured = `${main.ratio}× by wall (mm1 ${main.mm1_tokens_per_s} vs PyTorch ${main.pytorch_tokens_per_s} tokens/s, ${main.threads} threads, in turn), ${main.cpu_ratio}× by CPU time${others}; torch ${p.torch} on ${libraryName(p.blas)}`;
  // Eager PyTorch on Debian's reference BLAS (no OpenBLAS installed) is ~20× slower at GEMMs: no baseline to beat.
  if (/reference BLAS/.test(p.blas)) return { goal, measured: `${measured} — not a fair baseline: ${p.blas}`, met: 'not measured' };
  return { goal, measured, met: yesNo(main.ratio >= PYTORCH_RATIO_GOAL) };
}

export function goalTable(rows: GoalRow[]): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  return ['| goal | measured | met? |', '|---|---|---|', ...rows.map((r) => `| ${cell(r.goal)} | ${cell(r.measured)} | ${r.met} |`)].join('\n');
}
