// Does the world data pipeline keep up with training? Per job, the packed-batch stream of the
// synthetic world (render, tokenise, pack, resize, normalise) and the training step it feeds
// are timed interleaved in one process, so machine load hits both alike; the figure is data
// batches/s ÷ steps/s (≥ 1: data keeps up; issue #13's aim is ≥ 5). Each job is measured at
// the picture side it draws at (`render_sizes[0]`, the goal's figure) and at the other side
// (the encoder's, or 128 px), to show what that lever is worth. `mm1 pretrain` and the quick
// start draw at the encoder's side; the ablation studies draw at 128 px and must keep doing so
// (their reports stay reproducible), so their lever is shown only.
// Two ratios per side. data_over_step divides wall times: on a loaded machine a single-threaded
// stream waits for a core far longer than it works (its wall was 2.9–4.6× its CPU time at load
// ~15), so it swings with load. data_over_step_cpu is the goal's figure: the step's CPU time per
// ONNX Runtime thread (the process's CPU over the step) ÷ the data's CPU time per batch (the
// main thread's own, bench/thread_cpu.ts: the stream runs there). Both are work, not waiting, so
// load moves them little; on an idle machine, where the step's threads spin (engine/session.ts)
// and keep their cores busy, step CPU ÷ threads is the step's wall time and the ratio is
// batches/s ÷ steps/s. Under load the threads do not spin and a step does not split perfectly
// over its threads, so step CPU ÷ threads is at most its idle wall time: the figure errs low.
// A batch's data work is what the training loop does on its main thread, through the loop's own
// PackedFeeds: draw it into the arrays of the batch before (BatchStream.recycle), check it, make
// its int64 feeds; until session 17 only the drawing was timed, into new arrays.
// Part of `npm run bench`; alone: node --import tsx bench/pipeline.ts [rounds] [job index ...] (2: the ablation run)
import { tmpdir } from 'node:os';
import { baseConfig } from '../src/ablate/studies/base.js';
import { BatchStream } from '../src/data/batches.js';
import { MM1_MIX } from '../src/data/mixture.js';
import { clipImageSlots } from '../src/data/subimage.js';
import { initParams } from '../src/engine/param_store.js';
import { ortThreads } from '../src/engine/session.js';
import { TrainStep } from '../src/engine/train_step.js';
import { batchFeeds } from '../src/model/build/batch_feeds.js';
import { freezeFilter, type Component } from '../src/model/build/components.js';
import type { ModelConfig } from '../src/model/build/config.js';
import { buildMultimodalTraining } from '../src/model/build/multimodal.js';
import { recipeModel } from '../src/model/build/recipes.js';
import { parsePretrainConfig } from '../src/train/config.js';
import { resolveModelConfig } from '../src/train/model_setup.js';
import { PackedFeeds } from '../src/train/packed_feeds.js';
import { frozenEncoderTrain } from '../src/train/presets.js';
import { SkipLog } from '../src/train/skip_log.js';
import { worldSources, worldTokenizer } from '../src/train/world_data.js';
import { median } from './engine.js';
import { CPU_CLOCK, threadCpuMsOf } from './thread_cpu.js';
import { measured } from './cpu_time.js';

export interface PipelineJob {
  label: string;
  B: number;
  T: number;
  N: number;
  model: (vocabSize: number) => ModelConfig;
  /** Picture sides to draw at; the first is the one the job uses. */
  renderSizes: number[];
  /** Component names kept fixed (the encoder in the quick start and the ablation runs). */
  freeze: Component[];
}

/** The ablation studies' base run at default scale (studies/base.ts), as ablation_runner.ts builds its model. */
function ablationBaseModel(vocabSize: number): ModelConfig {
  const base = baseConfig('default');
  return resolveModelConfig(
    parsePretrainConfig(
      { recipe: 'tiny', model: base.model, data: { mixture: MM1_MIX }, train: { ...frozenEncoderTrain('tiny'), steps: 1, seed: 0 } },
      'ablation base',
    ),
    vocabSize,
  );
}

export const PIPELINE_JOBS: PipelineJob[] = [
  {
    // `mm1 pretrain` draws at the encoder's side by default (data.renderSize "encoder": 48 px)
    label: 'tiny recipe, mm1 pretrain defaults (B 8 × T 128, ≤ 2 images)',
    B: 8,
    T: 128,
    N: 2,
    model: (v) => recipeModel('tiny', v),
    renderSizes: [48, 128],
    freeze: [],
  },
  {
    label: 'quick start (tiny, encoder frozen, B 16 × T 256, ≤ 8 images)',
    B: 16,
    T: 256,
    N: 8,
    model: (v) => recipeModel('tiny', v),
    renderSizes: [48, 128],
    freeze: ['vision'],
  },
  {
    label: 'ablation base run, default scale (64 px, C-Abstractor, encoder frozen, B 16 × T 320, ≤ 8 images)',
    B: 16,
    T: 320,
    N: 8,
    model: ablationBaseModel,
    renderSizes: [128, 64],
    freeze: ['vision'],
  },
];

