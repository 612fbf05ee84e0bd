// `mm1 generate`: one completion from a trained model, streamed to stdout.
import { readFileSync } from 'node:fs';
import { Option, type Command } from 'commander';
import { loadModel } from '../../model/infer/load.js';
import { buildCliPrompt, generateOnce } from '../../serve/generate_once.js';
import { IMAGE_MARKER } from '../../serve/prompt_text.js';
import { withSeed } from '../../model/infer/sampling.js';
import { addSamplingOptions, samplingOptions, type SamplingFlags } from '../flags.js';
import { withDevice } from '../device_flag.js';

interface GenerateFlags extends SamplingFlags {
  model: string;
  image: string[];
  prompt?: string;
  promptFile?: string;
  chat: boolean;
  stop: string[];
  json: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function register(program: Command): void {
  const cmd = withDevice(program.command('generate'))
    .description(
      'Generate text from a prompt with images. Each ' +
        IMAGE_MARKER +
        ' marker in the prompt takes the next --image, ' +
        'in order; without markers all images come before the text. The text streams to stdout as it decodes.',
    )
    .requiredOption('--model <dir>', 'trained model directory: the model/ folder of a run, e.g. runs/tiny/model')
    .addOption(new Option('--image <file>', 'PNG/JPEG/WebP image; repeat for several (in marker order)').argParser(collect).default([], 'none'))
    .option('--prompt <text>', `prompt text, with ${IMAGE_MARKER} markers where images go`)
    .option('--prompt-file <file>', 'read the prompt text from a file (for long few-shot prompts)')
    .option('--chat', "wrap the prompt as one user turn of the model's chat template (fine-tuned chat models)", false)
    .addOption(new Option('--stop <text>', 'stop generating at this text (it is not printed); repeatable').argParser(collect).default([], 'none'));
  addSamplingOptions(cmd, 64)
    .option('--json', 'print {text, finishReason, promptTokens, completionTokens, seed} as JSON instead of streaming', false)
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  mm1 generate --model runs/tiny/model --image cat.png --prompt "A photo of"',
        '  mm1 generate --model runs/tiny/model --chat --image a.png --image b.png --prompt "What differs between <image> and <image>?"',
        '  # few-shot captioning: two examples, then the query image',
        '  mm1 generate --model runs/tiny/model --image ex1.png --image ex2.png --image query.png \\',
        `    --prompt $'${IMAGE_MARKER}A red circle.\\n${IMAGE_MARKER}A blue square.\\n${IMAGE_MARKER}' --stop $'\\n'`,
      ].join('\n'),
    )
    .action(async (flags: GenerateFlags) => {
      if ((flags.prompt === undefined) === (flags.promptFile === undefined)) throw new Error('Give the prompt with exactly one of --prompt or --prompt-file.');
      const text = flags.prompt ?? readFileSync(flags.promptFile!, 'utf8');
      const prompt = await buildCliPrompt({ text, imagePaths: flags.image, chat: flags.chat });
      const model = await loadModel(flags.model);
      try {
        // --temperature > 0 without --seed draws a fresh seed, reported below so the text can be replayed.
        const opts = withSeed({ ...samplingOptions(flags), ...(flags.stop.length > 0 ? { stop: flags.stop } : {}) });
        const t0 = performance.now();
        const gen = await generateOnce(model, prompt, opts, flags.json ? undefined : (s) => process.stdout.write(s));
        const seconds = (performance.now() - t0) / 1000;
        const seed = opts.seed !== undefined ? { seed: opts.seed } : {};
        if (flags.json) process.stdout.write(`${JSON.stringify({ ...gen, ...seed })}\n`);
        else {
          process.stdout.write('\n');
          process.stderr.write(
            `[${gen.finishReason}: ${gen.promptTokens} prompt + ${gen.completionTokens} completion tokens, ${(gen.completionTokens / seconds).toFixed(1)} tokens/s` +
              `${opts.seed !== undefined ? `; --seed ${opts.seed} repeats this text` : ''}]\n`,
          );
        }
      } finally {
        await model.release();
      }
    });
}
