// `mm1 ablate` with the synthetic runner instead of training, as a program a scheduler can start:
// the sweep tests run it through GNU parallel. MM1_TEST_RUN_MS makes each run take that long, so
// two workers given the same run overlap.
import { Command } from 'commander';
import { setTimeout as sleep } from 'node:timers/promises';
import { register } from '../../src/cli/commands/ablate.js';
import type { Runner } from '../../src/ablate/runner.js';
import { syntheticRunner } from './synthetic_runner.js';

const synthetic = syntheticRunner();
const delayMs = Number(process.env.MM1_TEST_RUN_MS ?? 0);
const runner: Runner = async (config, runDir, signal) => {
  await sleep(delayMs);
  return synthetic(config, runDir, signal);
};
const program = new Command().name('mm1');
register(program, runner);
program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`mm1: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
