// One matrix product written the ways ONNX Runtime offers, each as its own small graph on one
// intra-op thread with the profiler on: the kernel's GFLOP/s (least kernel time of the runs, so
// waits for a core on a shared machine drop out) against the whole call's GFLOP per CPU-second
// (least CPU of the runs: the kernel plus onnxruntime-node's feeds, output copy and dispatch).
// Variants for x [M, K] and a weight [K, N]:
//   matmul2d   MatMul(x [M, K], w [K, N])              the step's projections, flattened
//   matmul3d   MatMul(x [16, M/16, K], w [K, N])       the step's projections as the graph emits them
//   gemm       Gemm(x, w)                              the Gemm op, no transposes
//   gemm_tB    Gemm(x, wᵀ [N, K], transB=1)            the weight stored transposed
//   chunks4    4 × MatMul(x rows / 4, w), Concat       M split into chunks
//   merged3    MatMul(x, [w w w] [K, 3N]), 3 Slices    three projections of x as one wider GEMM (Q/K/V)
//   wgrad      MatMul(Transpose(x) [K, M], y [M, N])   the weight gradient (ORT fuses the Transpose)
//   wgrad_tA   Gemm(x, y, transA=1)                    the same as one Gemm
//   batched    MatMul([H, M, K], [H, K, N])            attention's per-head products (H = $GEMM_HEADS, default 64 = B 16 × 4 heads)
//   batched_tA MatMul(Transpose([H, K, M]), [H, K, N]) their gradients' transposed form (ORT fuses it into FusedMatMul)
// nice -n 5 node --import tsx bench/gemm_variants.ts M K N [runs=12] [variant,variant,...]
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measured } from './cpu_time.js';
import { Graph, type Tensor } from '../src/engine/graph.js';
import type { HostTensor } from '../src/engine/host_tensor.js';
import { Rng } from '../src/engine/rng.js';
import { CompiledGraph } from '../src/engine/session.js';
import * as op from '../src/engine/ops/index.js';
import { gemmNodeStats, type ProfileEvent } from './profile_gemms.js';

const [M, K, N] = process.argv.slice(2, 5).map(Number);
if (![M, K, N].every((d) => Number.isInteger(d) && d > 0))
  throw new Error(`usage: bench/gemm_variants.ts M K N [runs] [variants]; got '${process.argv.slice(2, 5)}'`);
const RUNS = Number(process.argv[5] ?? 12);
const WARM_UP = 3;

type Build = (g: Graph) => { inputs: Tensor[]; out: Tensor; flops: number };
const gemm = (g: Graph, a: Tensor, b: Tensor, shape: number[], attrs: Record<string, number>) =>
  g.node('Gemm', [a, b], [{ shape, dtype: 'float32' }], attrs)[0];
