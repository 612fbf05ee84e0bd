// Training step time on the CPU and on a device, side by side in one process: the figure a
// machine with a GPU reports (docs/scale.md explains the output). It times a recipe's own
// multimodal training step (forward + backward + AdamW, one ONNX graph) on synthetic batches,
// first on the CPU, then on the device, and checks that both compute the same losses.
//
//   node --import tsx bench/gpu.ts --device cuda [--recipe small] [--steps 10] [--warmup 2]
//
// Without --device (or with --device cpu) only the CPU is timed. onnxruntime-node gives no way
// to keep outputs on a CUDA, DirectML or CoreML device between runs, so parameters and optimizer
// state cross the bus twice per step; `host_copy_mb_per_step` says how much.
import { availableParallelism, cpus, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import * as ort from 'onnxruntime-node';
import { ensureDevice, parseDevice, type Device } from '../src/engine/device.js';
import { stateSlots, type OptimizerConfig } from '../src/engine/optim.js';
import { initParams } from '../src/engine/param_store.js';
import { Rng } from '../src/engine/rng.js';
import { TrainStep } from '../src/engine/train_step.js';
import { buildMultimodalTraining } from '../src/model/build/multimodal.js';
import { countGraphParams, getRecipe, recipeModel } from '../src/model/build/recipes.js';
import { worldTokenizer } from '../src/train/world_data.js';
import { median } from './engine.js';
import { benchBatch } from './model.js';

const OPTIMIZER: OptimizerConfig = { kind: 'adamw', weightDecay: 0.1 };

interface DeviceRun {
  device: Device;
  /** Median wall time of one training step. */
  step_ms: number;
  tokens_per_s: number;
  /** Loss of each timed step: equal across devices up to float rounding. */
  losses: number[];
}

async function timeSteps(
  device: Device,
  recipeName: string,
  steps: number,
  warmup: number,
): Promise<DeviceRun & { params: number; B: number; T: number; N: number }> {
  const recipe = getRecipe(recipeName);
  const cfg = recipeModel(recipeName, recipe.vocabSize ?? worldTokenizer().vocabSize);
  const { batchSize: B, seqLen: T, maxImages: N } = recipe.train;
  const m = buildMultimodalTraining(cfg, { B, T, N });
  const ts = await TrainStep.create(m.g, m.loss, initParams(m.g, 1), { optimizer: OPTIMIZER, clipNorm: 1, device });
  const feeds = m.feeds(benchBatch(cfg, B, T, new Rng(2), N));
  for (let i = 0; i < warmup; i++) await ts.run(feeds, 1e-4);
  const ms: number[] = [];
  const losses: number[] = [];
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    const r = await ts.run(feeds, 1e-4);
    ms.push(performance.now() - t0);
    losses.push(+r.loss.toFixed(6));
  }
  await ts.release();
  const params = countGraphParams(m.g).total;
  const stepMs = median(ms);
  return { device, step_ms: +stepMs.toFixed(1), tokens_per_s: Math.round((B * T) / (stepMs / 1000)), losses, params, B, T, N };
}

const { values } = parseArgs({
  options: {
    device: { type: 'string', default: 'cpu' },
    recipe: { type: 'string', default: 'bench' },
    steps: { type: 'string', default: '10' },
    warmup: { type: 'string', default: '2' },
  },
});
const device = parseDevice(values.device, '--device');
try {
  await ensureDevice(device);
} catch (err) {
  // The message names what is missing and how to install it; a stack would bury it.
  process.stderr.write(`bench/gpu.ts: ${(err as Error).message}\n`);
  process.exit(1);
}
const steps = Number(values.steps);
const warmup = Number(values.warmup);
if (!Number.isInteger(steps) || steps < 1 || !Number.isInteger(warmup) || warmup < 0)
  throw new Error(`--steps must be a whole number >= 1 and --warmup >= 0, got ${values.steps} and ${values.warmup}`);

const devices: Device[] = device === 'cpu' ? ['cpu'] : ['cpu', device];
const runs = [];
for (const d of devices) runs.push(await timeSteps(d, values.recipe, steps, warmup));
const { params, B, T, N } = runs[0];
const cpu = runs[0];
const other = runs[1];
// Parameters and each AdamW slot go in and come back every step: 4 bytes × (1 + slots) × 2 directions.
const hostCopyBytes = params * 4 * (1 + stateSlots(OPTIMIZER).length) * 2;
const maxLossDiff = other ? Math.max(...other.losses.map((l, i) => Math.abs(l - cpu.losses[i]))) : undefined;
process.stdout.write(
  `${JSON.stringify(
    {
      machine: {
        cpu: cpus()[0]?.model,
        cores: availableParallelism(),
        load_average_1min_at_start: +loadavg()[0].toFixed(1),
        node: process.version,
        onnxruntime_node: ort.env.versions.node,
      },
      recipe: values.recipe,
      batch: { B, T, N },
      params,
      steps,
      warmup,
      runs: runs.map(({ device: d, step_ms, tokens_per_s, losses }) => ({ device: d, step_ms, tokens_per_s, losses })),
      ...(other ? { device_speedup: +(cpu.step_ms / other.step_ms).toFixed(2), max_loss_difference: maxLossDiff } : {}),
      host_copy_mb_per_step: +(hostCopyBytes / 2 ** 20).toFixed(1),
    },
    null,
    2,
  )}\n`,
);
