// `mm1 serve`: an OpenAI-compatible HTTP API (chat completions with images, streamed or
// not), a health probe and a small chat page, on Hono + @hono/node-server.
import type { AddressInfo } from 'node:net';
import { serve, type HttpBindings } from '@hono/node-server';
import { Hono } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import type { Mm1Model } from '../model/infer/api.js';
import { inThreadBackend, type ModelBackend } from './backend.js';
import { prepareCompletion, type CompletionPolicy } from './completion_request.js';
import { ApiError } from './errors.js';
import { chatCompletion, newCompletionMeta } from './openai_response.js';
import { CHAT_PAGE_HTML } from './page.js';
import { originGuard } from './origin_guard.js';
import { bindError } from './port_check.js';
import { seedHeader } from './seed_header.js';
import { GenerationQueue, JobAbortedError, QueueFullError } from './queue.js';
import { streamCompletion } from './sse_response.js';

export interface ServerOptions {
  /** The model, run on the HTTP thread (fine for models that do not block, e.g. in tests)… */
  model?: Mm1Model;
  /** …or a backend, e.g. startWorkerBackend(dir) (what `mm1 serve` uses). */
  backend?: ModelBackend;
  /** Default 127.0.0.1: only this machine can connect unless you say otherwise. */
  host?: string;
  /** Default 8080; 0 picks a free port. */
  port?: number;
  /** When set, /v1/* requires `Authorization: Bearer <apiKey>`. */
  apiKey?: string;
  /** Browser origins allowed to call the API (CORS), e.g. ['http://localhost:5173'] or ['*']; default none. */
  corsOrigins?: string[];
  /** Images per request; default: what the model was trained with (info.trainedImages); ceiling: model.info.maxImages. */
  maxImages?: number;
  /** Bytes per image file; default 10 MiB. */
  maxImageBytes?: number;
  /** Pixels per image (width × height); default 4096². */
  maxImagePixels?: number;
  /** Largest max_tokens; default 512 (and never more than the context length). */
  maxTokens?: number;
  /** Queued non-streaming requests answered by one generate call; default 4. */
  batchSize?: number;
  /** Requests allowed to wait for the model before new ones get 503; default 256. */
  maxWaiting?: number;
  /** One line per request and per server error; default: silent. */
  log?: (line: string) => void;
}

export interface RunningServer {
  url: string;
  port: number;
  queue: GenerationQueue;
  /** The limits in force (images, bytes, tokens), after defaults and ceilings. */
  policy: CompletionPolicy;
  close(): Promise<void>;
}

const MiB = 1024 * 1024;

export interface ServerApp {
  app: Hono<{ Bindings: HttpBindings }>;
  queue: GenerationQueue;
  policy: CompletionPolicy;
  /** Resolves when no HTTP response is in flight (streams included). */
  idle(): Promise<void>;
}

