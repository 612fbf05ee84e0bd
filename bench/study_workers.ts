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
//   SCALE=0.2 SEEDS=2 VARIANTS=1 WORKERS=2 PAIRS=1 BITCHECK=0 POOL=0
// POOL=1 compares two studies run one after another, each with --workers N (`mm1 ablate A
// --workers N && mm1 ablate B --workers N`), against the same two in one pool (`mm1 ablate A B
// --workers N`), on fresh caches, SEEDS seeds: study A is the base run, average pooling and
// attention pooling (connector), study B the base run and three other mixtures (mixture), so the
// base run is shared and each study alone leaves a worker idle at its end (3 and 4 − 1 cached
// runs on 2 workers). Both sides run one-thread workers, so their tables must be identical.
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
import { planRuns } from '../src/ablate/plan.js';
import { findStudy } from '../src/ablate/studies/index.js';
import type { Study } from '../src/ablate/study.js';
import { runStudiesInWorkers, runStudyInWorkers } from '../src/ablate/workers.js';
import { mm1Runner } from '../src/jobs/ablation_runner.js';
import { registerCommands } from '../src/cli/commands/index.js';

const scale = Number(process.env.SCALE ?? 0.2);
const seeds = Number(process.env.SEEDS ?? 2);
const variantCount = Number(process.env.VARIANTS ?? 1);
const workers = Number(process.env.WORKERS ?? 2);
const pairs = Number(process.env.PAIRS ?? 1);
const bitcheck = process.env.BITCHECK === '1';
const poolMode = process.env.POOL === '1';
const root = resolve(import.meta.dirname, '..');

/** Every stage of a default-scale run shortened by SCALE. */
function shortened() {
  return nested({
    'train.steps': Math.round(1000 * scale),
    'encoder.clipSteps': Math.round(800 * scale),
    'eval.examplesPerTask': Math.round(300 * scale),
    'eval.textExamples': Math.round(400 * scale),
  });
}

/** The base run (and average pooling with VARIANTS=2) at default scale, each stage shortened by `scale`. */
function benchStudy(): Study {
  const connector = findStudy('connector');
  const variants = connector
    .variants('default')
    .filter((v) => ['cabstractor-16', 'avgpool-16'].slice(0, variantCount).includes(v.id))
    .map((v) => ({ ...v, config: mergeConfig(v.config, shortened()) }));
  return { ...connector, name: 'bench-workers', seeds: { smoke: seeds, default: seeds }, claims: [], variants: () => variants };
}

/** POOL=1's two studies: `name`'s variants with these ids at default scale, each stage shortened by `scale`. */
function poolStudy(name: string, ids: readonly string[]): Study {
  const study = findStudy(name);
  const variants = study
    .variants('default')
    .filter((v) => ids.includes(v.id))
    .map((v) => ({ ...v, config: mergeConfig(v.config, shortened()) }));
  return { ...study, name: `bench-${name}`, seeds: { smoke: seeds, default: seeds }, claims: [], variants: () => variants };
}
const poolStudies = () => [
  poolStudy('connector', ['cabstractor-16', 'avgpool-16', 'attnpool-16']),
  poolStudy('mixture', ['mm1-45-45-10', 'caption-only', 'interleaved-only', 'cap50-int50']),
];

/** One side, in this process (SIDE=N for --workers N, SIDE=back-to-back or pool with POOL=1). */
async function side(name: string, dir: string): Promise<void> {
  const opts = { scale: 'default' as const, seeds, cacheDir: join(dir, 'cache'), salt: codeSalt(), runner: mm1Runner };
  if (name === '1') {
    await runStudy(benchStudy(), { ...opts, outDir: join(dir, 'out') });
    return;
  }
  const pool = {
    ...opts,
    workers: poolMode ? workers : Number(name),
    resumeCommand: `SIDE=${name} node --import tsx bench/study_workers.ts ${dir}`,
    onLine: (l: string) => process.stderr.write(`${l}\n`),
    // The workers run this file as the mm1 CLI (see main), so a renice rule that matches the
    // studies' `main.ts ablate` processes treats both sides of the bench alike.
    workerCommand: (cacheDir: string) => ({
      command: process.execPath,
      args: ['--import', 'tsx', join(root, 'bench/study_workers.ts'), 'ablate', 'run', '-', '--cache', cacheDir],
    }),
  };
  const entries = poolStudies().map((study) => ({ study, outDir: join(dir, study.name) }));
  if (name === 'pool') await runStudiesInWorkers(entries, { ...pool, logDir: dir });
  else if (name === 'back-to-back') for (const e of entries) await runStudyInWorkers(e.study, { ...pool, outDir: e.outDir });
  else await runStudyInWorkers(benchStudy(), { ...pool, outDir: join(dir, 'out') });
}

