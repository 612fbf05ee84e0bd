import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { register } from '../../src/cli/commands/ablate.js';
import type { Runner } from '../../src/ablate/runner.js';
import { codeSalt } from '../../src/ablate/cache.js';
import { findStudy } from '../../src/ablate/studies/index.js';
import { sweepPlanLines } from '../../src/cli/commands/ablate_run.js';
import { ensureDevice } from '../../src/engine/device.js';
import { syntheticRunner } from './synthetic_runner.js';

/** Runs `mm1 <args>` in-process with `runner` as the study's runner and returns what it printed. */
async function mm1(args: string[], runner: Runner = syntheticRunner()): Promise<{ stdout: string; stderr: string }> {
  const program = new Command().name('mm1').exitOverride();
  register(program, runner);
  let stdout = '';
  let stderr = '';
  const [out, err] = [process.stdout.write, process.stderr.write];
  process.stdout.write = (s: string) => ((stdout += s), true);
  process.stderr.write = (s: string) => ((stderr += s), true);
  try {
    await program.parseAsync(['node', 'mm1', ...args]);
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
  }
  return { stdout, stderr };
}

test('--list and --dry-run describe and plan without running anything', async () => {
  const untouched = syntheticRunner();
  const list = await mm1(['ablate', '--list'], untouched);
  assert.match(list.stdout, /^encoder {4}Image encoder: resolution and size\n {11}Which image-encoder choices/);
  assert.match(list.stdout, /highres .*\n.*\n.*smoke: 3 variants × 1 seed; default: 3 variants × 3 seeds/);
  const plan = await mm1(['ablate', 'connector', '--scale', 'smoke', '--dry-run', '--out', '/nonexistent/place'], untouched);
  assert.match(plan.stdout, /runs cached in \/nonexistent\/place\/runs\n/);
  assert.equal(untouched.calls.length, 0, 'a dry run trains nothing');
  // One encoder and one seed: the five variants train one CLIP stage between them.
  assert.match(
    plan.stdout,
    /5 runs, 5 to run: 500 training steps, about \d+m\d+s on an idle 2-core machine \(CLIP \d+s, pretraining \d+m\d+s, evaluation (\d+m)?\d+s, start-up \d+m\d+s; 4 CLIP stages reused from another run\): an estimate from the base run's measured stages/,
  );
  const later = await mm1(['ablate', 'highres', '--scale', 'smoke', '--seeds', '2', '--first-seed', '3', '--dry-run', '--out', '/nonexistent/place']);
  assert.deepEqual(
    [...later.stdout.matchAll(/ seed (\d+) /g)].map((m) => m[1]),
    ['3', '3', '3', '4', '4', '4'],
  );
  assert.match((await mm1(['ablate', 'connector', '--dry-run', '--out', '/nonexistent/place'])).stdout, /15 runs, 15 to run/, 'default scale: 3 seeds');
  await assert.rejects(mm1(['ablate', 'encoder', '--seeds', '0', '--dry-run']), /option '--seeds <n>' argument '0' is invalid\. Expected a whole number ≥ 1\./);
  await assert.rejects(mm1(['ablate']), /name a study: mm1 ablate <encoder\|connector\|mixture\|highres\|highres-mixedres\|sft-connector\|sft-mixture\|seeds>/);
});

test('with a runner: runs the study, prints a line per run and the verdicts, and a rerun is all cached', async () => {
  const runner = syntheticRunner();
  const out = mkdtempSync(join(tmpdir(), 'mm1-cli-'));
  const first = await mm1(['ablate', 'highres', '--scale', 'smoke', '--out', out], runner);
  assert.equal(runner.calls.length, 3);
  assert.match(first.stderr, /^mm1 ablate highres --scale smoke --seeds 1 --out \S+\n/);
  // Until a run of this invocation finishes, the ETA is the cost model's, marked as such (the pool's words).
  assert.match(first.stderr, /\[1\/3\] base seed 0: running \(fine-tuned at 32 px \(base\)\) \| ETA ~\d+m\d+s \(cost model until a run finishes\)\n/);
  assert.match(first.stderr, /\[3\/3\] sub-images seed 0: done in \ds \| ETA 0s/);
  assert.match(first.stderr, / {4}interpolate\/seed0: training 0\n/, 'runner log lines are echoed');
  assert.match(first.stdout, /✔ reproduced: Sub-image decomposition to a higher resolution beats the base resolution/);
  assert.ok(existsSync(join(out, 'report.html')));

  const again = await mm1(['ablate', 'highres', '--scale', 'smoke', '--out', out, '--quiet'], runner);
  assert.equal(runner.calls.length, 3, 'no new runs');
  assert.match(again.stdout, /3 runs \(0 new, 3 cached\)/);
  const plan = await mm1(['ablate', 'highres', '--scale', 'smoke', '--out', out, '--dry-run'], runner);
  assert.match(plan.stdout, /3 runs, 0 to run/);

  // A cache shared by two studies: the base run (the same config in both) runs once.
  const cache = mkdtempSync(join(tmpdir(), 'mm1-cache-'));
  const runsBefore = runner.calls.length;
  const mix = await mm1(['ablate', 'mixture', '--scale', 'smoke', '--out', join(out, 'mix'), '--cache', cache, '--quiet'], runner);
  assert.match(mix.stderr, /^mm1 ablate mixture --scale smoke --seeds 1 --out \S+ --cache \S+\n/);
  const con = await mm1(['ablate', 'connector', '--scale', 'smoke', '--out', join(out, 'con'), '--cache', cache, '--quiet'], runner);
  assert.match(con.stdout, /5 runs \(4 new, 1 cached\)/);
  assert.equal(runner.calls.length - runsBefore, 5 + 4);
  assert.ok(!existsSync(join(out, 'con', 'runs')), 'runs live in the shared cache only');
});

test('--device is checked at start, before anything is planned or run; plan lines name a device other than the CPU', async () => {
  const out = mkdtempSync(join(tmpdir(), 'mm1-cli-device-'));
  await assert.rejects(
    mm1(['ablate', 'connector', '--device', 'gpu', '--dry-run']),
    /option '--device <name>' argument 'gpu' is invalid\. Allowed choices are cpu, cuda, dml, coreml\./,
  );
  if (
    await ensureDevice('cuda').then(
      () => false,
      () => true,
    )
  ) {
    const untouched = syntheticRunner();
    await assert.rejects(
      mm1(['ablate', 'connector', '--scale', 'smoke', '--device', 'cuda', '--plan', '--out', out], untouched),
      /^Error: --device cuda: the CUDA execution provider could not start/,
    );
    await assert.rejects(
      mm1(['ablate', 'run', '0123456789abcdef', '--device', 'cuda', '--cache', join(out, 'runs')], untouched),
      /--device cuda: the CUDA execution provider could not start .*\n.*\n.*ONNXRUNTIME_NODE_INSTALL=cuda12/,
    );
    assert.ok(!existsSync(join(out, 'runs')), 'nothing was recorded in the cache');
    assert.equal(untouched.calls.length, 0);
  }
  const plan = (device: 'cpu' | 'cuda') =>
    sweepPlanLines({ study: findStudy('connector'), scale: 'smoke', seeds: 1, salt: codeSalt('device-test'), cacheDir: out, device }).split('\n')[0];
  assert.match(plan('cuda'), /^([0-9a-f]{16})\tmm1 ablate run \1 --cache \S+ --device cuda$/);
  assert.match(plan('cpu'), /^([0-9a-f]{16})\tmm1 ablate run \1 --cache \S+$/);
});
