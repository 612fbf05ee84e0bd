// `mm1 ablate --workers 1` against `--workers 2`: one small study run both ways on fresh caches,
// whole processes in turn, printing each side's wall and CPU seconds (the side's process and
// every child it waited for, from /proc/self/stat) and the ratios. The study is the base run
// (C-Abstractor, 16 tokens; VARIANTS=2 adds average pooling) × SEEDS seeds at default scale
// with every stage shortened by SCALE: CLIP stage, pretraining, evaluation and a start-up per
// run, as in the real studies. Defaults (SCALE 0.2, 2 seeds, 1 variant): two runs, each with its
// own CLIP stage, ~3.9 min for the one-worker side on an idle 2-core machine by the cost model
// (the bench prints it). Start-up (graph building, sessions: ~30 s a run, estimate.ts) is ~35%
// of these short runs and ~7% of a default run, so the ratio is for this composition.
//
//   node --import tsx bench/study_workers.ts [out dir]            (default runs/bench/study_workers)
//   SCALE=0.2 SEEDS=2 VARIANTS=1 WORKERS=2 PAIRS=1 BITCHECK=0
// BITCHECK=1 runs both sides with MM1_ORT_THREADS=1: then their tables must be identical (the
// bench says whether they are); otherwise side 1 runs as `mm1 ablate` does (a thread per core)
// and side 2 as `--workers 2` does (MM1_ORT_THREADS = floor(cores / 2)).
import { execFileSync, spawn } from 'node:child_process';
import { Command } from 'commander';
import { readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { codeSalt } from '../src/ablate/cache.js';
import { estimatePlan } from '../src/ablate/estimate.js';
import { fmtDuration } from '../src/ablate/format.js';
import { mergeConfig, nested } from '../src/ablate/config_paths.js';
import { runStudy } from '../src/ablate/run_study.js';
import { findStudy } from '../src/ablate/studies/index.js';
import type { Study } from '../src/ablate/study.js';
import { runStudyInWorkers } from '../src/ablate/workers.js';
import { mm1Runner } from '../src/jobs/ablation_runner.js';
import { registerCommands } from '../src/cli/commands/index.js';

const scale = Number(process.env.SCALE ?? 0.2);
const seeds = Number(process.env.SEEDS ?? 2);
const variantCount = Number(process.env.VARIANTS ?? 1);
const workers = Number(process.env.WORKERS ?? 2);
const pairs = Number(process.env.PAIRS ?? 1);
const bitcheck = process.env.BITCHECK === '1';
const root = resolve(import.meta.dirname, '..');

/** The base run (and average pooling with VARIANTS=2) at default scale, each stage shortened by `scale`. */
function benchStudy(): Study {
  const connector = findStudy('connector');
  const short = nested({
    'train.steps': Math.round(1000 * scale),
    'encoder.clipSteps': Math.round(800 * scale),
    'eval.examplesPerTask': Math.round(300 * scale),
    'eval.textExamples': Math.round(400 * scale),
  });
  const variants = connector
    .variants('default')
    .filter((v) => ['cabstractor-16', 'avgpool-16'].slice(0, variantCount).includes(v.id))
    .map((v) => ({ ...v, config: mergeConfig(v.config, short) }));
  return { ...connector, name: 'bench-workers', seeds: { smoke: seeds, default: seeds }, claims: [], variants: () => variants };
}

/** One side, in this process (SIDE=N): the study as `mm1 ablate --workers N` runs it. */
async function side(n: number, dir: string): Promise<void> {
  const opts = { scale: 'default' as const, seeds, outDir: join(dir, 'out'), cacheDir: join(dir, 'cache'), salt: codeSalt(), runner: mm1Runner };
  if (n === 1) {
    await runStudy(benchStudy(), opts);
    return;
  }
  await runStudyInWorkers(benchStudy(), {
    ...opts,
    workers: n,
    resumeCommand: `SIDE=${n} node --import tsx bench/study_workers.ts ${dir}`,
    onLine: (l) => process.stderr.write(`${l}\n`),
    // The workers run this file as the mm1 CLI (see main), so a renice rule that matches the
    // studies' `main.ts ablate` processes treats both sides of the bench alike.
    workerCommand: (cacheDir) => ({
      command: process.execPath,
      args: ['--import', 'tsx', join(root, 'bench/study_workers.ts'), 'ablate', 'run', '-', '--cache', cacheDir],
    }),
  });
}

/** CPU seconds of this process's waited-for children (and theirs): cutime + cstime of /proc/self/stat. */
function childCpuSeconds(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));
  // After the comm field: state is field 3, so cutime (16) and cstime (17) are at 13 and 14.
  return (Number(fields[13]) + Number(fields[14])) / ticks;
}

