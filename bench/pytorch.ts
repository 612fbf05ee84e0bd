// mm1 against eager PyTorch on the `bench` recipe's training step, on this machine, in one run.
// The PyTorch side is bench/pytorch_step.py, a hand-written twin of the same model, loss and
// AdamW, run by the first Python that imports torch (bench/python.ts). Its parameter counts
// must equal mm1's, component by component, or nothing is compared.
// Both sides are timed in turn, A B A B, so the machine's load hits both alike; each side runs
// at ONNX Runtime's thread count and at one thread (the twin sets torch's and OpenBLAS's).
// node --import tsx bench/pytorch.ts [rounds] [steps per round]   prints the comparison as JSON
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { countModelParams, getRecipe, recipeModel } from '../src/model/build/recipes.js';
import { ortThreads, ortSpinning } from '../src/engine/session.js';
import { benchTrainStep, type BenchTrainStep } from './model.js';
import { median } from './engine.js';
import { findTorchPython } from './python.js';

export const TWIN = fileURLToPath(new URL('pytorch_step.py', import.meta.url));
const RECIPE = 'bench';

/** The twin's --config: the recipe's model and training shape (lr as bench/model.ts runs it). */
export function twinConfig(recipe = RECIPE): string {
  const t = getRecipe(recipe).train;
  return JSON.stringify({
    model: recipeModel(recipe),
    batch: t.batchSize,
    seq: t.seqLen,
    images: t.maxImages,
    weightDecay: t.weightDecay,
    clipNorm: t.clipNorm,
    lr: 1e-4,
  });
}

export interface TwinInfo {
  torch: string;
  threads: number;
  blas: string;
  params: Record<string, number>;
  tokens_per_step: number;
  omp_wait_policy: string;
}

