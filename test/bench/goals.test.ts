// The goal table of `npm run bench`: each goal is judged against its threshold from the
// measured figure, and a goal the run could not measure says so instead of passing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goalRows, goalTable, type BenchResults } from '../../bench/goals.js';

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