/** CPU seconds of this process's waited-for children (and theirs): cutime + cstime of /proc/self/stat. */
function childCpuSeconds(): number {
  const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1].split(' ');
  const ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }));
  // After the comm field: state is field 3, so cutime (16) and cstime (17) are at 13 and 14.
  return (Number(fields[13]) + Number(fields[14])) / ticks;
}

async function timeSide(n: number | string, dir: string): Promise<{ wall: number; cpu: number }> {
  rmSync(dir, { recursive: true, force: true });
  const env = { ...process.env, SIDE: String(n), ...(bitcheck ? { MM1_ORT_THREADS: '1' } : {}) };
  if (!bitcheck) delete env.MM1_ORT_THREADS;
  const cpu0 = childCpuSeconds();
  const t0 = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'bench/study_workers.ts'), dir], { env, stdio: ['ignore', 'inherit', 'inherit'] });
  const code = await new Promise<number | null>((done) => child.on('close', done));
  if (code !== 0) throw new Error(`side ${n} exited ${code}; its output is above, its runs in ${dir}`);
  return { wall: (Date.now() - t0) / 1000, cpu: childCpuSeconds() - cpu0 };
}

const stats = (dir: string, study = 'out') =>
  JSON.stringify((JSON.parse(readFileSync(join(dir, study, 'study.json'), 'utf8')) as { variants: { stats: unknown }[] }).variants.map((v) => v.stats));

async function main(): Promise<void> {
  if (process.argv[2] === 'ablate') {
    const program = new Command().name('mm1');
    registerCommands(program);
    await program.parseAsync(process.argv);
    return;
  }
  const out = resolve(process.argv[2] ?? join(root, 'runs/bench/study_workers'));
  if (process.env.SIDE) return side(process.env.SIDE, out);
  if (poolMode) return comparePool(out);
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

/** POOL=1: the two studies back to back against one pool, PAIRS times, sides alternating. */
async function comparePool(out: string): Promise<void> {
  const studies = poolStudies();
  const configs = new Map(studies.flatMap((st) => planRuns(st, 'default', seeds, codeSalt()).map((run) => [run.key, run.config] as const)));
  process.stderr.write(
    `${configs.size} distinct runs in 2 studies; the cost model's one-process estimate on an idle 2-core machine: ${fmtDuration(estimatePlan([...configs.values()], [], 'default').seconds)}\n`,
  );
  const rows: string[] = [];
  for (let p = 0; p < pairs; p++) {
    const order = p % 2 === 0 ? ['back-to-back', 'pool'] : ['pool', 'back-to-back'];
    const got: Record<string, { wall: number; cpu: number }> = {};
    for (const name of order) {
      process.stderr.write(`pair ${p + 1}: ${name}, --workers ${workers}\n`);
      got[name] = await timeSide(name, join(out, name));
    }
    const [a, b] = [got['back-to-back'], got.pool];
    const same = studies.every((st) => stats(join(out, 'back-to-back'), st.name) === stats(join(out, 'pool'), st.name));
    rows.push(
      `pair ${p + 1}: back to back wall ${a.wall.toFixed(0)} s, CPU ${a.cpu.toFixed(0)} s | one pool wall ${b.wall.toFixed(0)} s, CPU ${b.cpu.toFixed(0)} s | ` +
        `ratio pool/back-to-back: wall ${(b.wall / a.wall).toFixed(3)}, CPU ${(b.cpu / a.cpu).toFixed(3)} | tables ${same ? 'identical' : 'DIFFER'}`,
    );
  }
  process.stdout.write(`study_workers POOL=1: SCALE=${scale} SEEDS=${seeds} WORKERS=${workers}, ${pairs} pair(s)\n${rows.join('\n')}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`mm1: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = (err as { exitCode?: number } | null)?.exitCode ?? 1;
});
