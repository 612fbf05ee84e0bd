// One line per subcommand; each file exports `register(program)`.
import type { Command } from 'commander';
import { register as registerAblate } from './ablate.js';
import { register as registerChat } from './chat.js';
import { register as registerData } from './data.js';
import { register as registerEval } from './eval.js';
import { register as registerExport } from './export.js';
import { register as registerGenerate } from './generate.js';
import { register as registerHf } from './hf.js';
import { register as registerQuickstart } from './quickstart.js';
import { register as registerScore } from './score.js';
import { register as registerServe } from './serve.js';
import { register as registerTraining } from './pretrain.js';

export function registerCommands(program: Command): void {
  registerQuickstart(program);
  registerTraining(program);
  registerEval(program);
  registerGenerate(program);
  registerChat(program);
  registerServe(program);
  registerScore(program);
  registerData(program);
  registerAblate(program);
  registerExport(program);
  // After registerExport: `mm1 export hf` joins the `export` command it made.
  registerHf(program);
}
