// The promises of a training run, through the CLI as users and supervisors drive it: a run
// started with non-default flags is stopped by SIGINT and by SIGTERM (each leaves a
// checkpoint and exits 128 + signal), its newest checkpoint is then damaged, and
// `mm1 pretrain --out R --resume` alone finishes it with exactly the losses of an
// uninterrupted run. A flag that disagrees with the run is named with both values.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { latestCheckpoint } from '../../src/engine/checkpoint.js';
import { readLog } from '../../src/train/loop.js';
import { pretrain } from '../../src/train/pretrain.js';
import { microRunConfig } from '../helpers/micro_model.js';

const STEPS = 60;

interface Child {
  done: Promise<{ code: number | null; stderr: string }>;
  kill(sig: NodeJS.Signals): void;
}

function mm1(args: string[]): Child {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  return { done: new Promise((resolve) => child.on('exit', (code) => resolve({ code, stderr }))), kill: (sig) => child.kill(sig) };
}

/** Wait until the run's log has more than `steps` lines (the process is mid-run). */
async function logPasses(runDir: string, steps: number): Promise<void> {
  while (readLog(runDir).length <= steps) await new Promise((r) => setTimeout(r, 20));
}

// Slow (five training processes, ~100 s on the loaded 2-core machine): runs with MM1_SLOW=1.
// The default run covers the same loop in-process: test/train/resume.test.ts (signals),
// test/train/checkpoint_fallback.test.ts, test/train/run_dir.test.ts.
const skip = !process.env.MM1_SLOW && 'slow: set MM1_SLOW=1';

test('SIGINT and SIGTERM checkpoint and exit 130/143; --resume alone finishes exactly, past a damaged checkpoint', { skip }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mm1-signals-'));
  try {
    // Non-default settings, from a config file and a flag; --resume below repeats neither.
    const config = { ...microRunConfig(STEPS, { checkpointEvery: 4 }) };
    const file = join(dir, 'micro.json');
    writeFileSync(file, JSON.stringify(config));
    const reference = await pretrain({ config: microRunConfig(STEPS, { checkpointEvery: 4, seed: 3 }), out: join(dir, 'reference'), quiet: true });
    const run = join(dir, 'run');

    const first = mm1(['pretrain', '--config', file, '--seed', '3', '--out', run, '-q']);
    await logPasses(run, 2);
    first.kill('SIGINT');
    const stopped = await first.done;
    assert.equal(stopped.code, 130, stopped.stderr);
    assert.match(stopped.stderr, /Ctrl-C: saving a checkpoint after this step/);
    const afterInt = readLog(run).length;
    assert.ok(
      afterInt < STEPS && latestCheckpoint(run, () => {})!.endsWith(`step-${String(afterInt).padStart(6, '0')}`),
      'stopped mid-run with a checkpoint at the last step',
    );

    const second = mm1(['pretrain', '--out', run, '--resume', '-q']);
    await logPasses(run, afterInt + 6);
    second.kill('SIGTERM');
    const terminated = await second.done;
    assert.equal(terminated.code, 143, terminated.stderr);
    assert.match(terminated.stderr, /SIGTERM: saving a checkpoint after this step/);
    const afterTerm = readLog(run).length;
    assert.ok(afterTerm < STEPS, `SIGTERM landed mid-run (step ${afterTerm})`);

    // The newest checkpoint is damaged on disk; the resume falls back to the one before.
    const newest = latestCheckpoint(run, () => {})!;
    truncateSync(join(newest, 'model.safetensors'), 100);
    const disagree = await mm1(['pretrain', '--out', run, '--resume', '--seed', '4', '-q']).done;
    assert.equal(disagree.code, 1);
    assert.match(disagree.stderr, /train\.seed: the run has 3, this command gives 4/);

    const third = await mm1(['pretrain', '--out', run, '--resume', '-q']).done;
    assert.equal(third.code, 0, third.stderr);
    assert.match(third.stderr, /cannot be loaded .*trying the previous checkpoint/);
    assert.ok(existsSync(join(run, 'model', 'model.safetensors')));
    assert.deepEqual(
      readLog(run).map((r) => r.loss),
      reference.records.map((r) => r.loss),
      'stopped twice and resumed past a damaged checkpoint: the same losses',
    );
    assert.ok(readdirSync(join(run, 'checkpoints')).length > 0);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
