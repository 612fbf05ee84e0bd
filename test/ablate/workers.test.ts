// `mm1 ablate <study> --workers N`: the study's runs in child processes (`mm1 ablate run <key>`)
// give the report the one-process path gives, each run trained once; a failing run is reported
// by key and log while the others finish; SIGTERM stops the children and a rerun resumes; bad
// values name themselves. The runs are the synthetic runner's (test/ablate/synthetic_cli.ts):
// the property under test is the hand-out, the children and the assembly, not training. Each mm1
// process is a start-up of a few seconds, so the process tests use the smallest smoke studies.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { codeSalt } from '../../src/ablate/cache.js';
import { pickRun, stagesToMake, waitsForStage, type StageDir, type StageState } from '../../src/ablate/pick_run.js';
import { planRuns } from '../../src/ablate/plan.js';
import { runStudy } from '../../src/ablate/run_study.js';
import { findStudy } from '../../src/ablate/studies/index.js';
import { workerThreads } from '../../src/ablate/workers.js';
import { mm1Runner, mm1SharedStages } from '../../src/jobs/ablation_runner.js';
import { parseOnly } from './parse_only.js';
import { syntheticRunner } from './synthetic_runner.js';

const tsx = fileURLToPath(import.meta.resolve('tsx'));
const entry = join(import.meta.dirname, 'synthetic_cli.ts');

/** `mm1 <args>` with the synthetic runner, as a process; MM1_ORT_THREADS unset unless `env` sets it. */
function mm1(args: string[], env: Record<string, string> = {}) {
  const { MM1_ORT_THREADS: _unset, ...base } = process.env;
  return spawnSync(process.execPath, ['--import', tsx, entry, ...args], { env: { ...base, ...env }, encoding: 'utf8' });
}

/** Report sections that hold numbers: the results table, missing runs, the claims and their verdicts (not dates or timings). */
const tablesOf = (reportMd: string) => reportMd.slice(reportMd.indexOf('## Results'), reportMd.indexOf('## Setup'));

test('--workers 2 runs each run once in a child on the threads it was given and writes the one-process report', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mm1-workers-'));
  const study = findStudy('connector');
  await runStudy(study, { scale: 'smoke', outDir: join(dir, 'seq'), cacheDir: join(dir, 'seq-cache'), runner: syntheticRunner(), salt: codeSalt() });

  const r = mm1(['ablate', 'connector', '--scale', 'smoke', '--workers', '2', '--out', join(dir, 'par'), '--cache', join(dir, 'cache')], {
    MM1_TEST_RUN_MS: '1000',
  });
  assert.equal(r.status, 0, r.stderr);
  const threads = Math.max(1, Math.floor(availableParallelism() / 2));
  assert.match(
    r.stderr,
    new RegExp(`2 workers, each run a process with MM1_ORT_THREADS=${threads} \\(max\\(1, floor\\(${availableParallelism()} cores / 2 workers\\)\\)`),
  );
  const plan = planRuns(study, 'smoke', 1, codeSalt());
  for (const run of plan) {
    const log = readFileSync(join(dir, 'cache', run.key, 'run.log'), 'utf8');
    assert.equal(log.match(/training/g)?.length, 1, `run ${run.variant.id} was trained once`);
    assert.match(log, new RegExp(`MM1_ORT_THREADS=${threads}\n`), `run ${run.variant.id} ran on the threads it was given`);
  }
  const logs = ['worker-1.log', 'worker-2.log'].map((f) => readFileSync(join(dir, 'par', 'worker-logs', f), 'utf8')).join('');
  for (const run of plan) assert.equal(logs.match(new RegExp(`^${run.key} finished in `, 'gm'))?.length, 1, `one worker log says ${run.variant.id} finished`);
  // Both workers were busy at once: some run started while another was running.
  assert.match(r.stderr, /started on worker 2, pid \d+ .*\| worker 1: \S+ seed 0 .*, worker 2:/);
  assert.match(r.stdout, new RegExp(`${plan.length} runs \\(${plan.length} new, 0 cached\\)`));

  const seq = readFileSync(join(dir, 'seq', 'report.md'), 'utf8');
  const par = readFileSync(join(dir, 'par', 'report.md'), 'utf8');
  assert.ok(tablesOf(seq).includes(`| ${study.variants('smoke')[0].label} |`), 'the compared part holds the results table');
  assert.equal(tablesOf(par), tablesOf(seq), 'same tables and verdicts as the one-process run');
  assert.match(par, new RegExp(`${plan.length} \\(${plan.length} run now, 0 from the cache\\)`), 'the report counts the workers’ runs as run now');
  const stats = (f: string) => (JSON.parse(readFileSync(f, 'utf8')) as { variants: { stats: unknown }[] }).variants.map((v) => v.stats);
  assert.deepEqual(stats(join(dir, 'par', 'study.json')), stats(join(dir, 'seq', 'study.json')));
});

