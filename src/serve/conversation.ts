// OpenAI chat messages → the mm1 Conversation the model's chat template renders.
// mm1's template has only user and assistant roles, so system/developer text is put at
// the start of the first user turn (as templates without a system role usually do).
import type { Conversation, Segment } from '../data/document.js';
import { imageFromUrl, type ImageLimits } from './data_url.js';
import { ApiError } from './errors.js';
import type { ChatMessage } from './openai_request.js';

export interface ConversationLimits extends ImageLimits {
  maxImages: number;
}

export async function toConversation(id: string, messages: ChatMessage[], limits: ConversationLimits): Promise<{ conversation: Conversation; images: number }> {
  const last = messages[messages.length - 1];
  if (last.role !== 'user') {
    throw new ApiError(
      400,
      `The last message must come from the user (it is '${last.role}'); mm1 generates the next assistant turn.`,
      `messages[${messages.length - 1}].role`,
      'invalid_value',
    );
  }
  const imageParts = messages.flatMap((m, i) =>
    m.content.flatMap((p, j) => (p.type === 'image_url' ? [{ url: p.image_url.url, param: `messages[${i}].content[${j}].image_url` }] : [])),
  );
  if (imageParts.length > limits.maxImages) {
    throw new ApiError(
      400,
      `The messages hold ${imageParts.length} images; this server accepts at most ${limits.maxImages} per request.`,
      'messages',
      'too_many_images',
    );
  }
  // Decode all images concurrently (sharp works on libuv's thread pool).
  const decoded = await Promise.all(imageParts.map((p) => imageFromUrl(p.url, p.param, limits)));

  const system: string[] = [];
  const turns: Conversation['turns'] = [];
  let next = 0;
  for (const m of messages) {
    const segments: Segment[] = m.content.map((p) => (p.type === 'text' ? { kind: 'text', text: p.text } : { kind: 'image', image: decoded[next++] }));
    if (m.role === 'system' || m.role === 'developer') system.push(...segments.map((s) => (s.kind === 'text' ? s.text : '')));
    else turns.push({ role: m.role, segments });
  }
  if (system.length > 0) {
    const first = turns.find((t) => t.role === 'user')!; // exists: the last message is a user message
    first.segments.unshift({ kind: 'text', text: `${system.join('\n')}\n\n` });
  }
  return { conversation: { id, turns }, images: decoded.length };
}
