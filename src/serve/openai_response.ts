// Response objects of the OpenAI chat-completions protocol (non-streaming and SSE chunks).
import { randomUUID } from 'node:crypto';
import type { Generation } from '../model/infer/api.js';

export interface CompletionMeta {
  id: string;
  /** Unix seconds. */
  created: number;
  model: string;
}

export function newCompletionMeta(model: string): CompletionMeta {
  return { id: `chatcmpl-${randomUUID()}`, created: Math.floor(Date.now() / 1000), model };
}

export function usageOf(gen: Generation) {
  return { prompt_tokens: gen.promptTokens, completion_tokens: gen.completionTokens, total_tokens: gen.promptTokens + gen.completionTokens };
}

export function chatCompletion(meta: CompletionMeta, gen: Generation) {
  return {
    id: meta.id,
    object: 'chat.completion' as const,
    created: meta.created,
    model: meta.model,
    choices: [{ index: 0, message: { role: 'assistant' as const, content: gen.text, refusal: null }, logprobs: null, finish_reason: gen.finishReason }],
    usage: usageOf(gen),
  };
}

/** One streamed chunk. With stream_options.include_usage every chunk carries usage: null but the last. */
export function chatCompletionChunk(
  meta: CompletionMeta,
  delta: { role?: 'assistant'; content?: string },
  finishReason: Generation['finishReason'] | null,
  includeUsage: boolean,
) {
  return {
    id: meta.id,
    object: 'chat.completion.chunk' as const,
    created: meta.created,
    model: meta.model,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    ...(includeUsage ? { usage: null } : {}),
  };
}

/** The extra final chunk sent with stream_options.include_usage: no choices, the usage. */
export function usageChunk(meta: CompletionMeta, gen: Generation) {
  return { id: meta.id, object: 'chat.completion.chunk' as const, created: meta.created, model: meta.model, choices: [], usage: usageOf(gen) };
}
