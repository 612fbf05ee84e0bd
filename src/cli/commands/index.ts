// One line per subcommand; each file exports `register(program)`.
import type { Command } from 'commander';
import { register as registerData } from './data.js';
import { register as registerScore } from './score.js';

export function registerCommands(program: Command): void {
  registerData(program);
  registerScore(program);
}