test('a failing run is named with its log while the others finish; the rerun retries only it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mm1-workers-fail-'));
  const plan = planRuns(findStudy('highres'), 'smoke', 1, codeSalt());
  const bad = plan[1];
  const args = ['ablate', 'highres', '--scale', 'smoke', '--workers', '2', '--out', join(dir, 'out'), '--cache', join(dir, 'cache')];
  const r = mm1(args, { MM1_TEST_FAIL_KEY: bad.key });
  assert.equal(r.status, 1, r.stderr);
  const named = new RegExp(
    `mm1: 1 of 3 runs failed; the other 2 finished and are cached:\n  ${bad.variant.id} seed 0 \\(${bad.key}\\): simulated failure of run ${bad.key}\n    log: (\\S+/worker-logs/worker-[12]\\.log); run log: \\S+/${bad.key}/run\\.log\n`,
  ).exec(r.stderr);
  assert.ok(named, r.stderr);
  assert.match(readFileSync(named[1], 'utf8'), new RegExp(`mm1: simulated failure of run ${bad.key}`), 'the named log holds the error');
  assert.ok(r.stderr.includes(`Rerun to retry the failed runs (each resumes from its last checkpoint; finished runs are reused): mm1 ablate highres`));
  assert.match(r.stderr, /--workers 2\n/);
  for (const run of plan)
    assert.equal(existsSync(join(dir, 'cache', run.key, 'result.json')), run !== bad, `${run.variant.id} finished unless it is the failing one`);
  assert.ok(!existsSync(join(dir, 'out', 'report.md')), 'no report while a run is missing, as the one-process path');

  const again = mm1(args);
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, /3 runs \(1 new, 2 cached\)/);
});

test('SIGTERM reaches the children and the command exits 143 naming how to resume', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mm1-workers-term-'));
  const args = ['ablate', 'highres', '--scale', 'smoke', '--workers', '2', '--out', join(dir, 'out'), '--cache', join(dir, 'cache')];
  const { MM1_ORT_THREADS: _unset, ...env } = process.env;
  const parent = spawn(process.execPath, ['--import', tsx, entry, ...args], { env: { ...env, MM1_TEST_RUN_MS: '120000' } });
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => parent.on('close', resolve));
  await new Promise<void>((resolve) =>
    parent.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      if ((stderr.match(/started on worker/g) ?? []).length === 2) resolve();
    }),
  );
  const t0 = Date.now();
  parent.kill('SIGTERM');
  assert.equal(await exited, 143, stderr);
  assert.ok(Date.now() - t0 < 60_000, 'stopped without waiting for the 2-minute runs');
  assert.match(stderr, /SIGTERM: asking 2 running runs to checkpoint and stop/);
  assert.match(stderr, /mm1: stopped by SIGTERM: 0 runs finished in this invocation, 0 of 3 in all; rerun to continue .*: mm1 ablate highres .* --workers 2\n/);
  const pids = [...stderr.matchAll(/started on worker \d, pid (\d+)/g)].map((m) => Number(m[1]));
  assert.equal(pids.length, 2);
  for (const pid of pids) assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' }, `child ${pid} has exited`);
});

