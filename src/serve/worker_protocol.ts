// Messages between worker_backend.ts (HTTP thread) and model_worker.ts (model thread).
import type { Device } from '../engine/device.js';
import type { GenerateOptions, ModelInfo, Prompt } from '../model/infer/api.js';

export interface WorkerConfig {
  /** Model directory passed to loadModel. */
  dir: string;
  /** URL or specifier of a module exporting `loadModel(dir): Promise<Mm1Model>`. */
  loaderModule: string;
  /** The parent's device (engine/device.ts): a worker thread does not share its module state. */
  device?: Device;
}

export type ToWorker =
  | { type: 'generate'; id: number; prompts: Prompt[]; opts: Omit<GenerateOptions, 'onText'>; stream: boolean }
  | { type: 'count'; id: number; prompt: Prompt }
  | { type: 'release' };

export type FromWorker =
  | { type: 'ready'; info: ModelInfo }
  | { type: 'fatal'; message: string }
  | { type: 'text'; id: number; piece: string }
  | { type: 'result'; id: number; value: unknown }
  | { type: 'error'; id: number; message: string };
