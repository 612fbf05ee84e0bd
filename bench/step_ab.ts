// Two ways of running the ablation base run's pretraining step, side by side in one process:
// the same batches through two training sessions built from the same initial weights, steps
// alternating A B A B, so machine load hits both alike. Prints the median wall ms per step of
// each, B / A, and whether the two gave the same losses bit for bit (expect that only with
// MM1_ORT_THREADS=1; on two threads runs differ from the 6th digit, docs/reliability.md).
// node --import tsx bench/step_ab.ts <comparison> [steps]   (comparisons: see COMPARISONS)
import { ablationBatches, ablationTrainStep } from './ablation_step.js';
import { median } from './engine.js';
import type { TrainStep, TrainStepOptions } from '../src/engine/train_step.js';
import { alternateSteps } from './alternate_steps.js';

type Side = Partial<TrainStepOptions>;
export const COMPARISONS: Record<string, { a: Side; b: Side; what: string }> = {
  same: { a: {}, b: {}, what: 'B is built as A is: the A/A check of this bench' },
  threads: { a: { threads: 2 }, b: { threads: 1 }, what: 'B runs ONNX Runtime on one intra-op thread, A on two' },
  spinning: { a: { spinning: false }, b: { spinning: true }, what: "B lets ONNX Runtime's idle threads spin-wait, A does not" },
};

const [which, stepsArg] = process.argv.slice(2);
const cmp = COMPARISONS[which];
if (!cmp) throw new Error(`usage: bench/step_ab.ts <${Object.keys(COMPARISONS).join('|')}> [steps]; got '${which}'`);
const steps = Number(stepsArg ?? 8);
const batches = await ablationBatches(Math.min(steps + 2, 4));
const sides: [TrainStep, TrainStep] = [await ablationTrainStep(cmp.a), await ablationTrainStep(cmp.b)];
const WARM_UP = 2; // the first two steps plan and allocate
const { wallMs: ms, cpuMs: cpu, losses } = await alternateSteps(sides, batches, steps, WARM_UP);
const [a, b] = ms.map(median);
// Each round's B / A: the two ran back to back, so a burst of load hits both.
const pairRatio = (xs: number[][]) => median(xs[1].map((v, i) => v / xs[0][i]));
console.log(
  JSON.stringify({
    comparison: which,
    b_is: cmp.what,
    steps,
    a_ms: +a.toFixed(1),
    b_ms: +b.toFixed(1),
    b_over_a: +(b / a).toFixed(3),
    b_over_a_paired: +pairRatio(ms).toFixed(3),
    cpu_a_ms: +median(cpu[0]).toFixed(1),
    cpu_b_ms: +median(cpu[1]).toFixed(1),
    cpu_b_over_a_paired: +pairRatio(cpu).toFixed(3),
    same_losses: losses[0].every((l, i) => l === losses[1][i]),
    losses_a: losses[0].slice(-3),
    losses_b: losses[1].slice(-3),
  }),
);