test('--workers takes a whole number ≥ 1 and says so, naming the value', async () => {
  for (const bad of ['0', 'x', '1.5', '-2']) {
    await assert.rejects(
      parseOnly(['ablate', 'connector', '--workers', bad, '--dry-run']),
      new RegExp(`option '--workers <n>' argument '${bad}' is invalid\\. Expected a whole number of worker processes ≥ 1, e.g\\. --workers 2`),
    );
  }
});

test('workers get floor(cores / workers) ONNX Runtime threads, at least 1, unless MM1_ORT_THREADS is set', () => {
  assert.deepEqual(workerThreads(2, {}, 2).threads, 1);
  assert.deepEqual(workerThreads(2, {}, 8).threads, 4);
  assert.deepEqual(workerThreads(3, {}, 8).threads, 2);
  assert.deepEqual(workerThreads(4, {}, 2).threads, 1);
  assert.deepEqual(workerThreads(2, { MM1_ORT_THREADS: '2' }, 2), { threads: 2, why: 'MM1_ORT_THREADS as you set it' });
  assert.throws(() => workerThreads(2, { MM1_ORT_THREADS: 'two' }, 2), /MM1_ORT_THREADS must be a whole number of threads ≥ 1, got 'two'/);
});

test('a free worker takes the first run whose shared stage no one is making, else the first run', () => {
  const clip = (seed: number): StageDir => ({ stage: 'clip', dir: `/c/clip-${seed}` });
  const runs = [
    { id: 'a0', stages: [clip(0)] },
    { id: 'b0', stages: [clip(0)] },
    { id: 'a1', stages: [clip(1)] },
    { id: 'b1', stages: [clip(1)] },
  ];
  const made = new Set<string>();
  const held = new Set<string>();
  const state: StageState = { done: (s) => made.has(s.dir), holder: (s) => (held.has(s.dir) ? { pid: 1, host: 'h', started: '' } : undefined) };
  const pick = (candidates: typeof runs, making: string[]) => pickRun(candidates, (r) => r.stages, new Set(making), state)?.id;
  // Worker 1 takes a0 and makes seed 0's stage; worker 2 skips b0 (it would wait) for a1.
  assert.equal(pick(runs, []), 'a0');
  assert.equal(pick(runs.slice(1), ['/c/clip-0']), 'a1');
  // Both stages being made: the first run, which waits for its stage.
  assert.equal(pick([runs[1], runs[3]], ['/c/clip-0', '/c/clip-1']), 'b0');
  // A stage another process holds counts as being made; a made one does not.
  held.add('/c/clip-0');
  assert.equal(pick(runs.slice(1), []), 'a1');
  made.add('/c/clip-0');
  assert.equal(pick(runs.slice(1), ['/c/clip-0']), 'b0');
  assert.equal(pick([], []), undefined);
  // Stages outermost first: a made pretraining needs no CLIP stage, so its run does not wait.
  const pre: StageDir = { stage: 'pretrain', dir: '/c/pre' };
  assert.equal(waitsForStage([pre, clip(1)], new Set(['/c/clip-1']), state), true);
  made.add('/c/pre');
  assert.equal(waitsForStage([pre, clip(1)], new Set(['/c/clip-1']), state), false);
  assert.deepEqual(stagesToMake([pre, clip(1)], state), []);
});

test("mm1Runner's sharedStages are the stages it asks the cache for", async () => {
  assert.equal(mm1Runner.sharedStages, mm1SharedStages);
  for (const name of ['connector', 'highres']) {
    const run = planRuns(findStudy(name), 'smoke', 1, 'salt')[0];
    const asked: { stage: string; inputs: unknown }[] = [];
    const stop = new Error('stop before training');
    const dir = mkdtempSync(join(tmpdir(), 'mm1-stages-'));
    const signal = {
      log: () => {},
      sharedDir: (stage: string, inputs: unknown) => {
        asked.push({ stage, inputs });
        if (stage === 'clip') throw stop;
        return join(dir, stage);
      },
    };
    await assert.rejects(mm1Runner(structuredClone(run.config), join(dir, 'run'), signal), (err) => err === stop);
    assert.deepEqual(mm1SharedStages(run.config), asked, `${name}: the same stages, in the order the runner asks`);
  }
});
