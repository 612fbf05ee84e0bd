// The goal table of `npm run bench`: each goal is judged against its threshold from the
// measured figure, and a goal the run could not measure says so instead of passing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { goalRows, goalTable, readRunCost, type BenchResults, type RunCost } from '../../bench/goals.js';

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