/** What a job's world stream is made of at `renderSize` (mixture 45/45/10, seed 0, world v2), as pretraining packs it. */
function streamParts(job: PipelineJob, model: ModelConfig, renderSize: number) {
  const data = { mixture: MM1_MIX, seed: 0, renderSize, version: 2 as const };
  const images = clipImageSlots({ resolution: model.vision.imageSize, grid: 0 });
  const packing = { B: job.B, T: job.T, N: job.N, tokensPerCrop: model.connector.tokens, images, seed: 0 };
  return { tokenizer: worldTokenizer(2), sources: worldSources(data as Parameters<typeof worldSources>[0]), packing };
}

/** A job's packed world batches drawn at `renderSize`. */
export function pipelineStream(job: PipelineJob, model: ModelConfig, renderSize: number): BatchStream {
  const { tokenizer, sources, packing } = streamParts(job, model, renderSize);
  return new BatchStream(tokenizer, sources, packing);
}

/** The same batches as the training loop takes them (train/packed_feeds.ts: recycled, checked, made into feeds). */
function trainingFeeds(job: PipelineJob, model: ModelConfig, renderSize: number): PackedFeeds {
  const { tokenizer, sources, packing } = streamParts(job, model, renderSize);
  // world sources never skip a record, so the skip log never writes its file
  return new PackedFeeds(tokenizer, sources, packing, model, new SkipLog(tmpdir(), true));
}

async function msOf(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

export async function benchPipeline(job: PipelineJob, rounds = 12) {
  const model = job.model(worldTokenizer(2).vocabSize);
  const streams = job.renderSizes.map((size) => trainingFeeds(job, model, size));
  const net = buildMultimodalTraining(model, { B: job.B, T: job.T, N: job.N });
  const ts = await TrainStep.create(net.g, net.loss, initParams(net.g, 1), {
    optimizer: { kind: 'adamw', weightDecay: 0.1 },
    trainable: freezeFilter(job.freeze),
    clipNorm: 1,
  });
  // the step's one batch comes from a stream of its own: the timed streams recycle theirs
  const feeds = batchFeeds(await pipelineStream(job, model, job.renderSizes[0]).next(), model);
  for (const s of streams) await s.next();
  // warm-up (JIT, ONNX Runtime arenas): three steps, since after `npm run bench`'s Python GEMM
  // process the first steps ran up to 5× slow on the development VM (gemm_shapes.ts)
  for (let i = 0; i < 3; i++) await ts.run(feeds, 1e-4);
  const step: number[] = [];
  const stepCpu: number[] = [];
  const data: number[][] = streams.map(() => []);
  const dataCpu: number[][] = streams.map(() => []);
  // What the training loop does on its main thread per batch (loop.ts): hand the last batch back
  // once its step has run, draw the next into its arrays, check it, make its feeds.
  const draw = async (i: number) => {
    streams[i].done();
    await streams[i].next();
  };
  for (let r = 0; r < rounds; r++) {
    const { wallMs, cpuMs } = await measured(() => ts.run(feeds, 1e-4));
    stepCpu.push(cpuMs);
    step.push(wallMs);
    for (let i = 0; i < streams.length; i++) {
      let wall = 0;
      dataCpu[i].push(await threadCpuMsOf(async () => (wall = await msOf(() => draw(i)))));
      data[i].push(wall);
    }
  }
  await ts.release();
  const s = median(step);
  const threads = ortThreads();
  const sCpu = median(stepCpu);
  const at = job.renderSizes.map((size, i) => {
    const [d, dCpu] = [median(data[i]), median(dataCpu[i])];
    return {
      render_size: size,
      data_ms_per_batch: +d.toFixed(1),
      data_cpu_ms_per_batch: +dCpu.toFixed(1),
      data_over_step: +(s / d).toFixed(2),
      data_over_step_cpu: +(sCpu / threads / dCpu).toFixed(2),
    };
  });
  const stepTimes = { train_step_ms: +s.toFixed(1), train_step_cpu_ms: +sCpu.toFixed(1), ort_threads: threads, data_cpu_clock: CPU_CLOCK };
  return { config: job.label, image_size: model.vision.imageSize, ...stepTimes, used: at[0], other: at.slice(1), rounds };
}

/** Twelve rounds by default (six until session 17, when two runs' ablation rows read 3.5× and 4.5×). */
export async function benchPipelines(rounds = 12, jobs = PIPELINE_JOBS) {
  const out = [];
  for (const job of jobs) out.push(await benchPipeline(job, rounds));
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [rounds, ...picked] = process.argv.slice(2).map(Number);
  const jobs = picked.length ? picked.map((i) => PIPELINE_JOBS[i] ?? fail(i)) : PIPELINE_JOBS;
  for (const r of await benchPipelines(rounds || 12, jobs)) console.log(JSON.stringify(r));
}

function fail(i: number): never {
  throw new Error(`bench/pipeline.ts: no job ${i}; the jobs are 0..${PIPELINE_JOBS.length - 1}: ${PIPELINE_JOBS.map((j) => j.label).join('; ')}`);
}
