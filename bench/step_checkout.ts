// The ablation base run's pretraining step through the code of two checkouts, side by side in
// one process: the step built by the checkout at OLD_ROOT (an older commit's tree, e.g. from
// `git archive <commit>`, node_modules linked in) and by this one, from the same seed-1 weights,
// on the same batches, steps alternating A B / B A so machine load hits both alike. Each step is
// timed in CPU milliseconds of the process (every thread: ONNX Runtime's work, not the wait for a
// core). Prints each side's median CPU ms a step, the per-pair new/old ratios (median, quartiles,
// range), and how far the two sides' losses drift apart (the graphs may round differently).
// MM1_ORT_THREADS=1 nice -n 10 node --import tsx bench/step_checkout.ts <old checkout root> [steps=12]
import { importFrom } from './checkout.js';
import { measured } from './cpu_time.js';
import { median } from './engine.js';
import * as here from './ablation_step.js';

const [oldRoot, stepsArg] = process.argv.slice(2);
if (!oldRoot) throw new Error('usage: bench/step_checkout.ts <old checkout root> [steps]; got no root');
const steps = Number(stepsArg ?? 12);
const WARM_UP = 2; // the first runs plan and allocate
const old = await importFrom<typeof here>(oldRoot, 'bench/ablation_step.ts');
const batches = await here.ablationBatches(Math.min(steps + WARM_UP, 4));
const sides = [await old.ablationTrainStep(), await here.ablationTrainStep()];
const cpu: number[][] = [[], []];
const losses: number[][] = [[], []];
for (let i = 0; i < steps + WARM_UP; i++)
  for (const s of i % 2 ? [1, 0] : [0, 1]) {
    const { value, cpuMs } = await measured(() => sides[s].run(batches[i % batches.length], 1e-3));
    if (i >= WARM_UP) cpu[s].push(cpuMs);
    losses[s].push(value.loss);
  }
for (const s of sides) await s.release();
const ratios = cpu[1].map((v, i) => v / cpu[0][i]).sort((a, b) => a - b);
const q = (f: number) => +ratios[Math.round(f * (ratios.length - 1))].toFixed(3);
console.log(
  JSON.stringify({
    old: oldRoot,
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
