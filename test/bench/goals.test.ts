// The goal table of `npm run bench`: each goal is judged against its threshold from the
// measured figure, and a goal the run could not measure says so instead of passing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goalRows, goalTable, readRunCost, type BenchResults, type RunCost } from '../../bench/goals.js';
import type { GemmShapesResult } from '../../bench/gemm_shapes.js';
import type { ThreadsComparison } from '../../bench/pytorch.js';

const find = (rows: ReturnType<typeof goalRows>, start: string) => {
  const row = rows.find((r) => r.goal.startsWith(start));
  assert.ok(row, `no row starting '${start}' in ${rows.map((r) => r.goal).join('; ')}`);
  return row;
};

test('data-vs-step rows: 5x is met, 4.99x is not, and the render size is named', () => {
  const rows = goalRows({
    pipeline_vs_step: [
      { config: 'A', used: { render_size: 48, data_over_step: 5 } },
      { config: 'B', used: { render_size: 128, data_over_step: 4.99 } },
    ],
  });
  const [a, b] = rows.filter((r) => r.goal.startsWith('data batches/s'));
  assert.deepEqual([a.met, b.met], ['yes', 'no']);
  assert.match(a.measured, /48 px/);
  assert.match(b.goal, /: B$/);
});

test('data-vs-step rows are judged by the CPU-time ratio when the run has it, with the wall ratio beside it', () => {
  const rows = goalRows({
    pipeline_vs_step: [
      { config: 'A', used: { render_size: 128, data_over_step: 2.1, data_over_step_cpu: 5.2 } },
      { config: 'B', used: { render_size: 128, data_over_step: 9, data_over_step_cpu: 4.9 } },
    ],
  });
  const [a, b] = rows.filter((r) => r.goal.startsWith('data batches/s'));
  assert.deepEqual([a.met, b.met], ['yes', 'no']);
  assert.match(a.measured, /^5\.2× by CPU time \(wall ÷ wall 2\.1×/);
});

const cost = (root: string, total_s: number, scale = 0.2): RunCost => ({
  root,
  scale,
  clip_s: total_s / 4,
  pretrain_s: total_s / 2,
  eval_s: total_s / 4,
  total_s,
});

test('ablation run row: the ratio of two run_cost outputs, 0.5 met and 0.51 not, stage ratios named', () => {
  const row = (after: number) => find(goalRows({ run_cost: { before: cost('/tmp/old', 2000), after: cost('.', after) } }), 'default ablation run');
  assert.equal(row(1000).met, 'yes');
  assert.equal(row(1020).met, 'no');
  assert.match(row(1020).measured, /^0\.51 of \/tmp\/old \(wall 1020 s ÷ 2000 s at SCALE 0\.2; CLIP stage 0\.51, pretraining 0\.51/);
});

test('ablation run row: runs at two scales are not compared', () => {
  const row = find(goalRows({ run_cost: { before: cost('/tmp/old', 2000, 0.25), after: cost('.', 500, 0.2) } }), 'default ablation run');
  assert.equal(row.met, 'not measured');
  assert.match(row.measured, /SCALE 0\.25 and 0\.2/);
});

test('readRunCost takes the JSON line run_cost.ts printed among other output, and names the file when there is none', () => {
  const line = JSON.stringify({ ...cost('/tmp/old', 1800), final_loss: 0.8, scores: [] });
  assert.equal(readRunCost('old.json', `warning: something\n${line}\n`).total_s, 1800);
  assert.throws(() => readRunCost('old.json', '{"root": "x"}\n'), /old\.json: no line of bench\/run_cost\.ts output .*clip_s/);
});

test('GEMM fraction: the bench recipe row divides its GFLOP/s by the best GEMM (120 / 200 = 0.6 < 0.8)', () => {
  const results: BenchResults = {
    engine: { best_gemm_gflops: 200, blas_gemm_1024: { gflops: 200, library: 'numpy 2 (openblas)' }, transformer_step_ratio_to_best_gemm: 0.85 },
    model: { model_gflops: 120, train_tokens_per_s: 9000 },
  };
  const rows = goalRows(results);
  assert.equal(find(rows, 'training step FLOP/s ≥ 0.8 × the best GEMM on').met, 'yes');
  const bench = find(rows, 'training step FLOP/s ≥ 0.8 × the best GEMM (bench');
  assert.equal(bench.met, 'no');
  assert.match(bench.measured, /= 0\.6 of 200/);
});

test('on a machine busier than its cores the GEMM fractions are not judged (the GEMM and the step are timed apart)', () => {
  const engine = { best_gemm_gflops: 9, blas_gemm_1024: { gflops: 9, library: 'numpy' }, transformer_step_ratio_to_best_gemm: 3.1 };
  const row = find(goalRows({ machine: { cores: 2, load_average_1min_at_start: 13.9 }, engine }), 'training step FLOP/s ≥ 0.8 × the best GEMM on');
  assert.equal(row.met, 'not measured');
  assert.match(row.measured, /load 13\.9 on 2 cores/);
  assert.equal(find(goalRows({ machine: { cores: 2, load_average_1min_at_start: 1.5 }, engine }), 'training step FLOP/s ≥ 0.8 × the best GEMM on').met, 'yes');
});

test('goals this run could not measure are never marked met', () => {
  const rows = goalRows({ pytorch: { installed: false, why: 'python3 cannot import torch' }, quickstart: { skipped: 'mm1 quickstart failed: x' } });
  const torch = find(rows, 'training throughput ≥ 2× eager PyTorch');
  assert.equal(torch.met, 'not measured');
  assert.match(torch.measured, /cannot import torch/);
  assert.equal(find(rows, 'quick start').met, 'not measured');
  assert.equal(find(rows, 'default ablation run').met, 'not measured');
});

test('quick start: 180 s is met, 181 s is not', () => {
  assert.equal(find(goalRows({ quickstart: { wall_seconds: 180 } }), 'quick start').met, 'yes');
  assert.equal(find(goalRows({ quickstart: { wall_seconds: 181 } }), 'quick start').met, 'no');
});

test('peak RSS: a recipe that failed makes the row unmet and names the error', () => {
  const rows = goalRows({
    training_peak_rss: [
      { recipe: 'tiny', peak_rss_mb: 400 },
      { recipe: 'small', error: 'out of memory' },
    ],
  });
  const rss = find(rows, 'peak RSS');
  assert.equal(rss.met, 'no');
  assert.match(rss.measured, /tiny 0\.39 GB, small failed \(out of memory\)/);
});

test('the table has one line per row and escapes pipes in cells', () => {
  const table = goalTable([{ goal: 'a | b', measured: '1', met: 'yes' }]);
  assert.deepEqual(table.split('\n'), ['| goal | measured | met? |', '|---|---|---|', '| a \\| b | 1 | yes |']);
});

const threadsRow = (threads: number, ratio: number, cpu_ratio: number): ThreadsComparison => ({
  threads,
  mm1_tokens_per_s: Math.round(100 * ratio),
  pytorch_tokens_per_s: 100,
  ratio,
  cpu_ratio,
  mm1_gflop_per_cpu_s: 70,
  mm1_step_ms: [],
  pytorch_step_ms: [],
  mm1_cpu_ms: [],
  pytorch_cpu_ms: [],
});
const pytorch = (ratio: number, blas = 'OpenBLAS (/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3)'): BenchResults['pytorch'] => ({
  installed: true,
  python: '/usr/bin/python3',
  torch: '1.13.1',
  blas,
  params: { mm1: { total: 1 }, pytorch: { total: 1 } },
  by_threads: [threadsRow(2, ratio, 2.5), threadsRow(1, 2.35, 2.46)],
});

test("eager PyTorch: 2.0x at ONNX Runtime's threads is met, 1.99x is not; the 1-thread and CPU-time ratios are shown", () => {
  const met = find(goalRows({ pytorch: pytorch(2) }), 'training throughput ≥ 2× eager PyTorch');
  assert.equal(met.met, 'yes');
  assert.match(
    met.measured,
    /^2× by wall \(mm1 200 vs PyTorch 100 tokens\/s, 2 threads, in turn\), 2\.5× by CPU time; 1 thread: 2\.35× wall, 2\.46× CPU; torch 1\.13\.1 on OpenBLAS$/,
  );
  assert.equal(find(goalRows({ pytorch: pytorch(1.99) }), 'training throughput ≥ 2× eager PyTorch').met, 'no');
});

test('eager PyTorch on the reference BLAS is no baseline: the row is not judged and says why', () => {
  const row = find(
    goalRows({
      pytorch: pytorch(30, 'reference BLAS, slow: install OpenBLAS (apt-get install libopenblas0-pthread) (/usr/lib/x86_64-linux-gnu/blas/libblas.so.3)'),
    }),
    'training throughput',
  );
  assert.equal(row.met, 'not measured');
  assert.match(row.measured, /not a fair baseline: reference BLAS.*libopenblas0-pthread/);
});

const shapes = (threads: number, wallSquare: number, cpuSquare: number): GemmShapesResult => {
  const summary = (gflops: number) => ({
    libraries: [],
    best_square: { gflops, library: 'numpy 2.4.6 matmul (libscipy_openblas64_.so) in python3' },
    best_step_mix_gflops: 100,
  });
  return {
    threads,
    step: {
      gflop_per_step: 55,
      wall_gflops: 80,
      gflop_per_cpu_s: 72,
      timed_cpu_ms: [760, 770, 765],
      fraction: { wall: { square: wallSquare, step_shapes: 0.8 }, per_cpu_s: { square: cpuSquare, step_shapes: 0.72 } },
    },
    step_gemms: [],
    rates: [],
    skipped: [],
    wall: summary(100),
    per_cpu_s: summary(90),
  };
};

test("bench recipe vs the best GEMM: judged by wall at ONNX Runtime's threads when idle, by 1-thread CPU time under load", () => {
  const results = (load: number): BenchResults => ({
    machine: { cores: 2, load_average_1min_at_start: load },
    gemm_shapes: shapes(2, 0.85, 0.5),
    gemm_shapes_1_thread: shapes(1, 0.3, 0.79),
  });
  const idle = find(goalRows(results(1)), 'training step FLOP/s ≥ 0.8 × the best GEMM (bench');
  assert.equal(idle.met, 'yes'); // 0.85 by wall on 2 threads
  const busy = find(goalRows(results(15)), 'training step FLOP/s ≥ 0.8 × the best GEMM (bench');
  assert.equal(busy.met, 'no'); // 0.79 per CPU-second on 1 thread; the wall figure is marked not comparable
  assert.match(
    busy.measured,
    /^1 thread, per CPU-second: step 72 GFLOP = 0\.79 of the best square GEMM \(90, numpy 2\.4\.6 matmul\), 0\.72 of the best at the step's own shapes \(100\)/,
  );
  assert.match(busy.measured, /2 threads by wall: .* not comparable: load 15 on 2 cores/);
});
