// `mm1 chat`: talk to a trained model in the terminal, with images.
import type { Command } from 'commander';
import { loadModel } from '../../model/infer/load.js';
import { CHAT_HELP, runChat } from '../../serve/chat_repl.js';
import { addSamplingOptions, samplingOptions, type SamplingFlags } from '../flags.js';
import { withDevice } from '../device_flag.js';

export function register(program: Command): void {
  const cmd = withDevice(program.command('chat'))
    .description("Interactive chat with a trained model in the terminal (uses the model's chat template). Replies stream as they decode.")
    .requiredOption('--model <dir>', 'trained model directory: the model/ folder of a run, e.g. runs/tiny/model');
  addSamplingOptions(cmd, 256)
    .addHelpText('after', `\n${CHAT_HELP}\n\nExample:\n  mm1 chat --model runs/sft/model\n  you> /image photo.png What colour is the bus?`)
    .action(async (flags: SamplingFlags & { model: string }) => {
      const model = await loadModel(flags.model);
      try {
        await runChat(model, samplingOptions(flags), { input: process.stdin, output: process.stdout });
      } finally {
        await model.release();
      }
    });
}
