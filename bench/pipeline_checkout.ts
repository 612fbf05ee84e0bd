// The world data pipeline through the code of two checkouts, side by side in one process: per
// job, batches are drawn by the checkout at OLD_ROOT and by this one in turn (A B A B), each
// batch timed in CPU milliseconds of the main thread, where the stream runs (bench/thread_cpu.ts:
// less swayed by other processes than wall time, and by V8's compiler and GC threads than the
// process's CPU time), and every batch's bytes are compared — a speed-up of the pipeline
// must leave them equal (test/data/batch_pins.test.ts pins them too). Prints per job the median
// CPU ms per batch of each side and new/old, the median of the rounds' paired ratios.
// Each side does what its training loop does per batch: draws it (into the last batch's arrays
// where the checkout recycles them, session 17) and makes its int64 feeds.
// The jobs are pipeline.ts's, plus the ablation base run's CLIP stage (64 pairs at 128 px → 64).
// Alone: node --import tsx bench/pipeline_checkout.ts <old checkout root> [rounds]
//   e.g. git archive d8cd5a5 | tar -x -C /tmp/old && ln -s $PWD/node_modules /tmp/old/
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { MM1_MIX } from '../src/data/mixture.js';
import type { ModelConfig } from '../src/model/build/config.js';
import { importFrom } from './checkout.js';
import { median } from './engine.js';
import { PIPELINE_JOBS, type PipelineJob } from './pipeline.js';
import { CPU_CLOCK, threadCpuMs } from './thread_cpu.js';

type Bytes = ArrayBufferView;
interface Pipeline {
  BatchStream: new (
    tokenizer: unknown,
    sources: unknown,
    config: Record<string, unknown>,
  ) => { next(): Promise<Record<string, unknown>>; recycle?(batch: Record<string, unknown>): void };
  batchFeeds: (batch: Record<string, unknown>, model: ModelConfig) => Record<string, { data: Bytes }>;
  worldSources: (data: Record<string, unknown>) => unknown;
  worldTokenizer: (version: number) => { vocabSize: number };
  clipImageSlots: (config: { resolution: number; grid: number }) => unknown;
  clipBatch: (o: Record<string, unknown>, start: number, B: number, reuse?: Record<string, { data: Bytes }>) => Record<string, { data: Bytes }>;
}

async function pipelineAt(root: string): Promise<Pipeline> {
  return {
    ...(await importFrom<Pick<Pipeline, 'BatchStream'>>(root, 'src/data/batches.ts')),
    ...(await importFrom<Pick<Pipeline, 'worldSources' | 'worldTokenizer'>>(root, 'src/train/world_data.ts')),
    ...(await importFrom<Pick<Pipeline, 'clipImageSlots'>>(root, 'src/data/subimage.ts')),
    ...(await importFrom<Pick<Pipeline, 'clipBatch'>>(root, 'src/train/clip_data.ts')),
    ...(await importFrom<Pick<Pipeline, 'batchFeeds'>>(root, 'src/model/build/batch_feeds.ts')),
  };
}

function digest(arrays: Bytes[]): string {
  const h = createHash('sha256');
  for (const a of arrays) h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  return h.digest('hex');
}

/** A job's next batch through one checkout's code: its bytes' digest. */
type Draw = () => Promise<string>;

function packedDraw(p: Pipeline, job: PipelineJob, model: ModelConfig): Draw {
  const data = { mixture: MM1_MIX, seed: 0, renderSize: job.renderSizes[0], version: 2 };
  const images = p.clipImageSlots({ resolution: model.vision.imageSize, grid: 0 });
  const stream = new p.BatchStream(p.worldTokenizer(2), p.worldSources(data), {
    B: job.B,
    T: job.T,
    N: job.N,
    tokensPerCrop: model.connector.tokens,
    images,
    seed: 0,
  });
  const keys = ['tokens', 'targets', 'segments', 'positions', 'imageTokenIndex', 'imageCount', 'images'];
  let last: Record<string, unknown> | undefined;
  // As the training loop does on its main thread: the last batch handed back (where the checkout
  // can take it back), the next drawn, its int64 feeds made.
  return async () => {
    if (last) stream.recycle?.(last);
    const b = await stream.next();
    const feeds = p.batchFeeds(b, model);
    last = b;
    return digest([
      ...keys.map((k) => b[k] as Bytes),
      ...Object.keys(feeds)
        .sort()
        .map((k) => feeds[k].data),
    ]);
  };
}

function clipDraw(p: Pipeline, imageSize: number): Draw {
  const o = { tokenizer: p.worldTokenizer(2), imageSize, renderSize: 128, seed: 0, textShare: 0, version: 2 };
  let step = 0;
  let spent: Record<string, { data: Bytes }> | undefined;
  return () => {
    const feeds = p.clipBatch(o, 64 * step++, 64, spent); // a checkout without `reuse` ignores it
    spent = feeds;
    return Promise.resolve(digest(Object.values(feeds).map((t) => t.data)));
  };
}

async function compare(label: string, oldDraw: Draw, newDraw: Draw, rounds: number) {
  const [before, after] = [[] as number[], [] as number[]];
  let same = true;
  await oldDraw(); // warm-up: JIT, taps caches
  await newDraw();
  for (let r = 0; r < rounds; r++) {
    let t = threadCpuMs();
    const a = await oldDraw();
    before.push(threadCpuMs() - t);
    t = threadCpuMs();
    const b = await newDraw();
    after.push(threadCpuMs() - t);
    same &&= a === b;
  }
  const [o, n] = [median(before), median(after)];
  // Both sides draw the same batch in a round, so a round's ratio cancels what its batch holds
  // (one batch costs twice another); the median of the rounds' ratios is the figure.
  const paired = median(after.map((a, i) => a / before[i]));
  const cpu = { old_cpu_ms_per_batch: +o.toFixed(1), new_cpu_ms_per_batch: +n.toFixed(1), new_over_old: +paired.toFixed(2), cpu_clock: CPU_CLOCK };
  return { job: label, ...cpu, same_bytes: same, rounds };
}

export async function benchPipelineCheckout(oldRoot: string, rounds = 8) {
  const here = fileURLToPath(new URL('..', import.meta.url));
  const [oldP, newP] = [await pipelineAt(oldRoot), await pipelineAt(here)];
  const out = [];
  for (const job of PIPELINE_JOBS) {
    const model = job.model(newP.worldTokenizer(2).vocabSize);
    out.push(await compare(`${job.label}, ${job.renderSizes[0]} px`, packedDraw(oldP, job, model), packedDraw(newP, job, model), rounds));
  }
  out.push(await compare('ablation base run, CLIP stage (64 pairs, 128 px → 64)', clipDraw(oldP, 64), clipDraw(newP, 64), rounds));
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [root, rounds] = process.argv.slice(2);
  if (!root) throw new Error('usage: node --import tsx bench/pipeline_checkout.ts <old checkout root> [rounds]');
  for (const r of await benchPipelineCheckout(root, Number(rounds ?? 8))) console.log(JSON.stringify(r));
}
