// The OpenAI chat-completions request as mm1 accepts it, validated with zod at the edge.
// Unknown fields are refused (a typo like `max_token` would otherwise be silently ignored),
// except the common fields OpenAI clients send by default, accepted at their neutral values.
import { z } from 'zod';
import { ApiError, paramPath } from './errors.js';

const textPart = z.strictObject({ type: z.literal('text'), text: z.string() });
const imagePart = z.strictObject({
  type: z.literal('image_url'),
  image_url: z.strictObject({
    url: z.string({ error: 'image_url.url must be a string: a data URL such as data:image/png;base64,...' }),
    /** Accepted for compatibility; mm1 encodes every image at the model's one resolution. */
    detail: z.enum(['auto', 'low', 'high']).optional(),
  }),
});

/** The discriminator's value in a failed discriminated union (zod reports the whole object). */
const field = (input: unknown, key: string): string => JSON.stringify((input as Record<string, unknown> | undefined)?.[key] ?? null);

const partTypes = (allowed: string) =>
  ({ error: (iss: { input?: unknown }) => `content part type ${field(iss.input, 'type')} is not supported here; expected ${allowed}` }) as const;

/** A string content is shorthand for one text part; normalised so later code sees parts only. */
const content = <T extends z.ZodType>(part: T, what: string) =>
  z.preprocess(
    (v) => (typeof v === 'string' ? [{ type: 'text', text: v }] : v),
    z.array(part, { error: `content must be a string or an array of ${what} parts` }),
  );

const userContent = content(z.discriminatedUnion('type', [textPart, imagePart], partTypes("'text' or 'image_url'")), 'text/image_url');
const textContent = content(z.discriminatedUnion('type', [textPart], partTypes("'text' (only user messages may hold images)")), 'text');

const message = z.discriminatedUnion(
  'role',
  [
    z.strictObject({ role: z.literal('system'), content: textContent, name: z.string().optional() }),
    z.strictObject({ role: z.literal('developer'), content: textContent, name: z.string().optional() }),
    z.strictObject({ role: z.literal('user'), content: userContent, name: z.string().optional() }),
    z.strictObject({
      role: z.literal('assistant'),
      content: textContent,
      name: z.string().optional(),
      /** Clients that replay a previous response's message send refusal: null. */
      refusal: z.null().optional(),
    }),
  ],
  { error: (iss) => `role ${field(iss.input, 'role')} is not supported; expected system, developer, user or assistant (mm1 has no tool calling)` },
);

const neutral = <T extends z.core.util.Literal>(value: T, why: string) => z.literal(value, { error: why }).nullish();

export const chatCompletionRequest = z.strictObject({
  /** Optional here (curl convenience); when given it must name the served model. */
  model: z.string().optional(),
  messages: z.array(message).min(1, { error: 'messages must hold at least one message' }),
  max_tokens: z.number().int().min(1).nullish(),
  max_completion_tokens: z.number().int().min(1).nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().gt(0).max(1).nullish(),
  stop: z.union([z.string(), z.array(z.string()).max(4)], { error: 'stop must be a string or an array of at most 4 strings' }).nullish(),
  seed: z.number().int().nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.strictObject({ include_usage: z.boolean().optional() }).nullish(),
  // Fields clients send by default, accepted only at values that change nothing.
  user: z.string().nullish(),
  n: neutral(1, 'only n=1 is supported; send one request per completion'),
  frequency_penalty: neutral(0, 'frequency_penalty is not supported; send 0 or omit it'),
  presence_penalty: neutral(0, 'presence_penalty is not supported; send 0 or omit it'),
  logprobs: neutral(false, 'logprobs are not supported; send false or omit it'),
});

export type ChatCompletionRequest = z.infer<typeof chatCompletionRequest>;
export type ChatMessage = ChatCompletionRequest['messages'][number];

/** Validate a parsed JSON body; the first problem becomes a 400 naming the field. */
export function parseChatCompletionRequest(body: unknown): ChatCompletionRequest {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError(400, 'The request body must be a JSON object with a `messages` array.', null, 'invalid_request_body');
  }
  const r = chatCompletionRequest.safeParse(body);
  if (r.success) return r.data;
  throw issueToError(r.error.issues[0]);
}

function issueToError(issue: z.core.$ZodIssue): ApiError {
  const where = paramPath(issue.path);
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.join(', ');
    const param = paramPath([...issue.path, issue.keys[0]]);
    const message = where
      ? `Unrecognized field(s) in ${where}: ${keys}. Remove them (see the OpenAI chat-completions reference for the allowed fields).`
      : `Unrecognized request argument supplied: ${keys}. mm1 accepts model, messages, max_tokens, max_completion_tokens, temperature, top_p, stop, seed, stream, stream_options, user, n=1, frequency_penalty=0, presence_penalty=0, logprobs=false.`;
    return new ApiError(400, message, param, 'unrecognized_argument');
  }
  if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined')) {
    return new ApiError(400, `Missing required parameter: ${where}.`, where, 'missing_required_parameter');
  }
  return new ApiError(400, `Invalid value for ${where || 'the request'}: ${issue.message}`, where || null, 'invalid_value');
}
