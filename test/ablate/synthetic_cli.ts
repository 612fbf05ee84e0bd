// `mm1 ablate` with the synthetic runner instead of training, as a program a scheduler can start:
// the sweep tests run it through GNU parallel, the workers tests as `--workers N`'s children.
// MM1_TEST_RUN_MS makes each run take that long, so two workers given the same run overlap;
// MM1_TEST_FAIL_KEY makes the run with that cache key fail. Each run logs the MM1_ORT_THREADS it got.
import { Command } from 'commander';
import { basename } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { register } from '../../src/cli/commands/ablate.js';
import type { Runner } from '../../src/ablate/runner.js';
import { syntheticRunner } from './synthetic_runner.js';

const synthetic = syntheticRunner();
const delayMs = Number(process.env.MM1_TEST_RUN_MS ?? 0);
const runner: Runner = async (config, runDir, signal) => {
  signal.log(`MM1_ORT_THREADS=${process.env.MM1_ORT_THREADS ?? '(unset)'}`);
  await sleep(delayMs);
  if (basename(runDir) === process.env.MM1_TEST_FAIL_KEY) throw new Error(`simulated failure of run ${basename(runDir)}`);
  return synthetic(config, runDir, signal);
};
const program = new Command().name('mm1');
register(program, runner);
program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`mm1: ${err instanceof Error ? err.message : String(err)}\n`);
  // As src/cli/main.ts: a job stopped by SIGINT/SIGTERM exits 128 + the signal.
  process.exitCode = (err as { exitCode?: number } | null)?.exitCode ?? 1;
});
