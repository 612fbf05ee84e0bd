// Worker-thread side of worker_backend.ts: loads the model with the given loader module
// and answers generate / countTokens messages. Streamed pieces go back as 'text' messages.
import { parentPort, workerData } from 'node:worker_threads';
import { useDevice } from '../engine/device.js';
import type { Mm1Model } from '../model/infer/api.js';
import type { ToWorker, FromWorker, WorkerConfig } from './worker_protocol.js';

const port = parentPort!;
const post = (msg: FromWorker): void => port.postMessage(msg);
const { dir, loaderModule, device } = workerData as WorkerConfig;
if (device) useDevice(device);

let model: Mm1Model;
try {
  const loader = (await import(loaderModule)) as { loadModel?: (dir: string) => Promise<Mm1Model> };
  if (typeof loader.loadModel !== 'function') throw new Error(`${loaderModule} does not export a loadModel(dir) function`);
  model = await loader.loadModel(dir);
  post({ type: 'ready', info: model.info });
} catch (err) {
  post({ type: 'fatal', message: (err as Error).message });
  process.exit(1);
}

port.on('message', (msg: ToWorker) => {
  if (msg.type === 'release') {
    void model.release().finally(() => process.exit(0));
    return;
  }
  const run = async (): Promise<unknown> => {
    if (msg.type === 'count') return model.countTokens(msg.prompt);
    const onText = msg.stream ? (piece: string) => post({ type: 'text', id: msg.id, piece }) : undefined;
    return model.generate(msg.prompts, { ...msg.opts, onText });
  };
  run().then(
    (value) => post({ type: 'result', id: msg.id, value }),
    (err: unknown) => post({ type: 'error', id: msg.id, message: err instanceof Error ? err.message : String(err) }),
  );
});
