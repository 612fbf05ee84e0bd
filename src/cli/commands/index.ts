// One line per subcommand; each file exports `register(program)`.
import type { Command } from 'commander';
import { register as registerAblate } from './ablate.js';

export function registerCommands(program: Command): void {
  registerAblate(program);
}
