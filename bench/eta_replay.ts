// Replays each study's finished runs one at a time, in plan order, and compares one-process ETAs
// calibrated four ways with the time that was actually left after each run (the sum of the
// remaining runs' recorded walls). Every candidate prices the runs left as run_study.ts does (the
// pool's with one worker: cost model in plan order, a shared stage charged to the first run that
// needs it); they differ only in the factor the finished runs give:
//   summed  Σ wall ÷ Σ prediction over the finished runs (sessions 11–12's);
//   ew3     the same sums weighted 2^(−age / 3), age 0 = the run finished last (half-life 3 runs:
//           EtaCalibration since session 13, the one the live pool and run_study.ts use);
//   last5   Σ wall ÷ Σ prediction over the last 5 finished runs;
//   kind    one summed factor for runs that make their shared stage (charged their whole stages)
//           and one for runs that reuse one; a kind not seen yet takes the summed factor.
// The walls are what the records hold: taken in 2-worker pools on a loaded machine, replayed here
// as one process in plan order, so this compares the rules' shape, not the machine. A replay of
// recorded numbers, not a timing. The decision rule it prints was fixed before it first ran
// (commit b28db53): a candidate replaces `summed` if its median |ln(ETA ÷ truth)| over every step
// of every study is ≤ 0.90 × summed's and no study's median is > 1.05 × summed's. ew3 won it.
//   node --import tsx bench/eta_replay.ts [/path/to/run-records] [study ...]
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { stageSeconds, totalSeconds } from '../src/ablate/estimate.js';
import { CALIBRATION_HALF_LIFE_RUNS, coldStartSeconds, EtaCalibration, predictRuns, stateEtaSeconds } from '../src/ablate/packed_eta.js';
import { planRuns } from '../src/ablate/plan.js';
import type { AblationRunConfig } from '../src/ablate/runner.js';
import { findStudy } from '../src/ablate/studies/index.js';

const [dir = '/work/main/docs/results/default/run-records', ...only] = process.argv.slice(2);

interface RecordedRun {
  study: string;
  variant: string;
  seed: number;
  config: AblationRunConfig;
  wall: number;
}
const recorded: RecordedRun[] = readdirSync(dir).map((key) => {
  const about = JSON.parse(readFileSync(join(dir, key, 'config.json'), 'utf8'));
  const wall: number = JSON.parse(readFileSync(join(dir, key, 'result.json'), 'utf8')).wallSeconds;
  return { study: about.study, variant: about.variant, seed: about.seed, config: { ...about.config, seed: about.seed }, wall };
});
const studies = only.length > 0 ? only : [...new Set(recorded.map((r) => r.study))].sort();

/** What a candidate keeps of the finished runs and the factor it gives a run of a kind. */
interface Calibration {
  observe(predicted: number, wall: number, makes: boolean): void;
  factor(makes: boolean): number;
}
const ratio = (runs: readonly { predicted: number; wall: number; weight: number }[]) =>
  runs.length === 0 ? 1 : runs.reduce((a, r) => a + r.weight * r.wall, 0) / runs.reduce((a, r) => a + r.weight * r.predicted, 0);
/** Keeps every finished run; `pick` turns them (oldest first) into weighted runs for the ratio. */
const fromRuns = (
  pick: (seen: { predicted: number; wall: number; makes: boolean }[], makes: boolean) => { predicted: number; wall: number; weight: number }[],
) => {
  const seen: { predicted: number; wall: number; makes: boolean }[] = [];
  return {
    observe: (predicted: number, wall: number, makes: boolean) => void seen.push({ predicted, wall, makes }),
    factor: (makes: boolean) => ratio(pick(seen, makes)),
  };
};
/** The weights EtaCalibration's decayed sums stand for, spelt out: the replay checks it against them. */
const byAge = (seen: { predicted: number; wall: number }[]) =>
  seen.map((r, i) => ({ ...r, weight: 2 ** (-(seen.length - 1 - i) / CALIBRATION_HALF_LIFE_RUNS) }));
const CANDIDATES: Record<string, () => Calibration> = {
  summed: () => fromRuns((seen) => seen.map((r) => ({ ...r, weight: 1 }))),
  ew3: () => {
    const c = new EtaCalibration();
    const spelt = fromRuns(byAge);
    return {
      observe: (p, w, makes) => (c.observe(p, w), spelt.observe(p, w, makes)),
      factor: () => {
        if (Math.abs(c.factor - spelt.factor(true)) > 1e-9 * c.factor)
          throw new Error(`EtaCalibration ${c.factor} ≠ the weights spelt out ${spelt.factor(true)}`);
        return c.factor;
      },
    };
  },
  last5: () => fromRuns((seen) => seen.slice(-5).map((r) => ({ ...r, weight: 1 }))),
  kind: () =>
    fromRuns((seen, makes) => {
      const same = seen.filter((r) => r.makes === makes);
      return (same.length > 0 ? same : seen).map((r) => ({ ...r, weight: 1 }));
    }),
};
const names = Object.keys(CANDIDATES);

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return (s[Math.floor((s.length - 1) / 2)] + s[Math.ceil((s.length - 1) / 2)]) / 2;
};
const f = (x: number) => x.toFixed(3);
/** ln(ETA ÷ truth) of every step k ≥ 1 (a run has finished), by candidate, by study. */
const logErrors = new Map<string, Record<string, number[]>>();

