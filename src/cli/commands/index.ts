// One line per subcommand; each file exports `register(program)`.
import type { Command } from 'commander';

export function registerCommands(program: Command): void {
  void program;
}
