// `mm1 generate`: one prompt from the command line, streamed as it decodes.
import { readImageFile } from '../data/image.js';
import type { GenerateOptions, Generation, Mm1Model, Prompt } from '../model/infer/api.js';
import { interleaveImages, promptFrom } from './prompt_text.js';

export interface CliPrompt {
  text: string;
  imagePaths: string[];
  /** Wrap as one user turn of the chat template (for fine-tuned chat models). */
  chat: boolean;
}

/** Read the images and lay out the prompt; fails before any model is loaded. */
export async function buildCliPrompt(p: CliPrompt): Promise<Prompt> {
  const images = await Promise.all(p.imagePaths.map((path) => readImageFile(path)));
  return promptFrom(interleaveImages(p.text, images), p.chat);
}

/** Generate once; `write` gets the text as it decodes (stop strings never shown). */
export async function generateOnce(
  model: Mm1Model,
  prompt: Prompt,
  opts: Omit<GenerateOptions, 'onText'>,
  write?: (text: string) => void,
): Promise<Generation> {
  const images = ('segments' in prompt ? prompt.segments : prompt.conversation.turns.flatMap((t) => t.segments)).filter((s) => s.kind === 'image').length;
  if (images > model.info.maxImages) {
    throw new Error(`The prompt has ${images} images; ${model.info.name} takes at most ${model.info.maxImages}.`);
  }
  const needed = model.countTokens(prompt) + opts.maxNewTokens;
  if (needed > model.info.contextLength) {
    throw new Error(
      `The prompt plus --max-tokens ${opts.maxNewTokens} is ${needed} tokens; ${model.info.name}'s context is ${model.info.contextLength}. Shorten the prompt or lower --max-tokens.`,
    );
  }
  // The model holds back stop strings itself (model/infer/stop_holdback.ts): pieces are final.
  const [gen] = await model.generate([prompt], { ...opts, onText: write });
  return gen;
}
