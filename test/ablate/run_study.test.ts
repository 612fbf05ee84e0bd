import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runStudy, progressLine, type StudyEvent } from '../../src/ablate/run_study.js';
import { planRuns } from '../../src/ablate/plan.js';
import { encoderStudy } from '../../src/ablate/studies/encoder.js';
import { syntheticRunner } from './synthetic_runner.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'mm1-ablate-'));
const SALT = 'test-salt';

test('a rerun takes every run from the cache: the runner is called zero times and the numbers are identical', async () => {
  const out = tmp();
  const first = syntheticRunner();
  const a = await runStudy(encoderStudy, { scale: 'smoke', seeds: 2, outDir: out, runner: first, salt: SALT });
  assert.equal(first.calls.length, 12, '6 variants × 2 seeds');
  assert.equal(a.freshRuns, 12);
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
  assert.equal(b.cachedRuns, 12);
  assert.deepEqual(b.results.variants.map((v) => v.stats), a.results.variants.map((v) => v.stats));
  assert.ok(events.every((e) => e.type === 'cached'));
  assert.match(progressLine(events[0]), /^\[ 1\/12\] res32-small seed 0: cached/);

  // A different salt (e.g. a new mm1 version) means fresh runs.
  const third = syntheticRunner();
  await runStudy(encoderStudy, { scale: 'smoke', seeds: 1, outDir: out, runner: third, salt: 'other' });
  assert.equal(third.calls.length, 6);
});

test('an interrupted study resumes: only the missing runs run again, the broken one in its old directory', async () => {
  const out = tmp();
  const crashing = syntheticRunner({ failOnCall: 4 });
  await assert.rejects(
    runStudy(encoderStudy, { scale: 'smoke', seeds: 1, outDir: out, runner: crashing, salt: SALT }),
    (e: Error) => /run 4 of 6 \(variant 'res64-large', seed 0, dir .*\) failed: simulated crash/.test(e.message) && /rerun the same command to continue/.test(e.message),
  );
  const plan = planRuns(encoderStudy, 'smoke', 1, SALT);
  const brokenDir = join(out, 'runs', plan[3].key);
  assert.ok(existsSync(join(brokenDir, 'config.json')) && !existsSync(join(brokenDir, 'result.json')));

  const resumed = syntheticRunner();
  const events: StudyEvent[] = [];
  const outcome = await runStudy(encoderStudy, { scale: 'smoke', seeds: 1, outDir: out, runner: resumed, salt: SALT, onEvent: (e) => events.push(e) });
  assert.deepEqual(resumed.calls.map((c) => c.runDir), plan.slice(3).map((p) => join(out, 'runs', p.key)));
  assert.equal(outcome.cachedRuns, 3);
  assert.equal(outcome.freshRuns, 3);
  // ETA: unknown only before anything ran; here the cached runs already give a rate.
  const starts = events.filter((e) => e.type === 'start');
  assert.ok(starts.every((e) => e.etaSeconds !== undefined && e.etaSeconds > 0));
  const lastDone = events.filter((e) => e.type === 'done').at(-1)!;
  assert.equal(lastDone.etaSeconds, 0);
});

test('a runner returning a non-finite metric stops the study with the field named, and nothing is cached', async () => {
  const out = tmp();
  const bad = async () => ({ metrics: { 'caption/cider': { '0': NaN } }, wallSeconds: 1 });
  await assert.rejects(runStudy(encoderStudy, { scale: 'smoke', outDir: out, runner: bad, salt: SALT }), /not a valid run result:\n  metrics\.caption\/cider\.0: .*NaN/);
  const plan = planRuns(encoderStudy, 'smoke', 1, SALT);
  assert.equal(existsSync(join(out, 'runs', plan[0].key, 'result.json')), false);
});
