// `mm1 ablate A B … --workers N`: several studies in one pool of workers. Each study's report is
// the one the study alone writes (up to the invocation's date and elapsed time, and the temp
// folder), written as soon as its last run finishes; a run two studies hold runs once; a failing
// run of one study is named while the other study still gets its report; the ETA packs the runs
// left onto the workers (hand-checked). Runs are the synthetic runner's (test/ablate/synthetic_cli.ts).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { codeSalt, RunCache } from '../../src/ablate/cache.js';
import { packedSeconds } from '../../src/ablate/packed_eta.js';
import { planRuns } from '../../src/ablate/plan.js';
import { poolPlan } from '../../src/ablate/pool_plan.js';
import { findStudy } from '../../src/ablate/studies/index.js';
import { studiesNamed } from '../../src/cli/commands/ablate_several.js';
import { parseOnly } from './parse_only.js';

const tsx = fileURLToPath(import.meta.resolve('tsx'));
const entry = join(import.meta.dirname, 'synthetic_cli.ts');

function mm1(args: string[], env: Record<string, string> = {}) {
  const { MM1_ORT_THREADS: _unset, ...base } = process.env;
  return spawnSync(process.execPath, ['--import', tsx, entry, ...args], { env: { ...base, ...env }, encoding: 'utf8' });
}

test('the ETA packs the runs left onto the workers in hand-out order (hand-checked)', () => {
  // One 600 s run left on 2 workers: 600 s, where the remaining seconds ÷ N said 300.
  assert.equal(packedSeconds([600], [], 2), 600);
  // Runs under way with 50 s and 500 s left, two 100 s runs queued: both go to the worker that
  // frees at 50 (→ 150, → 250); the other finishes at 500. Sum ÷ 2 would say 375.
  assert.equal(packedSeconds([50, 500], [100, 100], 2), 500);
  // Hand-out order counts: 200 s under way, then 100 and 300 queued: 100 goes to the idle worker
  // (→ 100), 300 to it again when it frees first (→ 400). Longest first would have said 300.
  assert.equal(packedSeconds([200], [100, 300], 2), 400);
  // Even work divides evenly: four 100 s runs on 2 workers take 200 s; on 1 worker, the sum.
  assert.equal(packedSeconds([], [100, 100, 100, 100], 2), 200);
  assert.equal(packedSeconds([30], [100, 100], 1), 230);
  // A run past its estimate counts as ending now, not as negative time.
  assert.equal(packedSeconds([-20, 10], [], 2), 10);
  assert.throws(() => packedSeconds([1, 2, 3], [], 2), /3 runs under way on 2 workers/);
  assert.throws(() => packedSeconds([], [], 0), /workers must be a whole number ≥ 1, got 0/);
});

test('the pool lists a run that two studies hold once, owned by both, in the studies’ order', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mm1-poolplan-'));
  const [connector, mixture] = [findStudy('connector'), findStudy('mixture')];
  const salt = codeSalt();
  const keys = (name: string) => planRuns(findStudy(name), 'smoke', 1, salt).map((r) => r.key);
  const shared = keys('connector').filter((k) => keys('mixture').includes(k));
  assert.equal(shared.length, 1, 'the base run (C-Abstractor 16 tokens, 45:45:10) is in both');
  const entries = [
    { study: connector, outDir: join(dir, 'connector') },
    { study: mixture, outDir: join(dir, 'mixture') },
  ];
  const cache = new RunCache(join(dir, 'cache'));
  const pool = poolPlan(entries, 'smoke', salt, {}, cache);
  assert.deepEqual(
    pool.runs.map((r) => r.key),
    [...keys('connector'), ...keys('mixture').filter((k) => !shared.includes(k))],
  );
  assert.deepEqual(
    pool.runs.find((r) => r.key === shared[0])!.owners.map((o) => o.study.name),
    ['connector', 'mixture'],
  );
  assert.deepEqual(pool.keysOf.get(entries[1]), keys('mixture'));
  for (const key of pool.runs.map((r) => r.key)) assert.ok(cache.planned(key), `run ${key} is recorded for \`mm1 ablate run\``);
  assert.throws(() => poolPlan([entries[0], entries[0]], 'smoke', salt, {}, cache), /study 'connector' is named twice/);
});

