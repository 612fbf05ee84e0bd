// The pool's ETA (packed_eta.ts): each run's cost-model seconds in hand-out order (a shared stage
// charged to the first run that needs it), × N × 0.80 on N ≥ 2 workers, × what the finished runs
// say, packed onto the workers. Hand-checked numbers, and the bounds packing obeys on real plans.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { codeSalt } from '../../src/ablate/cache.js';
import { fmtDuration } from '../../src/ablate/format.js';
import { BASE_STAGE_SECONDS, estimatePlan, estimateRuns, stageSeconds, totalSeconds } from '../../src/ablate/estimate.js';
import { EtaCalibration, packedSeconds, poolEtaSeconds, poolSlowdown, stateEtaSeconds } from '../../src/ablate/packed_eta.js';
import { planRuns } from '../../src/ablate/plan.js';
import { poolRuns } from '../../src/ablate/pool_plan.js';
import { findStudy, STUDIES } from '../../src/ablate/studies/index.js';

const near = (a: number, b: number, what: string) => assert.ok(Math.abs(a - b) < 1e-6, `${what}: ${a} vs ${b}`);
const configs = (study: string, seeds = 3) => planRuns(findStudy(study), 'default', seeds, 'x').map((p) => p.config);

test('a run on one of N ≥ 2 workers takes N × 0.80 of its one-process time; on one worker, its own', () => {
  assert.equal(poolSlowdown(1), 1);
  near(poolSlowdown(2), 1.6, 'two workers: 2 × 0.80');
  near(poolSlowdown(4), 3.2, 'four workers: the same throughput, 1 / 0.80 of one process');
  assert.throws(() => poolSlowdown(0), /workers must be a whole number ≥ 1, got 0/);
});

test('the calibration is the finished runs’ wall over their predictions, summed with weight 2^(−age / 3); 1 before any', () => {
  const c = new EtaCalibration();
  assert.equal(c.factor, 1);
  c.observe(100, 150);
  near(c.factor, 1.5, 'one run, 150 s where 100 were predicted');
  // Summed, not averaged per run, the first run now one run old (weight 2^(−1/3) = 0.7937):
  // (0.7937 × 150 + 330) / (0.7937 × 100 + 300) = 449.06 / 379.37 = 1.1837, where the plain sum is
  // 480 / 400 = 1.2 and the mean of 1.5 and 1.1 is 1.3.
  c.observe(300, 330);
  near(c.factor, 1.1836862, 'two runs');
  assert.equal(c.runs, 2);
  assert.throws(() => c.observe(0, 10), /predicted > 0 and wall ≥ 0 seconds, got 0 and 10/);
});

test('a slow first run weighs half once three more have finished: the factor follows the machine as it is now', () => {
  const c = new EtaCalibration();
  c.observe(100, 400);
  near(c.factor, 4, 'one run, 4 × its prediction');
  for (let i = 0; i < 3; i++) c.observe(100, 100);
  // Weights 1/2 (three runs back), 2^(−2/3) = 0.6300, 2^(−1/3) = 0.7937, 1 (sum 2.4237 for the three on time):
  // (0.5 × 400 + 242.37) / (0.5 × 100 + 242.37) = 442.37 / 292.37 = 1.5131; the plain sum said 700 / 400 = 1.75.
  near(c.factor, 1.5130554, 'four runs');
  // Nine more on time: the slow run's weight is 2^(−12/3) = 1/16 of the last run's.
  for (let i = 0; i < 9; i++) c.observe(100, 100);
  const onTime = Array.from({ length: 12 }, (_, i) => 2 ** (-i / 3)).reduce((a, b) => a + b, 0);
  near(c.factor, (400 / 16 + 100 * onTime) / (100 / 16 + 100 * onTime), 'thirteen runs');
  // ≈ 1.041, where the plain sum still says 1,600 / 1,300 = 1.231.
  assert.ok(c.factor < 1.05, `thirteen runs: ${c.factor}`);
});

test('the ETA packs the calibrated predictions onto the workers (hand-checked)', () => {
  // Factor 1.2: the run under way was predicted 600 s and has run 100 s → 620 s left; the queued
  // 200 s and 300 s become 240 and 360 s, both on the idle worker (0 → 240 → 600): 620 s.
  near(poolEtaSeconds([{ predicted: 600, elapsed: 100 }], [200, 300], 2, 1.2), 620, 'one run under way, two queued');
  // Before any run finishes (factor 1) it is the plain packing.
  assert.equal(poolEtaSeconds([], [300, 300, 300], 2, 1), packedSeconds([], [300, 300, 300], 2));
  // Runs that took no measurable time (a stand-in runner) say the rest takes none; a negative factor is a bug.
  assert.equal(poolEtaSeconds([{ predicted: 600, elapsed: 100 }], [200, 300], 2, 0), 0);
  assert.throws(() => poolEtaSeconds([], [1], 2, -1), /calibration factor must be ≥ 0, got -1/);
});

