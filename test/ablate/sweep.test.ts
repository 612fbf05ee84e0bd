// A study as a sweep: `--plan` lines run by GNU parallel with two workers on one shared cache,
// every run handed out twice, give the same report as the sequential `mm1 ablate` (tables and
// verdicts byte for byte), each run trained once; `--report-only` names what is missing.
// The runs are the synthetic runner's (test/ablate/synthetic_cli.ts): the property under test is
// the plan, the locks and the assembly, not training. Each mm1 process is a start-up of a few
// seconds, so only the plan, the parallel workers and the final report are processes.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import { codeSalt, RunCache } from '../../src/ablate/cache.js';
import { runOne } from '../../src/ablate/run_one.js';
import { runStudy } from '../../src/ablate/run_study.js';
import { findStudy } from '../../src/ablate/studies/index.js';
import { syntheticRunner } from './synthetic_runner.js';

const hasParallel = spawnSync('parallel', ['--version'], { encoding: 'utf8' }).stdout?.startsWith('GNU parallel');

/** A directory holding an `mm1` that runs `mm1 ablate` with the synthetic runner, as the plan's commands expect on PATH. */
function mm1Bin(dir: string): string {
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  const tsx = fileURLToPath(import.meta.resolve('tsx'));
  const entry = join(import.meta.dirname, 'synthetic_cli.ts');
  writeFileSync(join(bin, 'mm1'), `#!/bin/sh\nexec "${process.execPath}" --import "${tsx}" "${entry}" "$@"\n`);
  chmodSync(join(bin, 'mm1'), 0o755);
  return bin;
}

/** Report sections that hold numbers: the results table, missing runs, the claims and their verdicts (not dates or timings). */
function tablesOf(reportMd: string): string {
  return reportMd.slice(reportMd.indexOf('## Results'), reportMd.indexOf('## Setup'));
}

test(
  'GNU parallel with two workers runs the plan once per run and assembles the sequential report',
  { skip: hasParallel ? false : 'GNU parallel is not installed (apt-get install -y parallel); this test needs it' },
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mm1-sweep-'));
    const env = { ...process.env, PATH: `${mm1Bin(dir)}:${process.env.PATH}`, MM1_TEST_RUN_MS: '1500' };
    const sh = (cmd: string) => execFileSync('sh', ['-c', cmd], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

    // The sequential study, in this process (each mm1 process costs a start-up; the report code is the same).
    await runStudy(findStudy('connector'), {
      scale: 'smoke',
      outDir: join(dir, 'seq'),
      cacheDir: join(dir, 'seq-cache'),
      runner: syntheticRunner(),
      salt: codeSalt(),
    });

    const plan = sh(`mm1 ablate connector --scale smoke --cache ${dir}/cache --plan`).trim().split('\n');
    const n = findStudy('connector').variants('smoke').length;
    assert.ok(n >= 4, `the connector study has ${n} variants; this test needs 4 or more`);
    assert.equal(plan.length, n, `one line per run: ${n} connector variants × 1 seed`);
    for (const line of plan) assert.match(line, new RegExp(`^([0-9a-f]{16})\\tmm1 ablate run \\1 --cache ${dir}/cache$`));
    const seqKeys = readdirSync(join(dir, 'seq-cache')).filter((d) => /^[0-9a-f]{16}$/.test(d));
    assert.deepEqual(new Set(plan.map((l) => l.split('\t')[0])), new Set(seqKeys), 'the plan keys are the sequential run keys (cache keys unchanged)');

    // Two runs done (by key, as `mm1 ablate run` does), the rest missing: the report says which.
    const cache = new RunCache(join(dir, 'cache'));
    for (const line of plan.slice(0, 2)) {
      const key = line.split('\t')[0];
      assert.equal((await runOne({ key, ...cache.planned(key) }, cache, syntheticRunner())).status, 'finished');
    }
    const partial = await runStudy(findStudy('connector'), {
      scale: 'smoke',
      outDir: join(dir, 'partial'),
      cacheDir: join(dir, 'cache'),
      reportOnly: true,
      salt: codeSalt(),
    });
    assert.equal(partial.missing.length, n - 2);
    const partialMd = readFileSync(join(dir, 'partial', 'report.md'), 'utf8');
    assert.match(partialMd, new RegExp(`## Not finished\n\n${n - 2} planned runs have no result yet`));
    for (const line of plan.slice(2)) assert.ok(partialMd.includes(`\`${line.split('\t')[0]}\``), `missing run ${line.split('\t')[0]} is listed`);
    assert.match(partialMd, new RegExp(`Run one with \`mm1 ablate run <key> --cache ${dir}/cache\``));

    // The rest with two workers; the next two runs handed out twice in a row, so both workers
    // start the same run at once (each invocation is a process start, so only two duplicates).
    const rest = plan.slice(2).map((l) => l.split('\t')[1]);
    const jobs = [rest[0], rest[0], rest[1], rest[1], ...rest.slice(2)].join('\n');
    writeFileSync(join(dir, 'jobs.txt'), `${jobs}\n`);
    const outcomes = sh(`parallel -j 2 --halt now,fail=1 < ${dir}/jobs.txt`).trim().split('\n');
    assert.equal(outcomes.length, n);
    const finished = outcomes.filter((o) => / finished in /.test(o));
    assert.equal(finished.length, n - 2, `each of the ${n - 2} unfinished runs ran once:\n${outcomes.join('\n')}`);
    assert.equal(new Set(finished.map((o) => o.split(' ')[0])).size, n - 2);
    assert.ok(
      outcomes.every((o) => / finished in | cached$| held by pid \d+ on .*: skipped$/.test(o)),
      outcomes.join('\n'),
    );
    for (const key of plan.map((l) => l.split('\t')[0])) {
      const log = readFileSync(join(dir, 'cache', key, 'run.log'), 'utf8');
      assert.equal(log.match(/training/g)?.length, 1, `run ${key} was trained once`);
    }

    sh(`mm1 ablate connector --scale smoke --cache ${dir}/cache --out ${dir}/par --report-only`);
    const seq = readFileSync(join(dir, 'seq', 'report.md'), 'utf8');
    const par = readFileSync(join(dir, 'par', 'report.md'), 'utf8');
    assert.ok(tablesOf(seq).includes(`| ${findStudy('connector').variants('smoke')[0].label} |`), 'the compared part holds the results table');
    assert.equal(tablesOf(par), tablesOf(seq), 'same tables and verdicts as the sequential run');
    const stats = (f: string) => (JSON.parse(readFileSync(f, 'utf8')) as { variants: { stats: unknown }[] }).variants.map((v) => v.stats);
    assert.deepEqual(stats(join(dir, 'par', 'study.json')), stats(join(dir, 'seq', 'study.json')));
  },
);
