// The training panel's worker (bundled as train_worker.js): web/tab_training.ts off the page's
// main thread, so graph building and the WASM steps never freeze the page. Messages in:
// {kind: 'start', config, stopAfter?, providers, wasmPaths} and {kind: 'stop'}; out: one
// {kind: 'step'} per step, then {kind: 'done'} with the weights (buffers transferred) or {kind: 'error'}.
import type { DType } from '../../engine/dtype.js';
import type { PretrainConfig } from '../../train/config.js';
import { useExecutionProviders, type ExecutionProvider } from '../browser_session.js';
import { trainInTab } from '../tab_training.js';

export type ToWorker = { kind: 'start'; config: PretrainConfig; stopAfter?: number; providers: ExecutionProvider[]; wasmPaths: string } | { kind: 'stop' };
export interface WireTensor {
  name: string;
  dtype: DType;
  shape: number[];
  data: ArrayBufferView;
}
export type FromWorker =
  | { kind: 'step'; stage: 'clip' | 'pretrain'; step: number; loss: number }
  | { kind: 'done'; clipLosses: number[]; losses: number[]; steps: number; weights: WireTensor[] }
  | { kind: 'error'; message: string };

const post = (m: FromWorker, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(m, transfer);
let stopRequested = false;

self.onmessage = async (e: MessageEvent<ToWorker>) => {
  const m = e.data;
  if (m.kind === 'stop') return void (stopRequested = true);
  useExecutionProviders(m.providers, m.wasmPaths);
  try {
    const r = await trainInTab({
      config: m.config,
      stopAfter: m.stopAfter,
      stopped: () => stopRequested,
      onStep: async (stage, step, loss) => {
        post({ kind: 'step', stage, step, loss });
        await new Promise((ok) => setTimeout(ok, 0)); // a turn of the event loop: a 'stop' message lands here
      },
    });
    const weights = [...r.weights].map(([name, t]): WireTensor => ({ name, dtype: t.dtype, shape: t.shape, data: t.data }));
    post({ kind: 'done', clipLosses: r.clipLosses, losses: r.losses, steps: r.steps, weights }, [...new Set(weights.map((w) => w.data.buffer as ArrayBuffer))]);
  } catch (err) {
    post({ kind: 'error', message: (err as Error).message });
  }
};
