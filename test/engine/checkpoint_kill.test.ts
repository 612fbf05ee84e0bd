// Kills a process that is writing ~100 MB checkpoints at random moments and checks that the
// newest checkpoint found afterwards is whole: every tensor holds the step its state.json names.
// (SIGKILL keeps the page cache, so this tests the rename protocol; fsync covers power loss.)
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { latestCheckpoint, loadCheckpoint } from '../../src/engine/checkpoint.js';
import { Rng } from '../../src/engine/rng.js';

const child = fileURLToPath(new URL('./checkpoint_kill_child.ts', import.meta.url));
const MB = 100;

/** Runs the writer until it has reported a save, then SIGKILLs it after a random delay. */
async function runAndKill(runDir: string, mode: string, rng: Rng): Promise<{ lastSaved: number }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', child, runDir, mode, String(MB)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let lastSaved = 0;
  let buffered = '';
  // 'close', not 'exit': it waits until every line the writer printed has been read.
  const exited = new Promise<void>((resolve) => proc.on('close', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    proc.on('exit', () => reject(new Error('checkpoint writer exited before saving anything')));
    proc.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        const [, step, ms] = line.split(' ').map(Number);
        if (lastSaved === 0) setTimeout(() => proc.kill('SIGKILL'), rng.next() * 3 * ms); // some saves later, mid-cycle
        lastSaved = step;
        resolve();
      }
    });
  });
  await exited;
  return { lastSaved };
}

// One test per mode, each with its own generous timeout: a kill cycle writes ~100 MB three times
// over, and on a loaded 2-core machine both modes in one 120 s test came close to the limit.
for (const [i, mode] of ['new', 'replace'].entries()) {
  test(`a writer killed mid-checkpoint (${mode} checkpoint) leaves the previous checkpoint loadable and consistent`, { timeout: 300_000 }, async (t) => {
    const rng = new Rng(2024 + i);
    const runDir = mkdtempSync(join(tmpdir(), `mm1-kill-${mode}-`));
    let cleanups = 0;
    try {
      for (let trial = 0; trial < 3; trial++) {
        const { lastSaved } = await runAndKill(runDir, mode, rng);
        const warnings: string[] = [];
        const latest = latestCheckpoint(runDir, (w) => warnings.push(w));
        cleanups += warnings.length;
        assert.ok(latest, `${mode} trial ${trial}: no checkpoint found`);
        const ckpt = loadCheckpoint(latest);
        const step = ckpt.state.step;
        // The writer may die after the rename but before reporting it: step is lastSaved or one more.
        assert.ok(step === lastSaved || step === lastSaved + 1, `${mode} trial ${trial}: found step ${step}, writer reported ${lastSaved}`);
        assert.deepEqual(ckpt.state.dataCursor, { next: step * 8 });
        assert.deepEqual(ckpt.state.rng, { data: step });
        assert.equal(ckpt.model.tensors.size, 4);
        let elements = 0;
        for (const [name, tensor] of [...ckpt.model.tensors, ...ckpt.optimizer!.tensors]) {
          const data = tensor.data as Float32Array;
          for (let i = 0; i < data.length; i++) if (data[i] !== step) assert.fail(`${name}[${i}] = ${data[i]}, expected ${step}`);
          elements += data.length;
        }
        assert.ok(elements * 4 >= MB * 1e6 * 0.99);
        assert.deepEqual(
          readdirSync(join(runDir, 'checkpoints')).filter((n) => n.includes('.tmp-') || n.includes('.old-')),
          [],
        );
        t.diagnostic(`${mode} trial ${trial}: killed after reporting step ${lastSaved}; loaded step ${step}; ${warnings.length} leftover(s) cleaned`);
      }
    } finally {
      rmSync(runDir, { recursive: true, force: true });
    }
    t.diagnostic(`${mode}: ${cleanups} leftovers cleaned over 3 kills`);
  });
}
