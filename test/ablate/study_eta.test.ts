// The one-process ETA of `mm1 ablate <study>` (run_study.ts) is the pool's with one worker: each run
// left priced by the cost model in plan order (a shared stage charged to the first run that needs
// it), × wall ÷ prediction over the runs this invocation finished (the recent ones weighing more).
// Expected figures are worked out here from each run's stages (stageSeconds), not taken from the
// ETA code; the clock is driven by the runner, so each run's wall is known.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { BASE_STAGE_SECONDS, estimatePlan, stageSeconds, totalSeconds } from '../../src/ablate/estimate.js';
import { planRuns } from '../../src/ablate/plan.js';
import type { Runner } from '../../src/ablate/runner.js';
import { progressLine, runStudy, type StudyEvent } from '../../src/ablate/run_study.js';
import { connectorStudy } from '../../src/ablate/studies/connector.js';
import { syntheticRunner } from './synthetic_runner.js';

const SALT = 'eta-salt';
const near = (a: number | undefined, b: number, what: string) =>
  assert.ok(a !== undefined && Math.abs(a - b) <= 1e-9 * Math.max(1, b), `${what}: ${a} vs ${b}`);
// connector at default scale, one seed: 5 variants on one encoder, so run 0 makes the CLIP stage the other four reuse.
const plan = planRuns(connectorStudy, 'default', 1, SALT);
const stages = plan.map((p) => stageSeconds(p.config, 'default'));
/** Run i's price when the CLIP stage is already made (every run but the first of a fresh cache). */
const reusing = (i: number) => totalSeconds(stages[i]) - stages[i].clip;
const sumReusing = (from: number) => plan.slice(from).reduce((a, _, i) => a + reusing(from + i), 0);
const items = BASE_STAGE_SECONDS.evalItems;

/** A clock the runner moves on by each run's wall (`walls[k]` s for its k-th call), and cached results claiming `claimedWall`. */
function timed(walls: readonly number[], opts: { failOnCall?: number; claimedWall?: number } = {}): { runner: Runner; clock: () => number } {
  let now = 1_000_000;
  let calls = 0;
  const base = syntheticRunner({ failOnCall: opts.failOnCall });
  const runner: Runner = async (config, runDir, signal) => {
    const result = await base(config, runDir, signal);
    now += walls[calls++] * 1000;
    return opts.claimedWall === undefined ? result : { ...result, wallSeconds: opts.claimedWall };
  };
  return { runner, clock: () => now };
}

const etas = (events: StudyEvent[]) =>
  events.flatMap((e) => (e.type === 'start' || e.type === 'done' ? [{ type: e.type, eta: e.etaSeconds, calibrated: e.etaCalibrated }] : []));

test('one process: the cost model until a run finishes, then the runs left × that run’s wall ÷ its prediction', async () => {
  const { runner, clock } = timed([150, 90, 60, 60, 60]);
  const events: StudyEvent[] = [];
  await runStudy(connectorStudy, {
    scale: 'default',
    seeds: 1,
    outDir: mkdtempSync(join(tmpdir(), 'mm1-eta-')),
    runner,
    clock,
    salt: SALT,
    onEvent: (e) => events.push(e),
  });
  const [start1, done1, start2, done2] = etas(events);
  // Run 0 pays the evaluation items and the CLIP stage; runs 1–4 reuse the stage.
  const p0 = totalSeconds(stages[0]) + items;
  near(start1.eta, p0 + sumReusing(1), 'first figure: every run’s price');
  near(
    start1.eta,
    estimatePlan(
      plan.map((p) => p.config),
      [],
      'default',
    ).seconds,
    'first figure: the cost model’s one-process total',
  );
  assert.equal(start1.calibrated, false);
  assert.match(progressLine(events[0]), / \| ETA ~\S+ \(cost model until a run finishes\)$/);
  // 150 s where p0 was predicted: the four runs left × 150 / p0.
  near(done1.eta, (sumReusing(1) * 150) / p0, 'after run 0');
  assert.equal(done1.calibrated, true);
  near(start2.eta, done1.eta!, 'run 1 starts: nothing has moved');
  // Over the runs finished, run 0 now one run old (weight 2^(−1/3)): (w 150 + 90) / (w p0 + p1);
  // the plain sum (150 + 90) / (p0 + p1) is another figure, as p0 ≠ p1 and 150 / p0 ≠ 90 / p1.
  const w = 2 ** (-1 / 3);
  near(done2.eta, (sumReusing(2) * (w * 150 + 90)) / (w * p0 + reusing(1)), 'after run 1');
  assert.ok(Math.abs(done2.eta! - (sumReusing(2) * 240) / (p0 + reusing(1))) > 1, 'not the plain sum');
  const last = etas(events).at(-1)!;
  assert.deepEqual([last.type, last.eta], ['done', 0], 'nothing left after the last run');
});