const fwd = 2 * M * K * N;
const H = Number(process.env.GEMM_HEADS ?? 64);
const VARIANTS: Record<string, Build> = {
  matmul2d: (g) => {
    const [x, w] = [g.input('x', [M, K]), g.input('w', [K, N])];
    return { inputs: [x, w], out: op.matmul(x, w), flops: fwd };
  },
  matmul3d: (g) => {
    const [x, w] = [g.input('x', [16, M / 16, K]), g.input('w', [K, N])];
    return { inputs: [x, w], out: op.matmul(x, w), flops: fwd };
  },
  gemm: (g) => {
    const [x, w] = [g.input('x', [M, K]), g.input('w', [K, N])];
    return { inputs: [x, w], out: gemm(g, x, w, [M, N], {}), flops: fwd };
  },
  gemm_tB: (g) => {
    const [x, w] = [g.input('x', [M, K]), g.input('wt', [N, K])];
    return { inputs: [x, w], out: gemm(g, x, w, [M, N], { transB: 1 }), flops: fwd };
  },
  chunks4: (g) => {
    const [x, w] = [g.input('x', [M, K]), g.input('w', [K, N])];
    const parts = [0, 1, 2, 3].map((i) => op.matmul(op.slice(x, 0, (i * M) / 4, ((i + 1) * M) / 4), w));
    return { inputs: [x, w], out: op.concat(parts, 0), flops: fwd };
  },
  merged3: (g) => {
    const [x, w] = [g.input('x', [M, K]), g.input('w3', [K, 3 * N])];
    const y = op.matmul(x, w);
    const parts = [0, 1, 2].map((i) => op.slice(y, 1, i * N, (i + 1) * N));
    return { inputs: [x, w], out: op.concat(parts, 0), flops: 3 * fwd };
  },
  wgrad: (g) => {
    const [x, y] = [g.input('x', [M, K]), g.input('y', [M, N])];
    return { inputs: [x, y], out: op.matmul(op.transposeLast2(x), y), flops: fwd };
  },
  wgrad_tA: (g) => {
    const [x, y] = [g.input('x', [M, K]), g.input('y', [M, N])];
    return { inputs: [x, y], out: gemm(g, x, y, [K, N], { transA: 1 }), flops: fwd };
  },
  batched: (g) => {
    const [x, y] = [g.input('x', [H, M, K]), g.input('y', [H, K, N])];
    return { inputs: [x, y], out: op.matmul(x, y), flops: H * fwd };
  },
  batched_tA: (g) => {
    const [x, y] = [g.input('x', [H, K, M]), g.input('y', [H, K, N])];
    return { inputs: [x, y], out: op.matmul(op.transposeLast2(x), y), flops: H * fwd };
  },
};

const chosen = process.argv[6]?.split(',') ?? Object.keys(VARIANTS);
const rng = new Rng(1);
const feed = (t: Tensor): HostTensor => ({
  dtype: 'float32',
  shape: [...t.shape],
  data: Float32Array.from({ length: t.shape.reduce((p, d) => p * d, 1) }, () => rng.normal()),
});
console.log(`| variant | ${M}×${K}×${N} | kernel GFLOP/s (least) | gemm nodes' ms (least) | call GFLOP per CPU-s (least) | call CPU ms (least) |`);
console.log('|---|---|---|---|---|---|');
for (const name of chosen) {
  const build = VARIANTS[name];
  if (!build) throw new Error(`unknown variant '${name}'; known: ${Object.keys(VARIANTS).join(', ')}`);
  const dir = mkdtempSync(join(tmpdir(), 'mm1-gemm-variants-'));
  const g = new Graph(name);
  const { inputs, out, flops } = build(g);
  const c = await CompiledGraph.create(g, inputs, { out }, { threads: 1, profilePrefix: join(dir, 'p') });
  const feeds = Object.fromEntries(inputs.map((t) => [t.name, feed(t)]));
  const cpu: number[] = [];
  for (let i = 0; i < RUNS + WARM_UP; i++) {
    const { cpuMs } = await measured(() => c.run(feeds));
    if (i >= WARM_UP) cpu.push(cpuMs);
  }
  c.endProfiling();
  await c.release();
  const events = JSON.parse(readFileSync(join(dir, readdirSync(dir)[0]), 'utf8')) as ProfileEvent[];
  rmSync(dir, { recursive: true });
  const runs = events.filter((e) => e.name === 'model_run').slice(WARM_UP);
  const groups = gemmNodeStats(events.filter((e) => e.ts >= runs[0].ts));
  const leastUs = groups.reduce((a, x) => a + x.leastUs, 0);
  const callMs = Math.min(...cpu);
  console.log(
    `| ${name} | ${groups.map((x) => `${x.op} ${x.a}×${x.b}`).join(', ')} | ${(flops / leastUs / 1e3).toFixed(0)} | ${(leastUs / 1000).toFixed(2)} | ${(flops / callMs / 1e6).toFixed(0)} | ${callMs.toFixed(2)} |`,
  );
}
