#!/usr/bin/env node
// The `mm1` command. Thin by design: each subcommand lives in its own file under
// cli/commands/, parses its flags, validates them and calls a job.
import { Command } from 'commander';
import { registerCommands } from './commands/index.js';

const program = new Command();
program
  .name('mm1')
  .description(
    'Build, pretrain, fine-tune, evaluate and serve MM1-style multimodal LLMs.\n' +
      'Models are static graphs built in TypeScript and run by ONNX Runtime.\n\n' +
      'Start here:  mm1 quickstart        (trains a tiny model on the synthetic world, ~5 min)',
  )
  .version('0.1.0')
  .showHelpAfterError('(run with --help for usage)');

registerCommands(program);

program.parseAsync(process.argv).catch((err: unknown) => {
  // Errors from mm1 are written for people: print the message, not a stack.
  const msg = err instanceof Error ? err.message : String(err);
  process.stderr.write(`mm1: ${msg}\n`);
  if (process.env.MM1_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  // A job stopped by SIGINT/SIGTERM (after its checkpoint) exits 128 + the signal, as shells expect.
  process.exitCode = (err as { exitCode?: number } | null)?.exitCode ?? 1;
});