test('cached runs’ old walls do not move the one-process ETA; the shared stage they made is not charged again', async () => {
  const runEtas = async (claimedWall: number) => {
    const outDir = mkdtempSync(join(tmpdir(), 'mm1-eta-'));
    // Runs 0 and 1 finish and are cached, claiming `claimedWall` seconds each; the third call crashes.
    const first = timed([1, 1, 1], { failOnCall: 3, claimedWall });
    await assert.rejects(runStudy(connectorStudy, { scale: 'default', seeds: 1, outDir, ...first, salt: SALT }), /simulated crash/);
    const events: StudyEvent[] = [];
    await runStudy(connectorStudy, { scale: 'default', seeds: 1, outDir, ...timed([100, 50, 50]), salt: SALT, onEvent: (e) => events.push(e) });
    assert.deepEqual(
      events.filter((e) => e.type === 'cached').map((e) => e.wallSeconds),
      [claimedWall, claimedWall],
    );
    return etas(events);
  };
  const fast = await runEtas(1);
  const slow = await runEtas(10_000);
  assert.deepEqual(fast, slow, 'cached walls of 1 s and of 10,000 s give the same ETAs');
  // Run 0 (cached) made the CLIP stage: runs 2–4 are charged without it; run 2 also pays the items.
  const p2 = reusing(2) + items;
  near(fast[0].eta, items + sumReusing(2), 'first figure');
  near(
    fast[0].eta,
    estimatePlan(
      plan.slice(2).map((p) => p.config),
      plan.slice(0, 2).map((p) => p.config),
      'default',
    ).seconds,
    'first figure: the cost model’s',
  );
  assert.equal(fast[0].calibrated, false);
  near(fast[1].eta, (sumReusing(3) * 100) / p2, 'after the first fresh run: 100 s where p2 was predicted');
});

test('a run resumed from an earlier attempt (extra.attempts > 1) does not calibrate: its wall is part of a run', async () => {
  const { runner: plain, clock } = timed([20, 90, 60, 60, 60]);
  let calls = 0;
  // The first run reports a second attempt (resumed from a killed session's checkpoints): 20 s of a whole run's price.
  const runner: Runner = async (config, runDir, signal) => {
    const result = await plain(config, runDir, signal);
    return calls++ === 0 ? { ...result, extra: { ...result.extra, attempts: 2 } } : { ...result, extra: { ...result.extra, attempts: 1 } };
  };
  const events: StudyEvent[] = [];
  await runStudy(connectorStudy, {
    scale: 'default',
    seeds: 1,
    outDir: mkdtempSync(join(tmpdir(), 'mm1-eta-')),
    runner,
    clock,
    salt: SALT,
    onEvent: (e) => events.push(e),
  });
  const [, done1, , done2] = etas(events);
  near(done1.eta, sumReusing(1), 'after the resumed run: still the cost model');
  assert.equal(done1.calibrated, false);
  // Run 1 (one attempt) calibrates on its own: 90 s where reusing(1) was predicted.
  near(done2.eta, (sumReusing(2) * 90) / reusing(1), 'after the first whole run');
  assert.equal(done2.calibrated, true);
});
