// Prompts typed on the command line: text with `<image>` markers, plus image files.
// Each marker takes the next image in order; with no marker, all images come first
// (the usual "image, then question" layout). Few-shot prompts are just more markers:
//   "<image>A red circle.\n<image>A blue square.\n<image>"
import type { Conversation, RgbImage, Segment } from '../data/document.js';
import type { Prompt } from '../model/infer/api.js';

export const IMAGE_MARKER = '<image>';

export function interleaveImages(text: string, images: RgbImage[]): Segment[] {
  const pieces = text.split(IMAGE_MARKER);
  const markers = pieces.length - 1;
  if (markers === 0) {
    return [...images.map((image): Segment => ({ kind: 'image', image })), ...(text ? [{ kind: 'text', text } as Segment] : [])];
  }
  if (markers !== images.length) {
    throw new Error(
      `The prompt has ${markers} ${IMAGE_MARKER} marker${markers === 1 ? '' : 's'} but ${images.length} image${images.length === 1 ? ' was' : 's were'} given. ` +
        `Use one marker per --image (in order), or no marker to put all images before the text.`,
    );
  }
  const segments: Segment[] = [];
  pieces.forEach((piece, i) => {
    if (piece) segments.push({ kind: 'text', text: piece });
    if (i < images.length) segments.push({ kind: 'image', image: images[i] });
  });
  return segments;
}

/** Raw segments (pretraining style, for few-shot prompts), or one user turn of a chat. */
export function promptFrom(segments: Segment[], chat: boolean, id = 'cli'): Prompt {
  if (!chat) return { segments };
  const conversation: Conversation = { id, turns: [{ role: 'user', segments }] };
  return { conversation };
}
