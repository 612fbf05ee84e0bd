// From an HTTP body to a validated generation job: schema, model name, images, token budget.
// Everything that can be refused is refused here, before the request is queued or a
// streaming response has started.
import type { GenerateOptions, Prompt } from '../model/infer/api.js';
import { withSeed } from '../model/infer/sampling.js';
import type { ModelBackend } from './backend.js';
import { toConversation, type ConversationLimits } from './conversation.js';
import { ApiError } from './errors.js';
import { parseChatCompletionRequest } from './openai_request.js';

export interface CompletionPolicy extends ConversationLimits {
  /** The model id clients name (GET /v1/models). */
  modelId: string;
  /** Largest max_tokens a request may ask for; also the default when it asks for none. */
  maxTokens: number;
}

export interface PreparedCompletion {
  prompt: Prompt;
  opts: Omit<GenerateOptions, 'onText'>;
  stream: boolean;
  includeUsage: boolean;
  promptTokens: number;
}

/** OpenAI's defaults, so that a client written for OpenAI gets what it expects. */
const DEFAULT_TEMPERATURE = 1;

export async function prepareCompletion(body: unknown, backend: ModelBackend, policy: CompletionPolicy, requestId: string): Promise<PreparedCompletion> {
  const req = parseChatCompletionRequest(body);
  if (req.model !== undefined && req.model !== policy.modelId) {
    throw new ApiError(
      404,
      `The model '${req.model}' does not exist on this server; it serves '${policy.modelId}' (see GET /v1/models).`,
      'model',
      'model_not_found',
      'not_found_error',
    );
  }
  if (req.max_tokens != null && req.max_completion_tokens != null && req.max_tokens !== req.max_completion_tokens) {
    throw new ApiError(
      400,
      `max_tokens (${req.max_tokens}) and max_completion_tokens (${req.max_completion_tokens}) disagree; send one of them.`,
      'max_completion_tokens',
      'invalid_value',
    );
  }
  const asked = req.max_completion_tokens ?? req.max_tokens ?? undefined;
  const askedParam = req.max_completion_tokens != null ? 'max_completion_tokens' : 'max_tokens';
  if (asked !== undefined && asked > policy.maxTokens) {
    throw new ApiError(
      400,
      `${askedParam} is ${asked}; this server generates at most ${policy.maxTokens} tokens per request (mm1 serve --max-tokens).`,
      askedParam,
      'invalid_value',
    );
  }

  const { conversation } = await toConversation(requestId, req.messages, policy);
  const prompt: Prompt = { conversation };
  let promptTokens: number;
  try {
    promptTokens = await backend.countTokens(prompt);
  } catch (err) {
    // The model refuses prompts it cannot lay out (e.g. more image tokens than it was built for).
    throw new ApiError(400, `The model cannot take these messages: ${(err as Error).message}`, 'messages', 'invalid_prompt');
  }
  const context = backend.info.contextLength;
  const completion = asked ?? Math.min(policy.maxTokens, context - promptTokens);
  if (completion < 1 || promptTokens + completion > context) {
    throw new ApiError(
      400,
      `This model's maximum context length is ${context} tokens. However, you requested ${promptTokens + Math.max(completion, 1)} tokens ` +
        `(${promptTokens} in the messages, ${Math.max(completion, 1)} in the completion). Please reduce the length of the messages, the number of images or the completion.`,
      'messages',
      'context_length_exceeded',
    );
  }

  const stop = req.stop == null ? [] : (typeof req.stop === 'string' ? [req.stop] : req.stop).filter((s) => s.length > 0);
  return {
    prompt,
    // Sampling without a seed draws a fresh one here, before the stream starts, so the
    // response can report it (header mm1-seed) and the request can be replayed with it.
    opts: withSeed({
      maxNewTokens: completion,
      temperature: req.temperature ?? DEFAULT_TEMPERATURE,
      ...(req.top_p != null ? { topP: req.top_p } : {}),
      ...(stop.length > 0 ? { stop } : {}),
      ...(req.seed != null ? { seed: req.seed } : {}),
    }),
    stream: req.stream === true,
    includeUsage: req.stream_options?.include_usage === true,
    promptTokens,
  };
}
