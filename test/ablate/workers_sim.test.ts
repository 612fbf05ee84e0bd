// bench/pool_order.ts's replay of the pool: hand-checked on small cases (a run that would wait for
// a stage another worker is making is passed over while another run is ready, and waits when none
// is), and on the real plans it agrees with the cost model's one-process total with one worker,
// makes each shared stage once and never beats the lower bound. It says nothing about which order
// is faster: that is what the bench measures.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { longestFirst, simRun, simulatePool, type SimRun } from '../../bench/pool_order.js';
import { BASE_STAGE_SECONDS, estimatePlan } from '../../src/ablate/estimate.js';
import { poolRuns } from '../../src/ablate/pool_plan.js';
import { STUDIES } from '../../src/ablate/studies/index.js';

const run = (key: string, own: number, stages: SimRun['stages'] = []): SimRun => ({ key, startup: 0, stages, own });

test('a free worker passes over a run whose stage another worker is making, and waits for it only when nothing else is ready', () => {
  const clip = { id: 'clip', seconds: 100 };
  // A makes the stage (0 → 100) and ends at 150. Worker 2 skips B (it would wait) and takes C (→ 200);
  // worker 1, free at 150, takes B, which reuses the stage: 150 → 200.
  const sim = simulatePool([run('A', 50, [clip]), run('B', 50, [clip]), run('C', 200)], 2);
  assert.equal(sim.makespan, 200);
  assert.deepEqual(sim.runs.get('C'), { start: 0, end: 200, worker: 1 });
  assert.deepEqual(sim.runs.get('B'), { start: 150, end: 200, worker: 0 });
  assert.deepEqual(sim.stages.get('clip'), { doneAt: 100, by: 'A' });
  // Only B left for worker 2: it starts at once and waits inside its run until the stage is made (100 → 150).
  const waits = simulatePool([run('A', 50, [clip]), run('B', 50, [clip])], 2);
  assert.deepEqual(waits.runs.get('B'), { start: 0, end: 150, worker: 1 });
  // Nested stages, outermost first; each worker's first run pays 5 s more (the evaluation items). The first run
  // starts up (5 + 10), makes the CLIP stage (→ 115), then the pretraining (→ 415), then its own 20 s (→ 435); the
  // second waits for the pretraining, needing no CLIP stage, then runs its own 20 s (→ 435).
  const pre = { id: 'pre', seconds: 300 };
  const nested = simulatePool(
    [
      { ...run('X', 20, [pre, clip]), startup: 10 },
      { ...run('Y', 20, [pre, clip]), startup: 10 },
    ],
    2,
    5,
  );
  assert.deepEqual(nested.stages.get('clip'), { doneAt: 115, by: 'X' });
  assert.deepEqual(nested.stages.get('pre'), { doneAt: 415, by: 'X' });
  assert.equal(nested.runs.get('X')!.end, 435);
  assert.equal(nested.runs.get('Y')!.end, 435);
  assert.throws(() => simulatePool([], 0), /workers must be a whole number ≥ 1, got 0/);
});

test('longest first keeps equal runs in their order', () => {
  assert.deepEqual(
    longestFirst(['a1', 'b3', 'c1', 'd3', 'e2'], (s) => Number(s[1])),
    ['b3', 'd3', 'e2', 'a1', 'c1'],
  );
});

test('on the real plans: one worker takes the cost model’s one-process total; each run once, each shared stage once; no pool beats the bound', () => {
  for (const studies of [STUDIES, ...STUDIES.map((s) => [s])]) {
    const { runs } = poolRuns(
      studies.map((study) => ({ study, outDir: study.name })),
      'default',
      'x',
      {},
    );
    const sims = runs.map((r) => simRun(r, 'default'));
    const what = studies.length > 1 ? 'all' : studies[0].name;
    const one = simulatePool(sims, 1, BASE_STAGE_SECONDS.evalItems);
    const total = estimatePlan(
      runs.map((r) => r.config),
      [],
      'default',
    ).seconds;
    assert.ok(Math.abs(one.makespan - total) < 1e-6, `${what}: one worker ${one.makespan} s, estimatePlan ${total} s`);
    const two = simulatePool(sims, 2, BASE_STAGE_SECONDS.evalItems);
    assert.equal(two.runs.size, runs.length, `${what}: every run handed out once`);
    assert.equal(two.stages.size, new Set(sims.flatMap((s) => s.stages.map((x) => x.id))).size, `${what}: each shared stage made once`);
    // Two workers do the same work (each generating the evaluation items once) in at least half the time.
    assert.ok(two.makespan >= (total + BASE_STAGE_SECONDS.evalItems) / 2 - 1e-6, `${what}: ${two.makespan} s on 2 workers, ${total} s on one`);
  }
});
