// The ablation base run's pretraining step through the code of two checkouts, side by side in
// one process: the step built by the checkout at OLD_ROOT (an older commit's tree, e.g. from
// `git archive <commit>`, node_modules linked in) and by this one, from the same seed-1 weights,
// on the same batches, steps alternating A B / B A so machine load hits both alike. Each step is
// timed in CPU milliseconds of the process (every thread: ONNX Runtime's work, not the wait for a
// core). Prints each side's median CPU ms a step, the per-pair new/old ratios (median, quartiles,
// range), and how far the two sides' losses drift apart (the graphs may round differently).
// `job` picks another of bench/pipeline.ts's jobs (0: the tiny recipe as `mm1 pretrain` runs it),
// built by each checkout from its own PIPELINE_JOBS, fed bench/model.ts's synthetic batches.
// MM1_ORT_THREADS=1 nice -n 10 node --import tsx bench/step_checkout.ts <old checkout root> [steps=12] [job=2]
import { importFrom } from './checkout.js';
import { alternateSteps } from './alternate_steps.js';
import { median } from './engine.js';
import * as here from './ablation_step.js';
import { benchBatch } from './model.js';
import * as pipeline from './pipeline.js';
import { Rng } from '../src/engine/rng.js';
import type { initParams } from '../src/engine/param_store.js';
import type { HostTensor } from '../src/engine/host_tensor.js';
import type { TrainStep } from '../src/engine/train_step.js';
import { batchFeeds } from '../src/model/build/batch_feeds.js';
import type { freezeFilter } from '../src/model/build/components.js';
import type { buildMultimodalTraining } from '../src/model/build/multimodal.js';
import { worldTokenizer } from '../src/train/world_data.js';

interface Checkout {
  PIPELINE_JOBS: typeof pipeline.PIPELINE_JOBS;
  buildMultimodalTraining: typeof buildMultimodalTraining;
  TrainStep: typeof TrainStep;
  initParams: typeof initParams;
  freezeFilter: typeof freezeFilter;
}

/** Job `j`'s training step as the checkout at `root` builds it (pipeline.ts's settings), from seed-1 weights. */
async function jobStep(root: string, j: number): Promise<TrainStep> {
  const c: Checkout = {
    ...(await importFrom<Pick<Checkout, 'PIPELINE_JOBS'>>(root, 'bench/pipeline.ts')),
    ...(await importFrom<Pick<Checkout, 'buildMultimodalTraining'>>(root, 'src/model/build/multimodal.ts')),
    ...(await importFrom<Pick<Checkout, 'TrainStep'>>(root, 'src/engine/train_step.ts')),
    ...(await importFrom<Pick<Checkout, 'initParams'>>(root, 'src/engine/param_store.ts')),
    ...(await importFrom<Pick<Checkout, 'freezeFilter'>>(root, 'src/model/build/components.ts')),
  };
  const job = c.PIPELINE_JOBS[j];
  const net = c.buildMultimodalTraining(job.model(worldTokenizer(2).vocabSize), { B: job.B, T: job.T, N: job.N });
  const opts = { optimizer: { kind: 'adamw' as const, weightDecay: 0.1 }, trainable: c.freezeFilter(job.freeze), clipNorm: 1 };
  return c.TrainStep.create(net.g, net.loss, c.initParams(net.g, 1), opts);
}

const [oldRoot, stepsArg, jobArg] = process.argv.slice(2);
if (!oldRoot) throw new Error('usage: bench/step_checkout.ts <old checkout root> [steps]; got no root');
const steps = Number(stepsArg ?? 12);
const WARM_UP = 2; // the first runs plan and allocate
const j = Number(jobArg ?? 2);
const job = pipeline.PIPELINE_JOBS[j];
if (!job) throw new Error(`bench/step_checkout.ts: no job ${jobArg}; the jobs are 0..${pipeline.PIPELINE_JOBS.length - 1} (bench/pipeline.ts)`);
let batches: Record<string, HostTensor>[];
let sides: [TrainStep, TrainStep];
if (j === 2) {
  const old = await importFrom<typeof here>(oldRoot, 'bench/ablation_step.ts');
  batches = await here.ablationBatches(Math.min(steps + WARM_UP, 4));
  sides = [await old.ablationTrainStep(), await here.ablationTrainStep()];
} else {
  const model = job.model(worldTokenizer(2).vocabSize);
  const rng = new Rng(0);
  batches = Array.from({ length: 4 }, () => batchFeeds(benchBatch(model, job.B, job.T, rng, job.N), model));
  sides = [await jobStep(oldRoot, j), await jobStep('.', j)];
}
const { cpuMs: cpu, losses } = await alternateSteps(sides, batches, steps, WARM_UP);
const ratios = cpu[1].map((v, i) => v / cpu[0][i]).sort((a, b) => a - b);
const q = (f: number) => +ratios[Math.round(f * (ratios.length - 1))].toFixed(3);
console.log(
  JSON.stringify({
    old: oldRoot,
    job: job.label,
    steps,
    threads: process.env.MM1_ORT_THREADS ?? 'default',
    cpu_old_ms: +median(cpu[0]).toFixed(1),
    cpu_new_ms: +median(cpu[1]).toFixed(1),
    new_over_old_paired: { median: +median(ratios).toFixed(3), q25: q(0.25), q75: q(0.75), min: q(0), max: q(1) },
    max_loss_diff: +Math.max(...losses[0].map((l, i) => Math.abs(l - losses[1][i]))).toExponential(2),
    losses_old: losses[0].slice(-2),
    losses_new: losses[1].slice(-2),
  }),
);
