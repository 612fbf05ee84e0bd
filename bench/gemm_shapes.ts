// The best GEMM on the machine, at the shapes the `bench` recipe's training step multiplies.
// A square 1024³ GEMM is a library's peak; the step's own GEMMs are narrow ([2048, 256] × [256,
// 704] and their backward transposes), where libraries differ most. Each library (ONNX Runtime
// in this process; numpy in every Python found; torch.mm in the Python that has torch, all on
// ONNX Runtime's thread count, bench/gemm.py) times every shape, libraries in turn for a few
// rounds so load hits them alike; a shape's rate is the best of its per-round medians.
// A library's "step mix" rate is the step's linear-layer FLOPs over the time that library would
// take for all of them (a FLOP-weighted harmonic mean); attention's batched matmuls, the patch
// convolution and the connector are left out (about 5% of the bench recipe's FLOPs). The
// recipe's whole training step takes its turn in the same rotation, so its FLOP/s is set against
// the libraries' as measured beside it: by wall time (meaningful on an idle machine) and by FLOPs
// per CPU-second of the process (holds up under load; on one thread it is the per-core rate).
// In each turn the step runs three times untimed, then three timed steps (until session 17: two
// timed steps and no untimed ones, so the turn's cold steps were half of the figures).
// node --import tsx bench/gemm_shapes.ts [rounds] [threads]   prints the table as JSON
import type { ModelConfig } from '../src/model/build/config.js';
import { getRecipe, recipeModel } from '../src/model/build/recipes.js';
import { ortThreads } from '../src/engine/session.js';
import { gemmRates, median } from './engine.js';
import { benchTrainStep } from './model.js';
import { pythonGemm, pythonGemmCandidates, type PythonGemm, type Rates } from './blas.js';

export const SQUARE = '1024x1024x1024';

export interface StepGemm {
  /** 'MxKxN': [M, K] × [K, N]. */
  shape: string;
  /** How many times one training step multiplies at this shape (forward, input gradient, weight gradient). */
  calls: number;
  gflop: number;
}

/**
 * The linear layers' GEMMs of one training step: each Linear [M rows, K in → N out] is a forward
 * [M, K] × [K, N], an input gradient [M, N] × [N, K] and a weight gradient [K, M] × [M, N].
 */
export function stepGemms(cfg: ModelConfig, B: number, T: number, imagesPerRow: number): StepGemm[] {
  const { vision: v, llm } = cfg;
  const lmRows = B * T;
  const vitRows = B * imagesPerRow * (v.imageSize / v.patchSize) ** 2;
  const kv = (llm.kvHeads ?? llm.heads) * (llm.width / llm.heads);
  const linears: [rows: number, inDim: number, outDim: number, count: number][] = [
    [lmRows, llm.width, llm.width, 2 * llm.depth], // q, o
    [lmRows, llm.width, kv, 2 * llm.depth], // k, v
    [lmRows, llm.width, llm.mlpHidden, 2 * llm.depth], // gate, up
    [lmRows, llm.mlpHidden, llm.width, llm.depth], // down
    [lmRows, llm.width, llm.vocabSize, 1], // LM head (or the tied table)
    [vitRows, v.width, v.width, 4 * v.depth], // q, k, v, out
    [vitRows, v.width, v.mlpHidden, v.depth], // fc1
    [vitRows, v.mlpHidden, v.width, v.depth], // fc2
  ];
  const calls = new Map<string, number>();
  const add = (m: number, k: number, n: number, c: number) => calls.set(`${m}x${k}x${n}`, (calls.get(`${m}x${k}x${n}`) ?? 0) + c);
  for (const [m, k, n, c] of linears) {
    add(m, k, n, c);
    add(m, n, k, c);
    add(k, m, n, c);
  }
  return [...calls].map(([shape, c]) => {
    const [m, k, n] = shape.split('x').map(Number);
    return { shape, calls: c, gflop: (c * 2 * m * k * n) / 1e9 };
  });
}

/** One round of one library: GFLOP/s per shape (medians of 10) and the library's full name, or why it could not run. */
type Timer = (shapes: string[]) => Promise<PythonGemm>;

const ortTimer =
  (threads: number): Timer =>
  async (shapes) => {
    const wall: Rates = {};
    const cpu: Rates = {};
    for (const s of shapes) {
      const [m, k, n] = s.split('x').map(Number);
      const r = await gemmRates(m, k, n, threads);
      [wall[s], cpu[s]] = [+r.wall.toFixed(1), +r.perCpuS.toFixed(1)];
    }
    return { library: 'onnxruntime-node (MLAS)', rates: wall, cpuRates: cpu };
  };

/** Σ flops / Σ (flops / rate): the rate at which `rates` would do all of the step's GEMMs. */
export function mixRate(gemms: StepGemm[], rates: Rates): number {
  const seconds = gemms.reduce((s, g) => s + g.gflop / rates[g.shape], 0);
  return gemms.reduce((s, g) => s + g.gflop, 0) / seconds;
}

/** One way of timing (wall, or FLOPs per CPU-second): each library's square and step-mix rates, and the best of them. */
export interface GemmSummary {
  libraries: { library: string; square_gflops: number; step_mix_gflops: number }[];
  best_square: { gflops: number; library: string };
  /** The step's GEMMs each at the fastest library's rate for its shape. */
  best_step_mix_gflops: number;
}

