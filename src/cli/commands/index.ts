// One line per subcommand; each file exports `register(program)`.
import type { Command } from 'commander';
import { register as registerChat } from './chat.js';
import { register as registerData } from './data.js';
import { register as registerGenerate } from './generate.js';
import { register as registerScore } from './score.js';
import { register as registerServe } from './serve.js';

export function registerCommands(program: Command): void {
  registerData(program);
  registerScore(program);
  registerGenerate(program);
  registerChat(program);
  registerServe(program);
}