export function createApp(opts: ServerOptions): ServerApp {
  const backend = resolveBackend(opts);
  const info = backend.info;
  const log = opts.log ?? (() => {});
  const policy: CompletionPolicy = {
    modelId: info.name,
    maxImages: Math.min(opts.maxImages ?? info.trainedImages ?? info.maxImages, info.maxImages),
    maxImageBytes: opts.maxImageBytes ?? 10 * MiB,
    maxImagePixels: opts.maxImagePixels ?? 4096 * 4096,
    maxTokens: Math.min(opts.maxTokens ?? 512, info.contextLength),
  };
  const maxWaiting = opts.maxWaiting ?? 256;
  const queue = new GenerationQueue(backend, { batchSize: opts.batchSize ?? 4, maxWaiting });
  // Base64 inflates by 4/3; allow the images plus 1 MiB of text and JSON.
  const maxBodyBytes = Math.ceil((policy.maxImages * policy.maxImageBytes * 4) / 3) + MiB;
  const created = Math.floor(Date.now() / 1000);
  let requests = 0;

  // Responses in flight, counted until their socket write ends (streams outlive handlers).
  let inFlight = 0;
  let waiters: (() => void)[] = [];
  const idle = () => (inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve)));

  const app = new Hono<{ Bindings: HttpBindings }>();
  app.use(async (c, next) => {
    const t0 = performance.now();
    const outgoing = c.env?.outgoing; // absent when app.fetch is called without a Node server
    if (outgoing) {
      inFlight++;
      outgoing.once('close', () => {
        if (--inFlight > 0) return;
        const wake = waiters;
        waiters = [];
        for (const w of wake) w();
      });
    }
    await next();
    log(`${c.req.method} ${c.req.path} ${c.res.status} ${(performance.now() - t0).toFixed(1)}ms`);
  });

  app.use(...originGuard({ bindHost: opts.host ?? '127.0.0.1', corsOrigins: opts.corsOrigins ?? [] }));

  app.get('/', (c) => c.html(CHAT_PAGE_HTML));
  app.get('/health', (c) => {
    const body = {
      status: backend.failure ? 'failed' : 'ok',
      model: info.name,
      waiting: queue.depth,
      busy: queue.busy,
      auth: opts.apiKey !== undefined,
      ...(backend.failure ? { error: backend.failure } : {}),
    };
    return c.json(body, backend.failure ? 503 : 200);
  });

  if (opts.apiKey !== undefined) {
    const refuse = (message: string) => new ApiError(401, message, null, 'invalid_api_key', 'authentication_error').body();
    app.use(
      '/v1/*',
      bearerAuth({
        token: opts.apiKey,
        noAuthenticationHeader: { message: refuse("You didn't provide an API key. Send it as 'Authorization: Bearer YOUR_KEY' (mm1 serve --api-key).") },
        invalidAuthenticationHeader: { message: refuse("Malformed Authorization header; expected 'Authorization: Bearer YOUR_KEY'.") },
        invalidToken: { message: refuse('Incorrect API key provided. Use the key given to mm1 serve --api-key.') },
      }),
    );
  }

  const modelCard = { id: info.name, object: 'model' as const, created, owned_by: 'mm1' };
  app.get('/v1/models', (c) => c.json({ object: 'list', data: [modelCard] }));
  // The id is the model's path as given to mm1 serve (e.g. runs/sft/model): slashes match too, unescaped.
  app.get('/v1/models/:id{.+}', (c) => {
    if (c.req.param('id') !== info.name)
      throw new ApiError(
        404,
        `The model '${c.req.param('id')}' does not exist; this server serves '${info.name}'.`,
        'model',
        'model_not_found',
        'not_found_error',
      );
    return c.json(modelCard);
  });

  app.post(
    '/v1/chat/completions',
    bodyLimit({
      maxSize: maxBodyBytes,
      onError: (c) => {
        const err = new ApiError(
          413,
          `The request body exceeds ${maxBodyBytes} bytes (${policy.maxImages} images of at most ${policy.maxImageBytes} bytes, base64, plus text).`,
          null,
          'request_too_large',
        );
        // The rest of the body is not read: the connection cannot carry another request.
        return c.json(err.body(), 413, { connection: 'close' });
      },
    }),
    async (c) => {
      if (backend.failure)
        throw new ApiError(503, `The model is unavailable: ${backend.failure}. Restart mm1 serve.`, null, 'model_unavailable', 'server_error');
      const text = await c.req.text();
      let body: unknown;
      try {
        body = JSON.parse(text);
      } catch (err) {
        throw new ApiError(
          400,
          `We could not parse the JSON body of your request (${(err as Error).message}). Send a JSON object with Content-Type: application/json.`,
          null,
          'invalid_json',
        );
      }
      const job = await prepareCompletion(body, backend, policy, `req-${++requests}`);
      // Checked here too so that a stream is never started for a request the queue will refuse.
      if (queue.depth >= maxWaiting) {
        throw new ApiError(
          503,
          `The server is overloaded: ${queue.depth} requests are waiting for the model. Retry later.`,
          null,
          'server_overloaded',
          'server_error',
        );
      }
      const meta = newCompletionMeta(info.name);
      if (job.stream) return streamCompletion(queue, job, meta, (err) => log(`generation failed: ${err.stack ?? err.message}`));
      const gen = await queue.submit({ prompt: job.prompt, opts: job.opts, signal: c.req.raw.signal });
      return c.json(chatCompletion(meta, gen), 200, seedHeader(job.opts.seed));
    },
  );

  app.notFound((c) =>
    c.json(
      new ApiError(
        404,
        `No route ${c.req.method} ${c.req.path}. Endpoints: POST /v1/chat/completions, GET /v1/models, GET /health, GET /.`,
        null,
        'not_found',
        'not_found_error',
      ).body(),
      404,
    ),
  );
  app.onError((err, c) => {
    if (err instanceof ApiError) return c.json(err.body(), err.status);
    if (err instanceof HTTPException) return err.getResponse();
    if (err instanceof QueueFullError)
      return c.json(new ApiError(503, `The server is overloaded (${err.message}). Retry later.`, null, 'server_overloaded', 'server_error').body(), 503);
    if (err instanceof JobAbortedError) return c.json(new ApiError(400, 'The request was cancelled.', null, 'cancelled').body(), 400);
    log(`internal error on ${c.req.method} ${c.req.path}: ${err.stack ?? err.message}`);
    return c.json(new ApiError(500, `Internal error: ${err.message}`, null, 'internal_error', 'server_error').body(), 500);
  });
  return { app, queue, policy, idle };
}

/** Start listening; resolves once the port is bound. */
export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const { app, queue, policy, idle } = createApp(opts);
  const host = opts.host ?? '127.0.0.1';
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    try {
      const s = serve({ fetch: app.fetch, hostname: host, port: opts.port ?? 8080 }, () => resolve(s));
      s.once('error', (err: NodeJS.ErrnoException) => reject(bindError(host, opts.port ?? 8080, err)));
    } catch (err) {
      reject(bindError(host, opts.port ?? 8080, err as NodeJS.ErrnoException)); // e.g. a port out of range
    }
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}`,
    port,
    queue,
    policy,
    /** Stop accepting, let every response in flight finish, then drop the remaining keep-alive sockets. */
    close: async () => {
      const closed = new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
      await idle();
      // What is left carries no request (clients' pooled sockets) but would hold close() open.
      if ('closeAllConnections' in server) server.closeAllConnections();
      await closed;
    },
  };
}

function resolveBackend(opts: ServerOptions): ModelBackend {
  if ((opts.model === undefined) === (opts.backend === undefined)) throw new Error('startServer: pass exactly one of `model` or `backend`');
  return opts.backend ?? inThreadBackend(opts.model!);
}
