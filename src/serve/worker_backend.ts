// A ModelBackend whose model runs in a worker thread. ONNX Runtime's session.run is a
// synchronous native call (onnxruntime-node only defers it with setImmediate), so on the
// HTTP thread every forward pass would stall /health, uploads and other clients' streams.
import { Worker } from 'node:worker_threads';
import type { GenerateOptions, Generation, ModelInfo, Prompt } from '../model/api.js';
import type { ModelBackend } from './backend.js';
import type { FromWorker, ToWorker, WorkerConfig } from './worker_protocol.js';

interface Pending {
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
  onText?: (piece: string) => void;
}

/** The loader used by `mm1 serve`: the library's own loadModel. */
export const DEFAULT_LOADER = new URL(`../model/load${extensionOf(import.meta.url)}`, import.meta.url).href;

/** Start the worker, load the model in it, and resolve once it is ready. */
export async function startWorkerBackend(dir: string, loaderModule = DEFAULT_LOADER): Promise<ModelBackend> {
  // Under tsx the sources are .ts; compiled, they are .js. The worker file has the same extension as this one.
  const entry = new URL(`./model_worker${extensionOf(import.meta.url)}`, import.meta.url);
  const worker = new Worker(entry, { workerData: { dir, loaderModule } satisfies WorkerConfig });
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let failure: string | null = null;

  const info = await new Promise<ModelInfo>((resolve, reject) => {
    const onMessage = (msg: FromWorker) => {
      if (msg.type === 'ready') resolve(msg.info);
      else if (msg.type === 'fatal') reject(new Error(`Cannot load the model from ${dir}: ${msg.message}`));
    };
    worker.on('message', onMessage);
    worker.once('error', (err) => reject(new Error(`The model worker failed while loading ${dir}: ${err.message}`)));
    worker.once('exit', (code) => reject(new Error(`The model worker exited (code ${code}) while loading ${dir}`)));
  });

  const fail = (why: string) => {
    failure ??= why;
    for (const p of pending.values()) p.reject(new Error(failure));
    pending.clear();
  };
  worker.removeAllListeners();
  worker.on('message', (msg: FromWorker) => {
    if (msg.type === 'text') pending.get(msg.id)?.onText?.(msg.piece);
    else if (msg.type === 'result' || msg.type === 'error') {
      const p = pending.get(msg.id);
      pending.delete(msg.id);
      if (msg.type === 'result') p?.resolve(msg.value);
      else p?.reject(new Error(msg.message));
    }
  });
  worker.on('error', (err) => fail(`the model worker crashed: ${err.message}`));
  worker.on('exit', (code) => fail(`the model worker exited (code ${code})`));

  const call = <T>(msg: ToWorker & { id: number }, onText?: (piece: string) => void): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (failure) return reject(new Error(failure));
      pending.set(msg.id, { resolve: resolve as (v: unknown) => void, reject, onText });
      worker.postMessage(msg);
    });

  return {
    info,
    get failure() {
      return failure;
    },
    countTokens: (prompt: Prompt) => call<number>({ type: 'count', id: nextId++, prompt }),
    generate: (prompts: Prompt[], opts: GenerateOptions) => {
      const { onText, ...rest } = opts;
      return call<Generation[]>({ type: 'generate', id: nextId++, prompts, opts: rest, stream: onText !== undefined }, onText);
    },
    release: async () => {
      if (failure) return;
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage({ type: 'release' } satisfies ToWorker);
      await exited;
    },
  };
}

function extensionOf(url: string): string {
  return url.endsWith('.ts') ? '.ts' : '.js';
}