async function timeSide(n: number, dir: string): Promise<{ wall: number; cpu: number }> {
  rmSync(dir, { recursive: true, force: true });
  const env = { ...process.env, SIDE: String(n), ...(bitcheck ? { MM1_ORT_THREADS: '1' } : {}) };
  if (!bitcheck) delete env.MM1_ORT_THREADS;
  const cpu0 = childCpuSeconds();
  const t0 = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'bench/study_workers.ts'), dir], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  const code = await new Promise<number | null>((done) => child.on('close', done));
  if (code !== 0) throw new Error(`side --workers ${n} exited ${code}; its output is above, its runs in ${dir}`);
  return { wall: (Date.now() - t0) / 1000, cpu: childCpuSeconds() - cpu0 };
}

const stats = (dir: string) =>
  JSON.stringify((JSON.parse(readFileSync(join(dir, 'out', 'study.json'), 'utf8')) as { variants: { stats: unknown }[] }).variants.map((v) => v.stats));

async function main(): Promise<void> {
  if (process.argv[2] === 'ablate') {
    const program = new Command().name('mm1');
    registerCommands(program);
    await program.parseAsync(process.argv);
    return;
  }
  const out = resolve(process.argv[2] ?? join(root, 'runs/bench/study_workers'));
  if (process.env.SIDE) return side(Number(process.env.SIDE), out);
  const study = benchStudy();
  const plan = study.variants('default').flatMap((v) => Array.from({ length: seeds }, (_, seed) => ({ ...v.config, seed })));
  const idle = estimatePlan(plan, [], 'default').seconds;
  process.stderr.write(`${plan.length} runs; the cost model's estimate for --workers 1 on an idle 2-core machine: ${fmtDuration(idle)}\n`);
  const rows: string[] = [];
  for (let p = 0; p < pairs; p++) {
    // Alternate which side goes first, so a load that changes during the pair hits both alike.
    const order = p % 2 === 0 ? [1, workers] : [workers, 1];
    const got: Record<number, { wall: number; cpu: number }> = {};
    for (const n of order) {
      process.stderr.write(`pair ${p + 1}: --workers ${n}${bitcheck ? ' (MM1_ORT_THREADS=1)' : ''}\n`);
      got[n] = await timeSide(n, join(out, `workers${n}`));
    }
    const [a, b] = [got[1], got[workers]];
    const same = stats(join(out, 'workers1')) === stats(join(out, `workers${workers}`));
    rows.push(
      `pair ${p + 1}: --workers 1 wall ${a.wall.toFixed(0)} s, CPU ${a.cpu.toFixed(0)} s | --workers ${workers} wall ${b.wall.toFixed(0)} s, CPU ${b.cpu.toFixed(0)} s | ` +
        `ratio ${workers}/1: wall ${(b.wall / a.wall).toFixed(3)}, CPU ${(b.cpu / a.cpu).toFixed(3)} | tables ${same ? 'identical' : 'differ'}${bitcheck ? '' : ' (expected: two-thread runs differ in the last digits)'}`,
    );
  }
  process.stdout.write(
    `study_workers: SCALE=${scale} SEEDS=${seeds} VARIANTS=${variantCount} (${plan.length} runs; ${fmtDuration(idle)} idle for --workers 1 by the cost model), ${pairs} pair(s), BITCHECK=${bitcheck ? 1 : 0}\n${rows.join('\n')}\n`,
  );
}

main().catch((err: unknown) => {
  process.stderr.write(`mm1: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = (err as { exitCode?: number } | null)?.exitCode ?? 1;
});