/** A report file with what differs between invocations blanked: the temp root, the date, the invocation's time and run wall times. */
function normalised(file: string, root: string): string {
  const text = readFileSync(file, 'utf8').replaceAll(root, '<root>');
  if (file.endsWith('.json')) {
    return JSON.stringify(JSON.parse(text), (k, v: unknown) => (['date', 'elapsedSeconds', 'computeSeconds', 'wallSeconds'].includes(k) ? '<time>' : v), 1);
  }
  return text
    .replace(/\d{4}-\d\d-\d\d \d\d:\d\d UTC/g, '<date>')
    .replace(/(Total wall time\W+)[^\n]*/g, '$1<time>')
    .replace(/this invocation took [^<\n|]*/g, '<time>');
}

/** Every file of a report folder (report.md, report.html, study.json, figures/), worker logs aside. */
function reportFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .filter((f) => !f.startsWith('worker-logs') && /\.(md|html|json|svg)$/.test(f))
    .sort();
}

test('two studies in one pool: each report is the one the study alone writes, written when its last run is done; the shared run runs once', () => {
  const root = mkdtempSync(join(tmpdir(), 'mm1-pool-'));
  const pool = join(root, 'pool');
  const r = mm1(['ablate', 'connector', 'mixture', '--scale', 'smoke', '--workers', '2', '--out', pool]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(
    r.stderr,
    /mm1 ablate connector mixture --scale smoke --out \S+\n2 studies \(connector, mixture\): reports in \S+\/<study>, runs in \S+\/pool\/cache\n/,
  );
  assert.match(r.stderr, /2 workers, each run .*; 0 of 9 runs cached, 1 of them in more than one study; logs in \S+\/pool\/worker-logs/);
  // Until a run finishes the ETA is the cost model's, packed for 2 workers; then it is calibrated by the finished runs.
  assert.match(r.stderr, /^\[0\/9 done\] connector\/\S+ seed 0: started on worker 1, .* \| ETA ~\S+ \(cost model for 2 workers until a run finishes\)$/m);
  assert.match(r.stderr, /^\[1\/9 done\] .*: done in .* \| ETA \d[^ ]*$/m);
  const shared = planRuns(findStudy('connector'), 'smoke', 1, codeSalt())[1];
  const log = readFileSync(join(pool, 'cache', shared.key, 'run.log'), 'utf8');
  assert.equal(log.match(/training/g)?.length, 1, 'the shared base run was trained once');
  // Each study's report is written as soon as its last run is done: no other run ends in between
  // (only runs handed out meanwhile are started), whatever the order the runs happen to end in —
  // which of the two studies finishes first depends on the workers' timing, so neither is assumed.
  const lines = r.stderr.split('\n');
  // The shared run is one of both studies' runs; the pool names it by its first owner, connector.
  const sharedLabel = `] connector/${shared.variant.id} seed 0: done in `;
  const reportLines = ['connector', 'mixture'].map((name) => {
    const isOwnRun = (l: string) => l.includes(sharedLabel) || (l.includes(`] ${name}/`) && l.includes(' seed 0: done in '));
    const lastRun = Math.max(...lines.map((l, i) => (isOwnRun(l) ? i : -1)));
    const report = lines.findIndex((l) => new RegExp(`^report of ${name} \\([12] of 2 studies\\): `).test(l));
    assert.ok(lastRun > 0 && report > lastRun, `${name}: report after its last run\n${r.stderr}`);
    assert.deepEqual(
      lines.slice(lastRun + 1, report).filter((l) => l.includes(': done in ')),
      [],
      `no run ends between ${name}’s last run and its report`,
    );
    return lines[report];
  });
  assert.deepEqual(reportLines.map((l) => /\(([12]) of 2/.exec(l)![1]).sort(), ['1', '2'], 'the reports are counted 1 and 2 of 2');
  // Each study's summary goes to stdout as its report is written, so in the order the studies finish.
  assert.match(r.stdout, /Vision-language connector.*: 5 runs \(5 new, 0 cached\)/);
  assert.match(r.stdout, /Pretraining data mixture: 5 runs \(5 new, 0 cached\)/);

  // Each study alone, in one process, on a fresh cache of its own (so the shared run counts as run now, as in the pool), laid out as the pool's.
  for (const name of ['connector', 'mixture']) {
    const alone = join(root, `alone-${name}`);
    const a = mm1(['ablate', name, '--scale', 'smoke', '--out', join(alone, name), '--cache', join(alone, 'cache')]);
    assert.equal(a.status, 0, a.stderr);
    const files = reportFiles(join(pool, name));
    assert.deepEqual(files, reportFiles(join(alone, name)));
    assert.ok(files.includes('report.md') && files.includes('study.json') && files.some((f) => f.endsWith('.svg')), files.join(' '));
    for (const f of files)
      assert.equal(normalised(join(pool, name, f), pool), normalised(join(alone, name, f), alone), `${name}/${f} is the report the study alone writes`);
  }
  const mixtureReport = readFileSync(join(pool, 'mixture', 'report.md'), 'utf8');
  assert.ok(
    mixtureReport.includes(`mm1 ablate mixture --scale smoke --seeds 1 --out ${pool}/mixture --cache ${pool}/cache`),
    'the report shows its study’s own command',
  );

  const dry = mm1(['ablate', 'connector', 'mixture', '--scale', 'smoke', '--out', pool, '--dry-run']);
  assert.equal(dry.status, 0, dry.stderr);
  assert.match(dry.stdout, /2 studies: 9 distinct runs \(1 of them in more than one study, run once\), 0 to run/);
});

test('a failing run of one study is named with its study; the other study still gets its report; the rerun finishes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mm1-pool-fail-'));
  const bad = planRuns(findStudy('highres'), 'smoke', 1, codeSalt())[2];
  const args = ['ablate', 'highres', 'connector', '--scale', 'smoke', '--workers', '2', '--out', dir];
  const r = mm1(args, { MM1_TEST_FAIL_KEY: bad.key });
  assert.equal(r.status, 1, r.stderr);
  assert.match(
    r.stderr,
    new RegExp(
      `mm1: 1 of 8 runs failed; the other 7 finished and are cached; reports written for connector:\n  highres/${bad.variant.id} seed 0 \\(${bad.key}, in highres\\): simulated failure of run ${bad.key}\n    log: \\S+/worker-logs/worker-[12]\\.log`,
    ),
  );
  assert.match(r.stderr, /Rerun to retry the failed runs .*: mm1 ablate highres connector --scale smoke --out \S+ --workers 2\n/);
  assert.ok(existsSync(join(dir, 'connector', 'report.md')), 'the study whose runs all finished has its report');
  assert.ok(!existsSync(join(dir, 'highres', 'report.md')), 'no report for the study with a missing run');
  const again = mm1(args);
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, /High-resolution fine-tuning: 3 runs \(1 new, 2 cached\)/);
});

test('a bad or repeated study name is named with the valid ones; pretraining names encoder, connector and mixture', async () => {
  await assert.rejects(
    parseOnly(['ablate', 'connector', 'encodr', '--dry-run']),
    /unknown study 'encodr'; choose one or more of: encoder, connector, mixture, highres, highres-mixedres, sft-connector, sft-mixture, seeds, or all for every study/,
  );
  await assert.rejects(parseOnly(['ablate', 'all', 'seeds', '--dry-run']), /study 'seeds' is asked for twice \(all seeds\); name each study once/);
  // 'pretraining' names MM1's pretraining ablations, in --list's order.
  assert.deepEqual(
    studiesNamed(['pretraining', 'highres']).map((s) => s.name),
    ['encoder', 'connector', 'mixture', 'highres'],
  );
  assert.throws(() => studiesNamed(['connector', 'pretraining']), /study 'connector' is asked for twice \(connector pretraining\)/);
  await assert.rejects(
    parseOnly(['ablate', 'pretrain', '--dry-run']),
    /or all for every study, pretraining for MM1's pretraining ablations \(encoder connector mixture\)/,
  );
});
