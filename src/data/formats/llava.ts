// LLaVA instruction data (llava_v1_5_mix665k.json and the like):
//   [{"id": "000000033471", "image": "coco/train2017/000000033471.jpg",
//     "conversations": [{"from": "human", "value": "<image>\nWhat are the colors of the bus?"},
//                       {"from": "gpt", "value": "The bus is white and red."}, ...]}]
// "<image>" marks where the image goes; LLaVA puts it first in the first human turn and
// drops the newline after it, as we do. Records without "image" are text-only. "image" may
// also be a list (multi-image records), with one "<image>" per entry.

import type { Conversation, RgbImage, Segment } from '../document.js';
import { readImageFile } from '../image.js';
import { idField, makeReader, readJsonValue, resolveImagePath, type ReadOptions, type Reader } from './reader.js';

export interface LlavaOptions extends ReadOptions {
  /** Folder the "image" paths are relative to. */
  imageRoot: string;
}

const IMAGE_MARK = '<image>';
const ROLES: Record<string, 'user' | 'assistant'> = { human: 'user', gpt: 'assistant' };

/** Split a turn's text at <image> marks, consuming images in order. */
function segmentsOf(value: string, takeImage: () => RgbImage): Segment[] {
  const parts = value.split(IMAGE_MARK);
  const segments: Segment[] = [];
  parts.forEach((part, i) => {
    if (i > 0) segments.push({ kind: 'image', image: takeImage() });
    // The newline LLaVA writes right after/before the mark is layout, not content.
    let text = i > 0 ? part.replace(/^\n/, '') : part;
    if (i < parts.length - 1) text = text.replace(/\n$/, '');
    if (text.trim() !== '') segments.push({ kind: 'text', text });
  });
  return segments;
}

async function toConversation(rec: Record<string, unknown>, imageRoot: string): Promise<Conversation> {
  const id = idField(rec, 'id');
  const turns = rec.conversations;
  if (!Array.isArray(turns) || turns.length === 0) {
    throw new Error('"conversations" must be a non-empty list of {"from", "value"}.');
  }
  const paths = rec.image === undefined ? [] : Array.isArray(rec.image) ? rec.image : [rec.image];
  if (!paths.every((p) => typeof p === 'string')) throw new Error('"image" must be a path or a list of paths.');
  const values = turns.map((t, i) => {
    const turn = (t ?? {}) as { from?: unknown; value?: unknown };
    if (typeof turn.from !== 'string' || !(turn.from in ROLES)) {
      throw new Error(`conversations[${i}].from must be "human" or "gpt", got ${JSON.stringify(turn.from)}.`);
    }
    if (typeof turn.value !== 'string') throw new Error(`conversations[${i}].value must be a string.`);
    return turn.value;
  });
  const marks = values.reduce((n, v) => n + v.split(IMAGE_MARK).length - 1, 0);
  if (marks === 0 && paths.length > 0) {
    values[0] = IMAGE_MARK.repeat(paths.length) + '\n' + values[0]; // LLaVA's default placement
  } else if (marks !== paths.length) {
    throw new Error(`${marks} "<image>" mark(s) but ${paths.length} image(s). Fix: one "<image>" per entry of "image" (or none to put them first).`);
  }
  const images = await Promise.all(paths.map((p) => readImageFile(resolveImagePath(imageRoot, p))));
  let next = 0;
  const conversation: Conversation = {
    id: `llava:${id}`,
    turns: values.map((value, i) => ({
      role: ROLES[(turns[i] as { from: string }).from],
      segments: segmentsOf(value, () => images[next++]),
    })),
  };
  if (!conversation.turns.some((t) => t.role === 'assistant' && t.segments.length > 0)) {
    throw new Error('no non-empty "gpt" turn, so there is nothing to learn. Fix: remove the record.');
  }
  return conversation;
}

/** Conversations from a LLaVA-format JSON file, in file order. */
export function readLlava(path: string, options: LlavaOptions): Reader<Conversation> {
  return makeReader(path, options, async function* (tryRecord) {
    const json = await readJsonValue(path);
    if (!Array.isArray(json)) throw new Error(`${path}: expected a JSON list of {"id", "image"?, "conversations"} (LLaVA format).`);
    for (let i = 0; i < json.length; i++) {
      const conv = await tryRecord(`[${i}]`, () => toConversation((json[i] ?? {}) as Record<string, unknown>, options.imageRoot));
      if (conv) yield conv;
    }
  });
}
