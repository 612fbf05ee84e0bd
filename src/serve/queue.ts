// One model, many clients: requests wait here and the model runs one generate call at a
// time (ONNX Runtime already uses every core for one call; two at once would only
// contend). Queued non-streaming requests with identical generation options ride along
// with the request at the head of the queue as one batched generate call.
import type { GenerateOptions, Generation, Prompt } from '../model/infer/api.js';
import type { ModelBackend } from './backend.js';

export interface GenerationJob {
  prompt: Prompt;
  opts: Omit<GenerateOptions, 'onText'>;
  /** Streaming jobs run alone: onText carries no prompt index to tell batch rows apart. */
  onText?: (piece: string) => void;
  /** Abort while queued (client went away) to drop the job before it costs model time. */
  signal?: AbortSignal;
}

export class QueueFullError extends Error {}
export class JobAbortedError extends Error {}

interface Entry extends GenerationJob {
  resolve: (g: Generation) => void;
  reject: (err: Error) => void;
  dropOnAbort: () => void;
}

export interface QueueStats {
  /** generate calls made. */
  batches: number;
  /** Requests answered (a batch answers several). */
  requests: number;
  largestBatch: number;
}

export class GenerationQueue {
  private readonly waiting: Entry[] = [];
  private running = false;
  readonly stats: QueueStats = { batches: 0, requests: 0, largestBatch: 0 };

  constructor(
    private readonly backend: Pick<ModelBackend, 'generate'>,
    private readonly limits: { batchSize: number; maxWaiting: number },
  ) {
    if (!(limits.batchSize >= 1)) throw new Error(`GenerationQueue: batchSize must be ≥ 1, got ${limits.batchSize}`);
  }

  /** Requests waiting for the model (not counting the batch being run). */
  get depth(): number {
    return this.waiting.length;
  }

  get busy(): boolean {
    return this.running;
  }

  submit(job: GenerationJob): Promise<Generation> {
    if (job.signal?.aborted) return Promise.reject(new JobAbortedError('the request was cancelled before it ran'));
    if (this.waiting.length >= this.limits.maxWaiting) {
      return Promise.reject(new QueueFullError(`${this.waiting.length} requests are already waiting for the model`));
    }
    return new Promise<Generation>((resolve, reject) => {
      const entry: Entry = {
        ...job,
        resolve,
        reject,
        dropOnAbort: () => {
          const i = this.waiting.indexOf(entry);
          if (i >= 0) this.waiting.splice(i, 1);
          reject(new JobAbortedError('the request was cancelled before it ran'));
        },
      };
      job.signal?.addEventListener('abort', entry.dropOnAbort, { once: true });
      this.waiting.push(entry);
      void this.pump();
    });
  }

  private async pump(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      while (this.waiting.length > 0) {
        const batch = this.takeBatch();
        const head = batch[0];
        try {
          const gens = await this.backend.generate(
            batch.map((e) => e.prompt),
            { ...head.opts, onText: head.onText },
          );
          if (gens.length !== batch.length) throw new Error(`model.generate returned ${gens.length} results for ${batch.length} prompts`);
          batch.forEach((e, i) => e.resolve(gens[i]));
        } catch (err) {
          for (const e of batch) e.reject(err instanceof Error ? err : new Error(String(err)));
        }
        this.stats.batches++;
        this.stats.requests += batch.length;
        this.stats.largestBatch = Math.max(this.stats.largestBatch, batch.length);
      }
    } finally {
      this.running = false;
    }
  }

  /** The head of the queue plus, if it can be batched, later jobs with the same options. */
  private takeBatch(): Entry[] {
    const head = this.waiting.shift()!;
    const batch = [head];
    if (batchable(head)) {
      const key = optionsKey(head.opts);
      for (let i = 0; i < this.waiting.length && batch.length < this.limits.batchSize;) {
        const e = this.waiting[i];
        if (batchable(e) && optionsKey(e.opts) === key) batch.push(...this.waiting.splice(i, 1));
        else i++;
      }
    }
    for (const e of batch) e.signal?.removeEventListener('abort', e.dropOnAbort);
    return batch;
  }
}

/**
 * Streaming jobs need their own onText; a seeded sampled job must give the same text
 * however it is batched, which only a batch of one guarantees (greedy ignores the seed).
 */
function batchable(job: GenerationJob): boolean {
  return job.onText === undefined && (job.opts.seed === undefined || job.opts.temperature === 0);
}

function optionsKey(o: GenerationJob['opts']): string {
  return JSON.stringify([o.maxNewTokens, o.temperature ?? null, o.topP ?? null, o.stop ?? [], o.temperature === 0 ? null : (o.seed ?? null)]);
}
