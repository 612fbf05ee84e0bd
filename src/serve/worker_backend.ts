// A ModelBackend whose model runs in a worker thread. ONNX Runtime's session.run is a
// synchronous native call (onnxruntime-node only defers it with setImmediate), so on the
// HTTP thread every forward pass would stall /health, uploads and other clients' streams.
import { currentDevice } from '../engine/device.js';
import { extensionOf, spawnWorker } from '../engine/worker_thread.js';
import type { GenerateOptions, Generation, ModelInfo, Prompt } from '../model/infer/api.js';
import type { ModelBackend } from './backend.js';
import type { FromWorker, ToWorker, WorkerConfig } from './worker_protocol.js';

interface Pending {
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
  onText?: (piece: string) => void;
}

/** The loader used by `mm1 serve`: the library's own loadModel. */
export const DEFAULT_LOADER = new URL(`../model/infer/load${extensionOf(import.meta.url)}`, import.meta.url).href;

/** Start the worker, load the model in it, and resolve once it is ready. */
export async function startWorkerBackend(dir: string, loaderModule = DEFAULT_LOADER): Promise<ModelBackend> {
  const worker = spawnWorker(new URL(`./model_worker${extensionOf(import.meta.url)}`, import.meta.url), {
    dir,
    loaderModule,
    device: currentDevice(),
  } satisfies WorkerConfig);
  const pending = new Map<number, Pending>();
  let nextId = 1;
  let failure: string | null = null;

  const info = await new Promise<ModelInfo>((resolve, reject) => {
    const onMessage = (msg: FromWorker) => {
      if (msg.type === 'ready') settle(() => resolve(msg.info));
      else if (msg.type === 'fatal') settle(() => reject(new Error(`Cannot load the model from ${dir}: ${msg.message}`)));
    };
    const onError = (err: Error) => settle(() => reject(new Error(`The model worker failed while loading ${dir}: ${err.message}`)));
    const onExit = (code: number) => settle(() => reject(new Error(`The model worker exited (code ${code}) while loading ${dir}`)));
    // Only our own listeners are removed: Worker keeps internal ones (they ref its port).
    const settle = (then: () => void) => {
      worker.off('message', onMessage).off('error', onError).off('exit', onExit);
      then();
    };
    worker.on('message', onMessage).on('error', onError).on('exit', onExit);
  });

  const fail = (why: string) => {
    failure ??= why;
    for (const p of pending.values()) p.reject(new Error(failure));
    pending.clear();
  };
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
