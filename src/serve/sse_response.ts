// A streamed completion as server-sent events. The model's onText callback enqueues into
// the ReadableStream synchronously and never waits for the socket: a slow reader makes the
// stream's internal queue grow (bounded by max_tokens pieces) instead of holding the model,
// so the next request in the queue starts as soon as this generation ends.
import type { Generation } from '../model/infer/api.js';
import type { PreparedCompletion } from './completion_request.js';
import { chatCompletionChunk, usageChunk, type CompletionMeta } from './openai_response.js';
import { JobAbortedError, type GenerationQueue } from './queue.js';
import { seedHeader } from './seed_header.js';

export const SSE_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  // Tells nginx-style proxies not to buffer the stream.
  'x-accel-buffering': 'no',
};

export function streamCompletion(queue: GenerationQueue, job: PreparedCompletion, meta: CompletionMeta, onError: (err: Error) => void): Response {
  const encoder = new TextEncoder();
  const cancelled = new AbortController();
  let open = true;

  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (data: unknown) => {
        if (open) controller.enqueue(encoder.encode(`data: ${typeof data === 'string' ? data : JSON.stringify(data)}\n\n`));
      };
      const end = () => {
        send('[DONE]');
        if (open) controller.close();
        open = false;
      };
      const chunk = (delta: { role?: 'assistant'; content?: string }, finish: Generation['finishReason'] | null) =>
        chatCompletionChunk(meta, delta, finish, job.includeUsage);

      send(chunk({ role: 'assistant', content: '' }, null));
      queue
        .submit({
          prompt: job.prompt,
          opts: job.opts,
          signal: cancelled.signal,
          // Pieces come with stop strings already held back by the model (model/infer/stop_holdback.ts).
          onText: (piece) => {
            if (piece) send(chunk({ content: piece }, null));
          },
        })
        .then((gen) => {
          send(chunk({}, gen.finishReason));
          if (job.includeUsage) send(usageChunk(meta, gen));
          end();
        })
        .catch((err: Error) => {
          if (!(err instanceof JobAbortedError)) {
            onError(err);
            // Headers are gone already; an error event is how OpenAI's streams report late failures.
            send({ error: { message: `Generation failed: ${err.message}`, type: 'server_error', param: null, code: null } });
          }
          end();
        });
    },
    cancel() {
      // The client went away: drop the job if it has not started; a running one finishes.
      open = false;
      cancelled.abort();
    },
  });
  return new Response(body, { headers: { ...SSE_HEADERS, ...seedHeader(job.opts.seed) } });
}
