// Batches drawn in a worker thread while the ONNX step runs. onnxruntime-node's session.run
// is a synchronous native call on the main thread (its backend only defers it with
// setImmediate), so batch t+1 can be drawn beside step t only in another thread. The worker
// (prefetch_worker.ts) rebuilds the very stream the run would draw from a plain description —
// world data only: its sources are pure functions of (seed, kind, index), where file sources
// hold open files and skip records — and hands back checked, ready feeds with the data cursor
// after each batch. So the loop sees the same batches in the same order, and checkpoints and
// resume the same cursors, as without it (test/train/prefetch.test.ts: identical losses).
import type { Worker } from 'node:worker_threads';
import { BatchStream, type BatchStreamConfig, type DataCursor } from '../data/batches.js';
import { clipImageSlots, type ImagePreprocessConfig } from '../data/subimage.js';
import { extensionOf, spawnWorker } from '../engine/worker_thread.js';
import type { HostTensor } from '../engine/host_tensor.js';
import type { ModelConfig } from '../model/build/config.js';
import type { DataConfig } from './config.js';
import type { FeedStream, NextBatch } from './loop.js';
import { worldSources, worldTokenizer } from './world_data.js';

/** Everything the worker needs to draw a run's world batches: plain JSON, no functions. */
export interface WorldFeedSpec {
  /** The run's data config; source 'world'. */
  data: DataConfig;
  /** The run's packing (runTraining's trainingPacking) without its image writer, which the worker rebuilds from `preprocess`. */
  packing: Omit<BatchStreamConfig, 'images' | 'skipLimit'>;
  preprocess: ImagePreprocessConfig;
  model: ModelConfig;
}

export interface PrefetchWorkerData {
  spec: WorldFeedSpec;
  /** Where to start (a checkpoint's cursor); null: the beginning. */
  cursor: DataCursor | null;
}

export type FromPrefetchWorker = { type: 'batch'; batch: NextBatch; cursor: DataCursor } | { type: 'error'; message: string; stack?: string };

/**
 * Whether runs draw world batches in a worker (MM1_PREFETCH=1 or 0; default off: see
 * docs/performance.md, "Data pipeline against the step", for where it was measured).
 */
export function prefetchFromEnv(env: NodeJS.ProcessEnv = process.env): boolean {
  const v = env.MM1_PREFETCH;
  if (v === undefined || v === '') return false;
  if (v === '1' || v === '0') return v === '1';
  throw new Error(`MM1_PREFETCH must be 1 (draw batches in a worker thread) or 0 (on the main thread), got '${v}'`);
}

/** Every distinct buffer under the feeds, to move them to the main thread instead of copying. */
export function feedBuffers(feeds: Record<string, HostTensor>): ArrayBuffer[] {
  const seen = new Set<ArrayBuffer>();
  for (const t of Object.values(feeds)) if (t.data.buffer instanceof ArrayBuffer) seen.add(t.data.buffer);
  return [...seen];
}

export class PrefetchFeeds implements FeedStream {
  private worker: Worker | undefined;
  /** The batch the worker is drawing: the one the next next() returns. */
  private ahead: Promise<{ batch: NextBatch; cursor: DataCursor }> | undefined;
  private settle: { resolve: (m: { batch: NextBatch; cursor: DataCursor }) => void; reject: (e: Error) => void } | undefined;
  /** The cursor after the last batch returned (or the restored one); undefined: the beginning. */
  private at: DataCursor | undefined;

  constructor(private readonly spec: WorldFeedSpec) {
    if (spec.data.source !== 'world')
      throw new Error(`prefetch: data.source '${spec.data.source}' cannot be drawn in a worker; only world data can (unset MM1_PREFETCH)`);
  }

  private start(): void {
    const entry = new URL(`./prefetch_worker${extensionOf(import.meta.url)}`, import.meta.url);
    const worker = spawnWorker(entry, { spec: this.spec, cursor: this.at ?? null } satisfies PrefetchWorkerData);
    worker.unref(); // never what keeps a finished run's process alive
    worker.on('message', (m: FromPrefetchWorker) => {
      const s = this.settle;
      this.settle = undefined;
      if (m.type === 'batch') s?.resolve(m);
      else s?.reject(Object.assign(new Error(`prefetch worker: ${m.message}`), { stack: m.stack }));
    });
    worker.on('error', (e) => this.fail(worker, e));
    worker.on('exit', (code) => this.fail(worker, new Error(`prefetch worker exited (code ${code}) before handing over a batch`)));
    this.worker = worker;
  }

  private fail(worker: Worker, e: Error): void {
    if (worker !== this.worker) return; // a worker stopped on purpose (restore, close)
    this.settle?.reject(e);
    this.settle = undefined;
  }

  private request(): void {
    this.ahead = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
    this.ahead.catch(() => {}); // rejections reach the caller through next(); none is left unhandled meanwhile
    this.worker!.postMessage('next');
  }

  async next(): Promise<NextBatch> {
    if (!this.worker) {
      this.start();
      this.request();
    }
    const { batch, cursor } = await this.ahead!;
    this.at = cursor;
    this.request(); // batch t+1 is drawn while step t runs
    return batch;
  }

  cursor(): unknown {
    if (this.at) return this.at;
    const { data, packing, preprocess } = this.spec;
    return new BatchStream(worldTokenizer(data.version), worldSources(data), { ...packing, images: clipImageSlots(preprocess) }).cursor();
  }

  restore(cursor: unknown): void {
    this.stop();
    this.at = cursor as DataCursor;
  }

  private stop(): void {
    const worker = this.worker;
    this.worker = undefined;
    this.ahead = undefined;
    this.settle = undefined;
    if (worker) void worker.terminate();
  }

  close(): void {
    this.stop();
  }
}