test('the live pool’s first state and --dry-run’s (every worker cold, nothing under way) give one figure; a cold worker with nothing queued costs nothing', () => {
  const c = configs('connector', 1);
  const dry = stateEtaSeconds({ running: [], coldWorkers: 2, queued: c, done: [] }, 'default', 2, 1);
  // Worker 1 has taken run 0 (its price includes the items, BASE_STAGE_SECONDS.evalItems × 1.6); worker 2 is still cold.
  const items = BASE_STAGE_SECONDS.evalItems * 1.6;
  const s0 = stageSeconds(c[0], 'default');
  const live = stateEtaSeconds(
    {
      running: [{ config: c[0], predicted: (totalSeconds(s0) + BASE_STAGE_SECONDS.evalItems) * 1.6, elapsed: 0 }],
      coldWorkers: 1,
      queued: c.slice(1),
      done: [],
    },
    'default',
    2,
    1,
  );
  near(live, dry, 'first ETA');
  // Runs 1–4 reuse run 0's CLIP stage: worker 1 = items + 1.6 T0, worker 2 = items + 1.6 (T1 − clip1) + …, packed greedily.
  const each = c.map((x, i) => (totalSeconds(stageSeconds(x, 'default')) - (i === 0 ? 0 : stageSeconds(x, 'default').clip)) * 1.6);
  near(dry, packedSeconds([items, items], each, 2), 'the packing of the hand-priced runs');
  // The last run under way, 10 s of 20 predicted, and an idle cold worker: 10 s left, not the items' seconds it would make for a queued run.
  near(
    stateEtaSeconds({ running: [{ config: c[0], predicted: 20, elapsed: 10 }], coldWorkers: 1, queued: [], done: [] }, 'default', 2, 1),
    10,
    'nothing queued',
  );
});

test('each run is charged its stages in hand-out order: a shared stage to the first run that needs it, none when a finished run made it', () => {
  const connector = configs('connector');
  const runs = estimateRuns(connector, [], 'default');
  // Seed-major, 5 variants sharing one encoder: the first run of each seed makes that seed's CLIP stage.
  connector.forEach((c, i) => {
    const s = stageSeconds(c, 'default');
    near(runs[i], totalSeconds(s) - (i % 5 === 0 ? 0 : s.clip), `connector run ${i}`);
  });
  // The seeds study's runs (the base run at seeds 0–2) made every seed's CLIP stage.
  const after = estimateRuns(connector, configs('seeds'), 'default');
  connector.forEach((c, i) => near(after[i], totalSeconds(stageSeconds(c, 'default')) - stageSeconds(c, 'default').clip, `connector run ${i} after seeds`));
  // highres: the three fine-tunings of a seed share one pretraining (and its CLIP stage); the first pays both.
  const highres = configs('highres');
  const h = estimateRuns(highres, [], 'default');
  highres.forEach((c, i) => {
    const s = stageSeconds(c, 'default');
    near(h[i], totalSeconds(s) - (i % 3 === 0 ? 0 : s.clip + s.pretrain), `highres run ${i}`);
  });
  // The one-process total is the same charges plus the evaluation items, generated once.
  for (const study of STUDIES) {
    const c = configs(study.name);
    near(estimatePlan(c, [], 'default').seconds, estimateRuns(c, [], 'default').reduce((a, b) => a + b, 0) + BASE_STAGE_SECONDS.evalItems, study.name);
  }
});

test('the first ETA of `mm1 ablate all --workers 2` is the packed share, not the one-process total', () => {
  const { runs } = poolRuns(
    STUDIES.map((study) => ({ study, outDir: study.name })),
    'default',
    'x',
    {},
  );
  const each = estimateRuns(
    runs.map((r) => r.config),
    [],
    'default',
  ).map((s) => s * poolSlowdown(2));
  const eta = poolEtaSeconds([], each, 2, 1);
  const sum = each.reduce((a, b) => a + b, 0);
  // Greedy packing of a list: at least the work spread evenly, at most that plus the longest run.
  assert.ok(eta >= sum / 2 && eta <= sum / 2 + Math.max(...each), `${eta} s against ${sum / 2} s of work per worker`);
  // So about 0.80 of the one-process figure session 10 showed first (72 runs: the tail is small).
  const oneProcess = estimatePlan(
    runs.map((r) => r.config),
    [],
    'default',
  ).seconds;
  const ratio = eta / oneProcess;
  assert.ok(ratio > 0.79 && ratio < 0.82, `first ETA / one-process estimate = ${ratio}`);
});

test('--dry-run of several studies prints the pool’s first ETA beside the one-process total', () => {
  const out = mkdtempSync(join(tmpdir(), 'mm1-dry-pool-'));
  const tsx = fileURLToPath(import.meta.resolve('tsx'));
  const r = spawnSync(process.execPath, ['--import', tsx, join(import.meta.dirname, 'synthetic_cli.ts'), 'ablate', 'pretraining', '--dry-run', '--out', out], {
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  const studies = ['encoder', 'connector', 'mixture'].map((name) => ({ study: findStudy(name), outDir: join(out, name) }));
  const configs = poolRuns(studies, 'default', codeSalt(), {}).runs.map((run) => run.config);
  // Nothing is cached: each of the 2 workers generates the evaluation items, then takes runs in plan order.
  const items = BASE_STAGE_SECONDS.evalItems * 1.6;
  const pool = packedSeconds(
    [items, items],
    estimateRuns(configs, [], 'default').map((s) => s * 1.6),
    2,
  );
  const one = estimatePlan(configs, [], 'default').seconds;
  assert.ok(
    r.stdout.includes(
      `about ${fmtDuration(one)} in one process on an idle 2-core machine, shared runs and stages counted once; about ${fmtDuration(pool)} with --workers 2 (`,
    ),
    r.stdout,
  );
});
