// Runs several `mm1` command lines in one process (one start-up instead of one each), for
// doc_examples.test.ts: argv lists as JSON in argv[2]; each command's stdout is followed by
// a line `@@end <exit status>`.
import { Command } from 'commander';
import { registerCommands } from '../../src/cli/commands/index.js';

const commands = JSON.parse(process.argv[2]) as string[][];
for (const argv of commands) {
  const program = new Command('mm1').exitOverride();
  registerCommands(program);
  let status = 0;
  try {
    await program.parseAsync(argv, { from: 'user' });
  } catch (err) {
    process.stderr.write(`mm1 ${argv.join(' ')}: ${(err as Error).message}\n`);
    status = 1;
  }
  process.stdout.write(`\n@@end ${status}\n`);
}
