// One line per subcommand; each file exports `register(program)`.
import type { Command } from 'commander';
import { register as registerAblate } from './ablate.js';
import { register as registerData } from './data.js';
import { register as registerEval } from './eval.js';
import { register as registerScore } from './score.js';

export function registerCommands(program: Command): void {
  registerData(program);
  registerEval(program);
  registerScore(program);
  registerAblate(program);
}
