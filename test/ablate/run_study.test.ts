import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runStudy, progressLine, type StudyEvent } from '../../src/ablate/run_study.js';
import { planRuns } from '../../src/ablate/plan.js';
import { encoderStudy } from '../../src/ablate/studies/encoder.js';
import { highresStudy } from '../../src/ablate/studies/highres.js';
import { syntheticRunner } from './synthetic_runner.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'mm1-ablate-'));
const SALT = 'test-salt';

test('a rerun takes every run from the cache: the runner is called zero times and the numbers are identical', async () => {
  const out = tmp();
  const first = syntheticRunner();
  const a = await runStudy(encoderStudy, { scale: 'smoke', seeds: 2, outDir: out, runner: first, salt: SALT });
  assert.equal(first.calls.length, 8, '4 variants × 2 seeds');
  assert.equal(a.freshRuns, 8);
  // What the runner receives: the variant's config plus the seed, in its own cache directory.
  const call = first.calls[0];
  assert.equal(call.config.seed, 0);
  assert.deepEqual((call.config.model as { vision: { imageSize: number } }).vision.imageSize, 32);
  assert.equal(call.runDir, join(out, 'runs', planRuns(encoderStudy, 'smoke', 2, SALT)[0].key));
  assert.match(readFileSync(join(call.runDir, 'run.log'), 'utf8'), /training 0/);

  const second = syntheticRunner();
  const events: StudyEvent[] = [];
  const b = await runStudy(encoderStudy, { scale: 'smoke', seeds: 2, outDir: out, runner: second, salt: SALT, onEvent: (e) => events.push(e) });
  assert.equal(second.calls.length, 0);
  assert.equal(b.cachedRuns, 8);
  assert.deepEqual(
    b.results.variants.map((v) => v.stats),
    a.results.variants.map((v) => v.stats),
  );
  assert.ok(events.every((e) => e.type === 'cached'));
  assert.match(progressLine(events[0]), /^\[1\/8\] res32-small seed 0: cached/);

  // A different salt (e.g. a new mm1 version) means fresh runs.
  const third = syntheticRunner();
  await runStudy(encoderStudy, { scale: 'smoke', seeds: 1, outDir: out, runner: third, salt: 'other' });
  assert.equal(third.calls.length, 4);
});

test('an interrupted study resumes: only the missing runs run again, the broken one in its old directory', async () => {
  const out = tmp();
  const crashing = syntheticRunner({ failOnCall: 3 });
  await assert.rejects(
    runStudy(encoderStudy, { scale: 'smoke', seeds: 1, outDir: out, runner: crashing, salt: SALT }),
    (e: Error) =>
      /run 3 of 4 \(variant 'res128-small', seed 0, dir .*\) failed: simulated crash/.test(e.message) && /rerun the same command to continue/.test(e.message),
  );
  const plan = planRuns(encoderStudy, 'smoke', 1, SALT);
  const brokenDir = join(out, 'runs', plan[2].key);
  assert.ok(existsSync(join(brokenDir, 'config.json')) && !existsSync(join(brokenDir, 'result.json')));

  const resumed = syntheticRunner();
  const events: StudyEvent[] = [];
  const outcome = await runStudy(encoderStudy, { scale: 'smoke', seeds: 1, outDir: out, runner: resumed, salt: SALT, onEvent: (e) => events.push(e) });
  assert.deepEqual(
    resumed.calls.map((c) => c.runDir),
    plan.slice(2).map((p) => join(out, 'runs', p.key)),
  );
  assert.equal(outcome.cachedRuns, 2);
  assert.equal(outcome.freshRuns, 2);
  // ETA: the cost model's until a run of this invocation finishes (the cached runs' walls do not calibrate it), then calibrated.
  const starts = events.filter((e) => e.type === 'start');
  assert.ok(starts[0].etaSeconds! > 0 && starts[0].etaCalibrated === false);
  assert.ok(starts.slice(1).every((e) => e.etaSeconds !== undefined && e.etaCalibrated === true));
  const lastDone = events.filter((e) => e.type === 'done').at(-1)!;
  assert.equal(lastDone.etaSeconds, 0);
});

test('a runner returning a non-finite metric stops the study with the field named, and nothing is cached', async () => {
  const out = tmp();
  const bad = async () => ({ metrics: { 'caption/cider': { '0': NaN } }, wallSeconds: 1 });
  await assert.rejects(
    runStudy(encoderStudy, { scale: 'smoke', outDir: out, runner: bad, salt: SALT }),
    /not a valid run result:\n {2}metrics\.caption\/cider\.0: .*NaN/,
  );
  const plan = planRuns(encoderStudy, 'smoke', 1, SALT);
  assert.equal(existsSync(join(out, 'runs', plan[0].key, 'result.json')), false);
});

test('--first-seed adds seeds: seeds 3–5 are fresh runs, a 6-seed study from 0 reuses all six, and the report names them', async () => {
  const out = tmp();
  const first = syntheticRunner();
  await runStudy(highresStudy, { scale: 'smoke', seeds: 3, outDir: out, runner: first, salt: SALT });
  const more = syntheticRunner();
  const b = await runStudy(highresStudy, { scale: 'smoke', seeds: 3, firstSeed: 3, outDir: out, runner: more, salt: SALT });
  assert.deepEqual([...new Set(more.calls.map((c) => c.config.seed))], [3, 4, 5]);
  assert.equal(b.freshRuns, 9);
  const md = readFileSync(b.files.markdown, 'utf8');
  assert.match(md, /mm1 ablate highres --scale smoke --seeds 3 --first-seed 3 --out /);
  assert.match(md, /- Seeds per variant: 3 \(training seeds 3, 4, 5\)/);
  const all = syntheticRunner();
  const c = await runStudy(highresStudy, { scale: 'smoke', seeds: 6, outDir: out, runner: all, salt: SALT });
  assert.equal(all.calls.length, 0);
  assert.equal(c.cachedRuns, 18);
  assert.match(c.claims[0].outcome.evidence, /× 6 seeds\)/);
});

test('--eval-seed changes every run (other items), and the report records it', async () => {
  const plan0 = planRuns(highresStudy, 'smoke', 1, SALT);
  const plan7 = planRuns(highresStudy, 'smoke', 1, SALT, { evalSeed: 7 });
  assert.ok(plan0.every((p, i) => p.key !== plan7[i].key));
  assert.ok(plan7.every((p) => (p.config.eval as { seed: number }).seed === 7));
  const out = tmp();
  const o = await runStudy(highresStudy, { scale: 'smoke', evalSeed: 7, outDir: out, runner: syntheticRunner(), salt: SALT });
  assert.match(readFileSync(o.files.markdown, 'utf8'), /- Evaluation items: drawn with eval seed 7/);
  assert.equal(JSON.parse(readFileSync(o.files.json, 'utf8')).evalSeed, 7);
});
