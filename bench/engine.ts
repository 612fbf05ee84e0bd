// Engine throughput: ONNX Runtime's GEMM rate on this machine (the ceiling), and what a
// whole training step of a small transformer (forward + backward + AdamW in one graph)
// achieves, as GFLOP/s and as a ratio to that ceiling and to the machine's best GEMM
// (numpy's BLAS, bench/blas.ts, when python3 and numpy are present).
import { Graph } from '../src/engine/graph.js';
import { blasGemmGflops } from './blas.js';
import * as op from '../src/engine/ops/index.js';
import { CompiledGraph } from '../src/engine/session.js';
import { initParams, countParams } from '../src/engine/param_store.js';
import { TrainStep } from '../src/engine/train_step.js';
import { Rng } from '../src/engine/rng.js';
import type { HostTensor } from '../src/engine/host_tensor.js';
import { LlmConfigSchema } from '../src/model/build/config.js';
import { buildLmTraining } from '../src/model/build/llm.js';
import { measured } from './cpu_time.js';

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

export async function timeIt(fn: () => Promise<unknown>, warmup: number, reps: number): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const ms: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await fn();
    ms.push(performance.now() - t0);
  }
  return median(ms);
}

/** GFLOP/s of one float32 GEMM [m, k] × [k, n] in ONNX Runtime (default the square 1024³); median of 10 after 3 warm-up runs. */
export async function gemmGflops(m = 1024, k = m, n = m): Promise<number> {
  return (await gemmRates(m, k, n)).wall;
}

/**
 * gemmGflops by wall time (median of 10 after 3 warm-up runs) and by this process's CPU time
 * (the call that took least CPU). FLOPs per CPU-second measure the kernel on a loaded machine,
 * where wall time measures the scheduler; on one thread they are the kernel's single-core rate.
 * The least, not the median: on the loaded machine single calls paid erratic host costs of
 * 0.2–50 ms CPU (a [2048, 8] × [8, 704] product, 23 MFLOP, took 0.5 ms in one round and 52 in another).
 */
export async function gemmRates(m: number, k: number, n: number, threads?: number): Promise<{ wall: number; perCpuS: number }> {
  const g = new Graph('gemm');
  const a = g.input('a', [m, k]);
  const b = g.input('b', [k, n]);
  const c = await CompiledGraph.create(g, [a, b], { c: op.matmul(a, b) }, { threads });
  const rng = new Rng(1);
  const feed = (rows: number, cols: number): HostTensor => ({
    dtype: 'float32',
    shape: [rows, cols],
    data: Float32Array.from({ length: rows * cols }, () => rng.normal()),
  });
  const feeds = { a: feed(m, k), b: feed(k, n) };
  for (let i = 0; i < 3; i++) await c.run(feeds);
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < 10; i++) {
    const { wallMs, cpuMs } = await measured(() => c.run(feeds));
    wall.push(wallMs);
    cpu.push(cpuMs);
  }
  await c.release();
  const rate = (ms: number) => (2 * m * k * n) / (Math.max(ms, 1e-3) / 1000) / 1e9;
  return { wall: rate(median(wall)), perCpuS: rate(Math.min(...cpu)) };
}

/** Training-step throughput of a small Llama-style LM (B×T tokens, width D, L layers). */
export async function transformerStep(B = 8, T = 256, V = 2048, D = 256, L = 4) {
  const cfg = LlmConfigSchema.parse({ vocabSize: V, width: D, depth: L, heads: 4, mlpHidden: 704, maxPositions: T });
  const { g, loss } = buildLmTraining(cfg, B, T, 'bench_lm');
  const params = initParams(g, 1);
  const ts = await TrainStep.create(g, loss, params, { optimizer: { kind: 'adamw', weightDecay: 0.1 }, clipNorm: 1 });
  const rng = new Rng(2);
  const ids = () => BigInt64Array.from({ length: B * T }, () => BigInt(rng.int(V)));
  const feeds: Record<string, HostTensor> = {
    tokens: { dtype: 'int64', shape: [B, T], data: ids() },
    targets: { dtype: 'int64', shape: [B * T], data: ids() },
    segments: { dtype: 'int64', shape: [B, T], data: new BigInt64Array(B * T).fill(1n) },
    positions: { dtype: 'int64', shape: [B, T], data: BigInt64Array.from({ length: B * T }, (_, i) => BigInt(i % T)) },
  };
  const ms = await timeIt(() => ts.run(feeds, 1e-4), 2, 8);
  await ts.release();
  const n = countParams(params);
  const embedParams = V * D;
  // 6 FLOPs per weight per token (fwd 2 + bwd 4), excluding the embedding lookup, plus attention
  // scores and mixing: 2 matmuls of T×T×D per layer, ×3 for fwd+bwd, ×2 FLOPs per MAC.
  const flops = 6 * (n - embedParams) * B * T + 12 * L * B * T * T * D;
  return { params: n, step_ms: ms, tokens_per_s: (B * T) / (ms / 1000), gflops: flops / (ms / 1000) / 1e9 };
}

export async function benchEngine() {
  const gemm = await gemmGflops();
  const blas = blasGemmGflops();
  const step = await transformerStep();
  const best = 'gflops' in blas ? Math.max(gemm, blas.gflops) : gemm;
  return {
    gemm_1024_gflops: +gemm.toFixed(1),
    blas_gemm_1024: blas,
    best_gemm_gflops: +best.toFixed(1),
    transformer_step: { ...step, step_ms: +step.step_ms.toFixed(1), tokens_per_s: Math.round(step.tokens_per_s), gflops: +step.gflops.toFixed(1) },
    transformer_step_ratio_to_gemm: +(step.gflops / gemm).toFixed(3),
    transformer_step_ratio_to_best_gemm: +(step.gflops / best).toFixed(3),
  };
}