console.log(`Records in ${dir}: walls from 2-worker pools on a loaded machine, replayed as one process in plan order.`);
for (const studyName of studies) {
  const study = findStudy(studyName);
  const records = recorded.filter((r) => r.study === studyName);
  // Plan order, matched by variant and seed (the keys carry the salt of the code that ran them).
  const seeds = Math.max(...records.map((r) => r.seed)) + 1;
  const runs = planRuns(study, 'default', seeds, 'replay').flatMap((p) => records.filter((r) => r.variant === p.variant.id && r.seed === p.seed));
  if (runs.length !== records.length)
    throw new Error(`${records.length} ${studyName} records but ${runs.length} matched the plan's variants and seeds; check ${dir}`);

  const calibrations = Object.fromEntries(names.map((n) => [n, CANDIDATES[n]()]));
  const errors: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  console.log(
    `\n${studyName}: ${runs.length} runs (${runs.map((r) => `${r.variant}/${r.seed}`).join(', ')}); walls ${runs.map((r) => Math.round(r.wall)).join(', ')} s`,
  );
  console.log(` k left truth_s  ${names.map((n) => `${n}/truth`.padStart(12)).join('')}   run k: predicted_s wall_s makes`);
  for (let k = 0; k < runs.length; k++) {
    const done = runs.slice(0, k).map((r) => r.config);
    const left = runs.slice(k).map((r) => r.config);
    const truth = sum(runs.slice(k).map((r) => r.wall));
    // Each run left as the cost model charges it here, and whether that is its whole stages (it makes its shared stage).
    const prices = predictRuns([], left, done, 'default', 1);
    const makes = prices.map((p, i) => p >= totalSeconds(stageSeconds(left[i], 'default')) - 1e-6);
    // What run_study.ts shows when run k starts (k = 0: the first figure, before any run finished) or, k ≥ 1, when run k − 1 is done.
    const predicted = prices[0] + (k === 0 ? coldStartSeconds(1) : 0);
    const etas = names.map((n) => {
      if (k === 0)
        return stateEtaSeconds({ running: [{ config: left[0], predicted, elapsed: 0 }], coldWorkers: 0, queued: left.slice(1), done }, 'default', 1, 1);
      return sum(prices.map((p, i) => p * calibrations[n].factor(makes[i])));
    });
    // The ew3 candidate is run_study.ts's figure to the second: the replay prices as the live code does.
    const live = stateEtaSeconds({ running: [], coldWorkers: 0, queued: left, done }, 'default', 1, calibrations.ew3.factor(true));
    const ew3 = etas[names.indexOf('ew3')];
    if (k > 0 && Math.abs(live - ew3) > 1e-6 * live) throw new Error(`replay ${ew3} s ≠ stateEtaSeconds ${live} s at step ${k} of ${studyName}`);
    if (k > 0) names.forEach((n, i) => errors[n].push(Math.log(etas[i] / truth)));
    console.log(
      `${String(k).padStart(2)} ${String(runs.length - k).padStart(4)} ${truth.toFixed(0).padStart(7)}  ${etas.map((e) => f(e / truth).padStart(12)).join('')}   ${predicted.toFixed(0).padStart(17)} ${runs[k].wall.toFixed(0).padStart(6)} ${makes[0] ? 'yes' : 'no'}`,
    );
    for (const n of names) calibrations[n].observe(predicted, runs[k].wall, makes[0]);
  }
  logErrors.set(studyName, errors);
}

// The rule's summary: median |ln(ETA ÷ truth)| over steps k ≥ 1, per study and pooled over every study's steps.
const abs = (xs: readonly number[]) => xs.map(Math.abs);
const pooled = (n: string) => median(abs([...logErrors.values()].flatMap((e) => e[n])));
const score = (e: Record<string, number[]>, n: string) => median(abs(e[n]));
console.log(`\nmedian |ln(ETA ÷ truth)| over steps k ≥ 1 (0.10 ≈ 10% off); in brackets ÷ summed's`);
console.log(`${'candidate'.padEnd(10)}${['pooled', ...logErrors.keys()].map((s) => s.padStart(18)).join('')}  verdict`);
for (const n of names) {
  const cells = [[pooled(n), pooled('summed')], ...[...logErrors.values()].map((e) => [score(e, n), score(e, 'summed')])];
  const wins = n !== 'summed' && pooled(n) <= 0.9 * pooled('summed') && [...logErrors.values()].every((e) => score(e, n) <= 1.05 * score(e, 'summed'));
  console.log(
    `${n.padEnd(10)}${cells.map(([x, base]) => `${f(x)} (${f(x / base)})`.padStart(18)).join('')}  ${n === 'summed' ? 'the baseline' : wins ? 'WINS by the rule' : 'does not win'}`,
  );
}
for (const n of names) {
  const logs = [...logErrors.values()].flatMap((e) => e[n]);
  console.log(
    `${n.padEnd(10)} ETA ÷ truth over ${logs.length} steps: median ${f(Math.exp(median(logs)))}, range ${f(Math.exp(Math.min(...logs)))}–${f(Math.exp(Math.max(...logs)))}`,
  );
}
