// The ablation step run under ONNX Runtime's profiler on one intra-op thread: its trace events
// and the runs that count (after the warm-up runs, which plan and allocate); bench/step_gemms.ts
// and bench/step_elementwise.ts read them.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ablationBatches, ablationTrainStep } from './ablation_step.js';
import type { ProfileEvent } from './profile_gemms.js';

const WARM_UP = 2;

/** Profiles `steps` steps on one batch; `built` runs once the step's graph is compiled. */
export async function profiledAblationSteps(steps: number, built: () => void = () => {}): Promise<{ events: ProfileEvent[]; runs: ProfileEvent[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'mm1-profiled-step-'));
  const ts = await ablationTrainStep({ profilePrefix: join(dir, 'profile'), threads: 1 });
  built();
  const [feeds] = await ablationBatches(1);
  for (let i = 0; i < steps + WARM_UP; i++) await ts.run(feeds, 1e-4);
  ts.endProfiling();
  await ts.release();
  const events = JSON.parse(readFileSync(join(dir, readdirSync(dir)[0]), 'utf8')) as ProfileEvent[];
  rmSync(dir, { recursive: true });
  return { events, runs: events.filter((e) => e.name === 'model_run').slice(WARM_UP) };
}
