// Two training steps timed side by side in one process: the same batches through both, steps
// alternating A B / B A so machine load hits both alike. For the step benches that compare two
// builds of a step (step_ab.ts: two option settings; step_checkout.ts: two checkouts' code).
import type { HostTensor } from '../src/engine/host_tensor.js';
import type { TrainStep } from '../src/engine/train_step.js';
import { measured } from './cpu_time.js';

export interface AlternatedSteps {
  /** Per side, wall and process-CPU milliseconds of each step after the warm-up ones (pairs by position). */
  wallMs: [number[], number[]];
  cpuMs: [number[], number[]];
  /** Per side, the loss of every step, warm-up included. */
  losses: [number[], number[]];
}

/** Runs `steps` counted steps after `warmUp` uncounted ones (they plan and allocate) on both sides, cycling through `batches`, then releases both sides. */
export async function alternateSteps(
  sides: [TrainStep, TrainStep],
  batches: Record<string, HostTensor>[],
  steps: number,
  warmUp: number,
): Promise<AlternatedSteps> {
  const out: AlternatedSteps = { wallMs: [[], []], cpuMs: [[], []], losses: [[], []] };
  for (let i = 0; i < steps + warmUp; i++)
    for (const s of i % 2 ? [1, 0] : [0, 1]) {
      const { value, wallMs, cpuMs } = await measured(() => sides[s].run(batches[i % batches.length], 1e-3));
      if (i >= warmUp) {
        out.wallMs[s].push(wallMs);
        out.cpuMs[s].push(cpuMs);
      }
      out.losses[s].push(value.loss);
    }
  for (const side of sides) await side.release();
  return out;
}
