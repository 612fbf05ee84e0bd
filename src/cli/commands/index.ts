// One line per subcommand; each file exports `register(program)`.
import type { Command } from 'commander';
import { register as registerData } from './data.js';

export function registerCommands(program: Command): void {
  registerData(program);
}
