// Where a default ablation run's evaluation spends its time: per task and shot count, the wall
// seconds of prefill steps (the prompt, images and all, in one pass; likelihood scoring is one
// such pass too), of decode steps (one per generated token), and of everything else (prompt
// building, pictures, scoring), for a trained model directory (e.g. one bench/run_cost.ts wrote).
// node --import tsx bench/eval_phases.ts <model dir> [image items] [text items]
import { StepRunner } from '../src/model/infer/step_runner.js';
import { loadModel } from '../src/model/infer/load.js';
import { runEval } from '../src/eval/runner.js';

const [dir, imageItems, textItems] = process.argv.slice(2);
if (!dir) throw new Error('usage: node --import tsx bench/eval_phases.ts <model dir> [image items] [text items]');
const phase = { prefill: 0, decode: 0, prefillSteps: 0, decodeSteps: 0 };
const run = StepRunner.prototype.run;
StepRunner.prototype.run = async function (this: StepRunner, ...args: Parameters<StepRunner['run']>) {
  const t0 = performance.now();
  const out = await run.apply(this, args);
  const key = args[0].past ? 'decode' : 'prefill';
  phase[key] += performance.now() - t0;
  phase[`${key}Steps`]++;
  return out;
};
const model = await loadModel(dir);
const tasks: [string, number][] = [
  ...['world-coco', 'world-vqav2', 'world-textvqa', 'world-gqa'].map((t): [string, number] => [t, Number(imageItems ?? 40)]),
  ...['world-mc', 'world-cloze'].map((t): [string, number] => [t, Number(textItems ?? 40)]),
];
for (const [task, limit] of tasks)
  for (const shots of [0, 4, 8]) {
    Object.assign(phase, { prefill: 0, decode: 0, prefillSteps: 0, decodeSteps: 0 });
    const t0 = performance.now();
    await runEval(model, { tasks: [task], shots: [shots], limit, seed: 0, worldVersion: 2, onWarning: () => {} });
    const wall = performance.now() - t0;
    const s = (ms: number) => +(ms / 1000).toFixed(2);
    console.log(
      JSON.stringify({
        task,
        shots,
        items: limit,
        wall_s: s(wall),
        prefill_s: s(phase.prefill),
        decode_s: s(phase.decode),
        other_s: s(wall - phase.prefill - phase.decode),
        prefill_steps: phase.prefillSteps,
        decode_steps: phase.decodeSteps,
      }),
    );
  }
await model.release();
