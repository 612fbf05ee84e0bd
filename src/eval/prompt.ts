// Few-shot prompts as interleaved image–text segments: each example is [image?, text], the
// shots first and the query last, e.g. for captioning with k = 2
//   [img1, "caption: c1.", img2, "caption: c2.", imgQ, "caption:"]
// Text-only tasks join their texts with the template's separator into one text segment.
import type { Segment } from '../data/document.js';
import type { Prompt } from '../model/infer/api.js';
import type { ImageCache } from './images.js';
import type { ImageInput } from './items.js';

export type PromptPart = { kind: 'text'; text: string } | { kind: 'image'; image: ImageInput };

/** One example: its image (if any) then its text. */
export function exampleParts(text: string, image?: ImageInput): PromptPart[] {
  return image
    ? [
        { kind: 'image', image },
        { kind: 'text', text },
      ]
    : [{ kind: 'text', text }];
}

/** Examples in order; texts that meet are joined by `separator` (text-only tasks). */
export function joinExamples(examples: PromptPart[][], separator: string): PromptPart[] {
  const out: PromptPart[] = [];
  for (const part of examples.flat()) {
    const last = out[out.length - 1];
    if (part.kind === 'text' && last?.kind === 'text') out[out.length - 1] = { kind: 'text', text: last.text + separator + part.text };
    else out.push(part);
  }
  return out;
}

export async function toPrompt(parts: readonly PromptPart[], images: ImageCache): Promise<Prompt> {
  const segments: Segment[] = await Promise.all(
    parts.map(async (p): Promise<Segment> => (p.kind === 'text' ? p : { kind: 'image', image: await images.get(p.image) })),
  );
  return { segments };
}

/** The prompt as one line for logs: images as <image>, texts as they are. */
export function summarizePrompt(parts: readonly PromptPart[]): string {
  return parts.map((p) => (p.kind === 'text' ? p.text : '<image>')).join(' ');
}
