// In-process `mm1 <args>` with the synthetic runner, for flag and argument errors (commander and
// the ablate action fail before any run starts), shared by the ablate tests.
import { Command } from 'commander';
import { register } from '../../src/cli/commands/ablate.js';
import { syntheticRunner } from './synthetic_runner.js';

export async function parseOnly(args: string[]): Promise<void> {
  const program = new Command()
    .name('mm1')
    .exitOverride()
    .configureOutput({ writeErr: () => {} });
  register(program, syntheticRunner());
  await program.parseAsync(['node', 'mm1', ...args]);
}
