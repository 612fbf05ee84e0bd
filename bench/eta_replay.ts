// Replays a study's finished runs one at a time, in plan order, and compares two one-process ETAs
// with the time that was actually left after each run (the sum of the remaining runs' walls):
// the old rule (session 10's EtaEstimator: the finished runs' seconds per training step for every
// run left) and run_study.ts's (the pool's with one worker: cost model × wall ÷ prediction).
// The walls are whatever the records hold (e.g. taken in a 2-worker pool on a loaded machine), so
// this compares the rules' shape, not the machine. A replay of recorded numbers, not a timing.
//   node --import tsx bench/eta_replay.ts [mixture] [/path/to/run-records]
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { estimatePlan } from '../src/ablate/estimate.js';
import { coldStartSeconds, EtaCalibration, predictRuns, stateEtaSeconds } from '../src/ablate/packed_eta.js';
import { planRuns, trainingSteps } from '../src/ablate/plan.js';
import type { AblationRunConfig } from '../src/ablate/runner.js';
import { findStudy } from '../src/ablate/studies/index.js';

const [studyName = 'mixture', dir = '/work/main/docs/results/default/run-records'] = process.argv.slice(2);
const study = findStudy(studyName);
const records = readdirSync(dir).flatMap((key) => {
  const about = JSON.parse(readFileSync(join(dir, key, 'config.json'), 'utf8'));
  if (about.study !== studyName) return [];
  const wall: number = JSON.parse(readFileSync(join(dir, key, 'result.json'), 'utf8')).wallSeconds;
  return [{ variant: about.variant as string, seed: about.seed as number, config: { ...about.config, seed: about.seed } as AblationRunConfig, wall }];
});
// Plan order, matched by variant and seed (the keys carry the salt of the code that ran them).
const seeds = Math.max(...records.map((r) => r.seed)) + 1;
const runs = planRuns(study, 'default', seeds, 'replay').flatMap((p) => records.filter((r) => r.variant === p.variant.id && r.seed === p.seed));
if (runs.length !== records.length)
  throw new Error(`${records.length} ${studyName} records but ${runs.length} matched the plan's variants and seeds; check ${dir}`);

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
const calibration = new EtaCalibration();
const rows: { k: number; truth: number; old: number; now: number; predicted: number }[] = [];
for (let k = 0; k < runs.length; k++) {
  const done = runs.slice(0, k).map((r) => r.config);
  const left = runs.slice(k).map((r) => r.config);
  const truth = sum(runs.slice(k).map((r) => r.wall));
  const seen = runs.slice(0, k);
  const old =
    k === 0
      ? estimatePlan(left, done, 'default').seconds
      : (sum(seen.map((r) => r.wall)) / sum(seen.map((r) => Math.max(1, trainingSteps(r.config))))) * sum(left.map((c) => Math.max(1, trainingSteps(c))));
  // What run_study.ts shows when run k starts (k = 0: the first figure) or, k ≥ 1, when run k − 1 is done.
  const predicted = predictRuns([], [left[0]], done, 'default', 1)[0] + (k === 0 ? coldStartSeconds(1) : 0);
  const running = k === 0 ? [{ config: left[0], predicted, elapsed: 0 }] : [];
  const now = stateEtaSeconds({ running, coldWorkers: 0, queued: k === 0 ? left.slice(1) : left, done }, 'default', 1, calibration.factor);
  rows.push({ k, truth, old, now, predicted });
  calibration.observe(predicted, runs[k].wall);
}

const median = (xs: number[]) =>
  [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)] * 0.5 + [...xs].sort((a, b) => a - b)[Math.ceil((xs.length - 1) / 2)] * 0.5;
const f = (x: number) => x.toFixed(3);
console.log(`${studyName}: ${runs.length} runs in plan order; walls ${runs.map((r) => Math.round(r.wall)).join(', ')} s`);
console.log('k  left  truth_s   old_s   new_s  old/truth new/truth  run k: predicted_s wall_s');
for (const r of rows)
  console.log(
    `${String(r.k).padStart(2)} ${String(runs.length - r.k).padStart(4)} ${r.truth.toFixed(0).padStart(7)} ${r.old.toFixed(0).padStart(7)} ${r.now.toFixed(0).padStart(7)}  ${f(r.old / r.truth).padStart(8)} ${f(r.now / r.truth).padStart(9)}  ${r.predicted.toFixed(0).padStart(16)} ${runs[r.k].wall.toFixed(0).padStart(6)}`,
  );
const after = rows.slice(1);
for (const [name, pick] of [
  ['old', (r: (typeof rows)[number]) => r.old / r.truth],
  ['new', (r: (typeof rows)[number]) => r.now / r.truth],
] as const) {
  const ratios = after.map(pick);
  console.log(
    `${name}/truth over k = 1..${after.length}: median ${f(median(ratios))}, range ${f(Math.min(...ratios))}–${f(Math.max(...ratios))}, median |ln| ${f(median(ratios.map((x) => Math.abs(Math.log(x)))))}`,
  );
}