/** The twin's parameter counts without timing anything (builds the model and stops). */
export function twinParams(python: string, config = twinConfig()): TwinInfo {
  const r = spawnSync(python, [TWIN, '--config', config, '--count'], { encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0) throw new Error(`${python} ${TWIN} --count failed: ${(r.stderr || r.error?.message || '').trim().split('\n').at(-1)}`);
  return JSON.parse(r.stdout) as TwinInfo;
}

/** A running twin (--serve): built and warmed up; `time(n)` runs n steps and returns each one's ms. */
export class PytorchTwin {
  private constructor(
    private readonly child: ChildProcessWithoutNullStreams,
    /** The twin's next stdout line (rejects if it exits first). */
    private readonly next: () => Promise<string>,
    readonly info: TwinInfo,
  ) {}

  static async start(python: string, threads: number, config = twinConfig()): Promise<PytorchTwin> {
    const spin = ortSpinning() ? '1' : '0'; // the same spin-or-not decision ONNX Runtime's sessions take
    const child = spawn(python, [TWIN, '--config', config, '--threads', String(threads), '--spin', spin, '--serve'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<never>((_, reject) =>
      child.on('close', (code) => reject(new Error(`${python} ${TWIN} exited (code ${code}): ${stderr.trim().split('\n').at(-1) ?? ''}`))),
    );
    exited.catch(() => {}); // observed by next(); a clean exit after close() is not an error
    const waiting: ((line: string) => void)[] = [];
    createInterface({ input: child.stdout }).on('line', (line) => waiting.shift()?.(line));
    const next = () => Promise.race([new Promise<string>((resolve) => waiting.push(resolve)), exited]);
    return new PytorchTwin(child, next, JSON.parse(await next()) as TwinInfo);
  }

  /** Wall and process-CPU ms of each of `steps` steps. */
  async time(steps: number): Promise<{ wall: number[]; cpu: number[] }> {
    this.child.stdin.write(`${steps}\n`);
    const r = JSON.parse(await this.next()) as { step_ms: number[]; cpu_ms: number[] };
    return { wall: r.step_ms, cpu: r.cpu_ms };
  }

  close(): void {
    this.child.stdin.end();
  }
}

export interface ThreadsComparison {
  threads: number;
  mm1_tokens_per_s: number;
  pytorch_tokens_per_s: number;
  /** mm1 ÷ PyTorch tokens/s, from the medians of all timed steps of each side (wall time). */
  ratio: number;
  /** PyTorch ÷ mm1 process-CPU ms per step (medians): holds up on a loaded machine, where wall time does not. */
  cpu_ratio: number;
  /** The step's model FLOPs (bench/model.ts stepFlops) per CPU-second of mm1's process. */
  mm1_gflop_per_cpu_s: number;
  mm1_step_ms: number[];
  pytorch_step_ms: number[];
  mm1_cpu_ms: number[];
  pytorch_cpu_ms: number[];
}

/** mm1 and the twin at `threads`, in turn for `rounds` rounds of `steps` steps each. */
async function compareAt(python: string, threads: number, rounds: number, steps: number): Promise<ThreadsComparison> {
  const mm1: BenchTrainStep = await benchTrainStep({ threads });
  const twin = await PytorchTwin.start(python, threads);
  const a = { wall: [] as number[], cpu: [] as number[] };
  const b = { wall: [] as number[], cpu: [] as number[] };
  const add = (to: typeof a, got: typeof a) => (to.wall.push(...got.wall), to.cpu.push(...got.cpu));
  try {
    await mm1.time(2); // warm-up, as the twin did before 'ready'
    for (let r = 0; r < rounds; r++) {
      add(a, await mm1.time(steps));
      add(b, await twin.time(steps));
    }
  } finally {
    twin.close();
    await mm1.release();
  }
  const perS = (ms: number[]) => mm1.tokens / (median(ms) / 1000);
  const whole = (xs: number[]) => xs.map((x) => Math.round(x));
  return {
    threads,
    mm1_tokens_per_s: Math.round(perS(a.wall)),
    pytorch_tokens_per_s: Math.round(perS(b.wall)),
    ratio: +(perS(a.wall) / perS(b.wall)).toFixed(2),
    cpu_ratio: +(median(b.cpu) / median(a.cpu)).toFixed(2),
    mm1_gflop_per_cpu_s: +(mm1.flops / 1e9 / (median(a.cpu) / 1000)).toFixed(1),
    mm1_step_ms: whole(a.wall),
    pytorch_step_ms: whole(b.wall),
    mm1_cpu_ms: whole(a.cpu),
    pytorch_cpu_ms: whole(b.cpu),
  };
}

export type PytorchComparison =
  | { installed: false; why: string }
  | {
      installed: true;
      python: string;
      torch: string;
      blas: string;
      params: { mm1: Record<string, number>; pytorch: Record<string, number> };
      by_threads: ThreadsComparison[];
    };

/** The whole comparison, or why it could not run. Throws when the twin's parameter counts differ from mm1's. */
export async function benchPytorch(rounds = 2, steps = 3): Promise<PytorchComparison> {
  const found = findTorchPython();
  if ('why' in found) return { installed: false, why: found.why };
  const info = twinParams(found.python);
  const mm1Params: Record<string, number> = countModelParams(recipeModel(RECIPE));
  for (const k of Object.keys(mm1Params))
    if (info.params[k] !== mm1Params[k])
      throw new Error(`PyTorch twin has ${info.params[k]} ${k} parameters, mm1's bench recipe ${mm1Params[k]}: fix ${TWIN} to build the recipe's model`);
  const by_threads: ThreadsComparison[] = [];
  for (const threads of [...new Set([ortThreads(), 1])]) by_threads.push(await compareAt(found.python, threads, rounds, steps));
  return { installed: true, python: found.python, torch: info.torch, blas: info.blas, params: { mm1: mm1Params, pytorch: info.params }, by_threads };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [rounds, steps] = process.argv.slice(2).map(Number);
  process.stdout.write(JSON.stringify(await benchPytorch(rounds || 2, steps || 3), null, 2) + '\n');
}
