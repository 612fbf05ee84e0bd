// The best GEMM on the machine, at the shapes the `bench` recipe's training step multiplies.
// A square 1024³ GEMM is a library's peak; the step's own GEMMs are narrow ([2048, 256] × [256,
// 704] and their backward transposes), where libraries differ most. Each library (ONNX Runtime
// in this process; numpy in every Python found; torch.mm in the Python that has torch, all on
// ONNX Runtime's thread count, bench/gemm.py) times every shape, libraries in turn for a few
// rounds so load hits them alike; a shape's rate is the best of its per-round medians.
// A library's "step mix" rate is the step's linear-layer FLOPs over the time that library would
// take for all of them (a FLOP-weighted harmonic mean); attention's batched matmuls, the patch
// convolution and the connector are left out (about 5% of the bench recipe's FLOPs).
// node --import tsx bench/gemm_shapes.ts [rounds]   prints the table as JSON
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ModelConfig } from '../src/model/build/config.js';
import { getRecipe, recipeModel } from '../src/model/build/recipes.js';
import { ortThreads, spinWhenCoresIdle } from '../src/engine/session.js';
import { gemmGflops } from './engine.js';
import { distinctPythons, findTorchPython } from './python.js';

const GEMM_PY = fileURLToPath(new URL('gemm.py', import.meta.url));
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

type Rates = Record<string, number>;

/** One round of one library: GFLOP/s per shape (medians of 10) and the library's full name, or why it could not run. */
type Timer = (shapes: string[]) => Promise<{ library: string; rates: Rates } | { skipped: string }>;

function pythonTimer(python: string, library: 'numpy' | 'torch', threads: number): Timer {
  return async (shapes) => {
    const args = [GEMM_PY, '--library', library, '--threads', String(threads), '--spin', spinWhenCoresIdle() ? '1' : '0', '--shapes', ...shapes];
    const r = spawnSync(python, args, { encoding: 'utf8', timeout: 600_000 });
    if (r.status !== 0) return { skipped: `${python} ${library}: ${(r.stderr || r.error?.message || '').trim().split('\n').at(-1)}` };
    const out = JSON.parse(r.stdout) as { library: string; gflops: Record<string, { median: number }> };
    return { library: `${out.library} in ${python}`, rates: Object.fromEntries(Object.entries(out.gflops).map(([s, g]) => [s, g.median])) };
  };
}

const ortTimer: Timer = async (shapes) => {
  const rates: Rates = {};
  for (const s of shapes) {
    const [m, k, n] = s.split('x').map(Number);
    rates[s] = +(await gemmGflops(m, k, n)).toFixed(1);
  }
  return { library: 'onnxruntime-node (MLAS)', rates };
};

/** Σ flops / Σ (flops / rate): the rate at which `rates` would do all of the step's GEMMs. */
export function mixRate(gemms: StepGemm[], rates: Rates): number {
  const seconds = gemms.reduce((s, g) => s + g.gflop / rates[g.shape], 0);
  return gemms.reduce((s, g) => s + g.gflop, 0) / seconds;
}

export interface GemmShapesResult {
  threads: number;
  step_gemms: StepGemm[];
  libraries: { library: string; square_gflops: number; step_mix_gflops: number; gflops: Rates }[];
  skipped: string[];
  best_square: { gflops: number; library: string };
  /** The step's GEMMs each at the fastest library's rate for its shape. */
  best_step_mix_gflops: number;
}

export async function benchGemmShapes(rounds = 2): Promise<GemmShapesResult> {
  const recipe = getRecipe('bench');
  const gemms = stepGemms(recipeModel('bench'), recipe.train.batchSize, recipe.train.seqLen, recipe.train.maxImages);
  const shapes = [SQUARE, ...gemms.map((g) => g.shape)];
  const threads = ortThreads();
  const torch = findTorchPython();
  const timers: Timer[] = [
    ortTimer,
    ...distinctPythons().map(([python]) => pythonTimer(python, 'numpy', threads)),
    ...('python' in torch ? [pythonTimer(torch.python, 'torch', threads)] : []),
  ];
  const best = new Map<Timer, { library: string; rates: Rates }>();
  const skipped = new Map<Timer, string>();
  for (let r = 0; r < rounds; r++)
    for (const timer of timers) {
      if (skipped.has(timer)) continue;
      const got = await timer(shapes);
      if ('skipped' in got) {
        skipped.set(timer, got.skipped);
        continue;
      }
      const prev = best.get(timer)?.rates ?? {};
      best.set(timer, { library: got.library, rates: Object.fromEntries(shapes.map((s) => [s, Math.max(prev[s] ?? 0, got.rates[s])])) });
    }
  const libraries = [...best.values()].map(({ library, rates }) => ({
    library,
    square_gflops: rates[SQUARE],
    step_mix_gflops: +mixRate(gemms, rates).toFixed(1),
    gflops: rates,
  }));
  const top = libraries.reduce((a, b) => (b.square_gflops > a.square_gflops ? b : a));
  const bestPerShape = Object.fromEntries(shapes.map((s) => [s, Math.max(...libraries.map((l) => l.gflops[s]))]));
  return {
    threads,
    step_gemms: gemms.map((g) => ({ ...g, gflop: +g.gflop.toFixed(2) })),
    libraries,
    skipped: [...skipped.values()],
    best_square: { gflops: top.square_gflops, library: top.library },
    best_step_mix_gflops: +mixRate(gemms, bestPerShape).toFixed(1),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  process.stdout.write(JSON.stringify(await benchGemmShapes(Number(process.argv[2]) || 2), null, 2) + '\n');
}