/** The bench recipe's training step timed in the same rotation as the libraries. */
export interface StepRates {
  gflop_per_step: number;
  /** Model FLOPs per wall second and per CPU-second (medians over all rounds). */
  wall_gflops: number;
  gflop_per_cpu_s: number;
  /** CPU ms of each timed step, in the order run (three a turn). */
  timed_cpu_ms: number[];
  /** The step's rate ÷ the best square GEMM and ÷ the best rate at its own shapes, by wall and by CPU time. */
  fraction: { wall: { square: number; step_shapes: number }; per_cpu_s: { square: number; step_shapes: number } };
}

export interface GemmShapesResult {
  threads: number;
  step: StepRates;
  step_gemms: StepGemm[];
  /** Per library, per shape: wall-time GFLOP/s and GFLOP per CPU-second. */
  rates: { library: string; wall: Rates; cpu: Rates }[];
  skipped: string[];
  wall: GemmSummary;
  per_cpu_s: GemmSummary;
}

function summarise(gemms: StepGemm[], rates: { library: string; r: Rates }[]): GemmSummary {
  const libraries = rates.map(({ library, r }) => ({ library, square_gflops: r[SQUARE], step_mix_gflops: +mixRate(gemms, r).toFixed(1) }));
  const top = libraries.reduce((a, b) => (b.square_gflops > a.square_gflops ? b : a));
  const bestPerShape = Object.fromEntries(gemms.map((g) => [g.shape, Math.max(...rates.map(({ r }) => r[g.shape]))]));
  return { libraries, best_square: { gflops: top.square_gflops, library: top.library }, best_step_mix_gflops: +mixRate(gemms, bestPerShape).toFixed(1) };
}

/** Every library at the square and the step's shapes on `threads` threads (default ONNX Runtime's), in turn for `rounds` rounds. */
export async function benchGemmShapes(opts: { rounds?: number; threads?: number } = {}): Promise<GemmShapesResult> {
  const recipe = getRecipe('bench');
  const gemms = stepGemms(recipeModel('bench'), recipe.train.batchSize, recipe.train.seqLen, recipe.train.maxImages);
  const shapes = [SQUARE, ...gemms.map((g) => g.shape)];
  const threads = opts.threads ?? ortThreads();
  const python =
    (p: string, library: 'numpy' | 'torch'): Timer =>
    (shapes) =>
      Promise.resolve(pythonGemm(p, library, shapes, threads));
  const timers: Timer[] = [ortTimer(threads), ...pythonGemmCandidates().map(([p, library]) => python(p, library))];
  // A shape's rate: the best of its per-round medians, so one round that lost its core to another process does not decide it.
  const best = new Map<Timer, { library: string; wall: Rates; cpu: Rates }>();
  const skipped = new Map<Timer, string>();
  const max = (a: Rates | undefined, b: Rates) => Object.fromEntries(shapes.map((s) => [s, Math.max(a?.[s] ?? 0, b[s])]));
  const step = await benchTrainStep({ threads });
  await step.time(2); // warm-up
  const stepMs = { wall: [] as number[], cpu: [] as number[] };
  for (let r = 0; r < (opts.rounds ?? 2); r++) {
    // The step takes its turn in the rotation like a library (its times kept whole, medians at
    // the end). Its first three steps after the libraries' turn are not timed: on the development
    // VM, after the Python GEMM process had run, one-thread steps cost 3.0, 0.9 and 1.0 s of CPU,
    // then 0.56 as before it (ONNX Runtime's own GEMM graphs or 8 s of sleep changed nothing) —
    // not what a step costs in training, where steps run back to back.
    await step.time(3);
    const t = await step.time(3);
    stepMs.wall.push(...t.wall);
    stepMs.cpu.push(...t.cpu);
    for (const timer of timers) {
      if (skipped.has(timer)) continue;
      const got = await timer(shapes);
      if ('skipped' in got) {
        skipped.set(timer, got.skipped);
        continue;
      }
      const prev = best.get(timer);
      best.set(timer, { library: got.library, wall: max(prev?.wall, got.rates), cpu: max(prev?.cpu, got.cpuRates) });
    }
  }
  await step.release();
  const rates = [...best.values()];
  const wall = summarise(
    gemms,
    rates.map((x) => ({ library: x.library, r: x.wall })),
  );
  const perCpu = summarise(
    gemms,
    rates.map((x) => ({ library: x.library, r: x.cpu })),
  );
  const stepWall = step.flops / 1e9 / (median(stepMs.wall) / 1000);
  const stepCpu = step.flops / 1e9 / (median(stepMs.cpu) / 1000);
  const frac = (x: number, s: GemmSummary) => ({ square: +(x / s.best_square.gflops).toFixed(3), step_shapes: +(x / s.best_step_mix_gflops).toFixed(3) });
  return {
    threads,
    step: {
      gflop_per_step: +(step.flops / 1e9).toFixed(2),
      wall_gflops: +stepWall.toFixed(1),
      gflop_per_cpu_s: +stepCpu.toFixed(1),
      timed_cpu_ms: stepMs.cpu.map((ms) => Math.round(ms)),
      fraction: { wall: frac(stepWall, wall), per_cpu_s: frac(stepCpu, perCpu) },
    },
    step_gemms: gemms.map((g) => ({ ...g, gflop: +g.gflop.toFixed(2) })),
    rates,
    skipped: [...skipped.values()],
    wall,
    per_cpu_s: perCpu,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [rounds, threads] = process.argv.slice(2).map(Number);
  process.stdout.write(JSON.stringify(await benchGemmShapes({ rounds: rounds || 2, threads: threads || undefined }), null, 2) + '\n');
}
