// Errors the HTTP API reports, in OpenAI's shape so that every OpenAI client surfaces
// the message: { error: { message, type, param, code } }.

export type ErrorType = 'invalid_request_error' | 'authentication_error' | 'permission_error' | 'not_found_error' | 'rate_limit_error' | 'server_error';

export interface OpenAiErrorBody {
  error: { message: string; type: ErrorType; param: string | null; code: string | null };
}

/** A request the server refuses; `status` is the HTTP status (4xx, or 5xx for our own faults). */
export class ApiError extends Error {
  constructor(
    readonly status: 400 | 401 | 403 | 404 | 413 | 429 | 500 | 503,
    message: string,
    readonly param: string | null = null,
    readonly code: string | null = null,
    readonly type: ErrorType = 'invalid_request_error',
  ) {
    super(message);
  }

  body(): OpenAiErrorBody {
    return { error: { message: this.message, type: this.type, param: this.param, code: this.code } };
  }
}

/** `messages[0].content[1].image_url` from a path such as ['messages', 0, 'content', 1, 'image_url']. */
export function paramPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out ? `.${String(key)}` : String(key);
  return out;
}
