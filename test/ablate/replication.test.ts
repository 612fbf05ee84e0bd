// `mm1 ablate compare`: hand-made study.json pairs whose readings are known (holds ✔→✔ and ✘→✘,
// not confirmed, reversed, information, not judged), each refusal, the shared-seed warning, and the
// repo's own fresh-seed reports, whose readings docs/results/README.md states.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { compareStudies, readReplicationStudy, replicationMarkdown, type Reading } from '../../src/ablate/replication.js';
import { runCompare } from '../../src/cli/commands/ablate_compare.js';
import { mm1 } from '../helpers/cli.js';

const ROOT = join(import.meta.dirname, '..', '..');
const root = mkdtempSync(join(tmpdir(), 'mm1-replication-'));

type ClaimSpec = [id: string, ci?: [number, number], evidence?: string];

/** A study.json as report.ts writes it (the fields compare reads, plus a few it ignores); returns its directory. */
function study(name: string, seedList: number[], claims: ClaimSpec[], extra: Record<string, unknown> = {}): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  const verdict = (ci?: [number, number]) => (ci && ci[0] > 0 ? 'reproduced' : ci && ci[1] < 0 ? 'not reproduced' : 'inconclusive');
  const json = {
    study: 'encoder',
    title: 'Encoder',
    scale: 'default',
    seeds: seedList.length,
    seedList,
    evalSeed: 0,
    variants: [],
    claims: claims.map(([id, ci, evidence]) => ({
      id,
      text: `claim ${id}`,
      verdict: verdict(ci),
      evidence: evidence ?? '…',
      ...(ci ? { delta: (ci[0] + ci[1]) / 2, ci } : {}),
    })),
    warnings: [],
    seedStd: { 'avg/image@all': 1.2345 },
    ...extra,
  };
  writeFileSync(join(dir, 'study.json'), JSON.stringify(json));
  return dir;
}

const LEFT_OUT = 'Left out: 64 tokens (its 8-shot world-coco prompts held as few as 5 shots).';
const EARLIER: ClaimSpec[] = [
  ['info', [-1, 1]],
  ['up', [1, 3]],
  ['down', [-3, -1]],
  ['fades', [0.1, 2], `+1.05 on avg/image. ${LEFT_OUT}`],
  ['flips', [1, 2]],
  ['dropped', [1, 2]],
];
const LATER: ClaimSpec[] = [
  ['up', [0.5, 2]],
  ['down', [-2, -0.1]],
  ['fades', [-1, 1]],
  ['flips', [-2, -1]],
  ['dropped', undefined, `not decided on avg/image: every variant it reads was left out. ${LEFT_OUT}`],
  ['info', [1, 2]],
];
const earlierDir = study('s0-2', [0, 1, 2], EARLIER);
const laterDir = study('s3-5', [3, 4, 5], LATER, { seedStd: { 'avg/image@all': 2.5 } });

test('each claim reads as the rule says: holds (✔ and ✘), not confirmed, reversed, not judged, information last', () => {
  const x = compareStudies(readReplicationStudy(earlierDir), readReplicationStudy(join(laterDir, 'study.json')));
  const readings: [string, Reading][] = x.rows.map((r) => [r.id, r.reading]);
  assert.deepEqual(readings, [
    ['up', 'holds'],
    ['down', 'holds'],
    ['fades', 'not confirmed'],
    ['flips', 'reversed'],
    ['dropped', 'not judged'],
    ['info', 'information'],
  ]);
  assert.deepEqual(x.sharedSeeds, []);
  assert.equal(
    replicationMarkdown(x),
    [
      '| claim | seeds 0–2 | seeds 3–5 | by the rule |',
      '|---|---|---|---|',
      '| claim up | ✔ +2.00 [+1.00, +3.00] | ✔ +1.25 [+0.500, +2.00] | **holds** |',
      '| claim down | ✘ −2.00 [−3.00, −1.00] | ✘ −1.05 [−2.00, −0.100] | **holds** (stays ✘) |',
      '| claim fades | ✔ +1.05 [+0.100, +2.00] | ? +0.000 [−1.00, +1.00] | **not confirmed** |',
      '| claim flips | ✔ +1.50 [+1.00, +2.00] | ✘ −1.50 [−2.00, −1.00] | **reversed** |',
      '| claim dropped | ✔ +1.50 [+1.00, +2.00] | not judged (see below) | — (not judged: no interval in seeds 3–5; see below) |',
      '| claim info | ? +0.000 [−1.00, +1.00] | ✔ +1.50 [+1.00, +2.00] | — (for information: ? in seeds 0–2) |',
      '',
      'Claims read without some variants, or not decided:',
      '',
      `- \`fades\`, seeds 0–2: +1.05 on avg/image. ${LEFT_OUT}`,
      `- \`dropped\`, seeds 3–5: not decided on avg/image: every variant it reads was left out. ${LEFT_OUT}`,
      '',
      'Seed std of `avg/image@all` over seeds 3–5: 2.50 (seeds 0–2: 1.23).',
      '',
      '*Rule.* A claim whose seeds 0–2 interval excludes 0 **holds** when its seeds 3–5 interval lies on the same side of 0 ' +
        '(✔ stays ✔, ✘ stays ✘), is **not confirmed** when that interval holds 0, and is **reversed** when it lies on the other side; ' +
        'a claim whose seeds 0–2 interval holds 0 is listed for information only.',
      '',
    ].join('\n'),
  );
});

test('a claim without an interval in the earlier report is not judged, not read as ? or ✔; reports without claims compare their spread', () => {
  const before = readReplicationStudy(study('undecided-0', [0], [['c', undefined, 'not decided on avg/image: no avg/image values.']]));
  const after = readReplicationStudy(study('undecided-1', [1], [['c', [1, 2]]]));
  const x = compareStudies(before, after);
  assert.equal(x.rows[0].reading, 'not judged');
  assert.match(
    replicationMarkdown(x),
    /\| claim c \| not judged \(see below\) \| ✔ \+1\.50 \[\+1\.00, \+2\.00\] \| — \(not judged: no interval in seed 0; see below\) \|/,
  );
  const seeds = (seedList: number[]) => readReplicationStudy(study(`seeds-${seedList[0]}`, seedList, [], { study: 'seeds' }));
  assert.match(
    replicationMarkdown(compareStudies(seeds([0, 1, 2]), seeds([3, 4, 5]))),
    /^No claims in seeds's reports \(the seeds study has none\): only the seed spread compares\.\n\nSeed std of `avg\/image@all` over seeds 3–5: 1\.23 \(seeds 0–2: 1\.23\)\./,
  );
});

test('refuses two studies, two scales, two eval seeds, a claim in one report only, and a file that is not a study.json', () => {
  const base = readReplicationStudy(earlierDir);
  const with_ = (o: Record<string, unknown>) => ({ ...readReplicationStudy(laterDir), ...o });
  assert.throws(
    () => compareStudies(base, with_({ study: 'mixture' })),
    /differ in study \(earlier 'encoder', later 'mixture'\): name two reports of one study/,
  );
  assert.throws(
    () => compareStudies(base, with_({ scale: 'smoke' })),
    /differ in scale \(earlier default, later smoke\): rerun the later one with --scale default/,
  );
  assert.throws(
    () => compareStudies(base, with_({ evalSeed: 7 })),
    /differ in eval seed \(earlier 0, later 7\): .*same items; rerun the later one with --eval-seed 0/,
  );
  const fewer = readReplicationStudy(study('fewer', [3, 4, 5], LATER.slice(0, 5)));
  assert.throws(() => compareStudies(base, fewer), /claim 'info' is in the earlier report only: .*--report-only/);
  assert.throws(() => compareStudies(fewer, base), /claim 'info' is in the later report only/);
  const noEvalSeed = study('no-eval-seed', [3], LATER, { evalSeed: undefined });
  assert.throws(
    () => readReplicationStudy(noEvalSeed),
    /study file .*no-eval-seed\/study\.json does not have the expected shape:\n {2}evalSeed: expected number, but the field is missing/,
  );
  const other = join(root, 'result.json');
  writeFileSync(other, JSON.stringify({ metrics: {} }));
  assert.throws(
    () => readReplicationStudy(other),
    /study file .*result\.json does not have the expected shape:\n {2}study: expected string, but the field is missing/,
  );
});

test('shared seeds are a warning, in the Markdown and on stderr, not a refusal; --out writes the file', async () => {
  const overlapping = study('s2-4', [2, 3, 4], LATER);
  const x = compareStudies(readReplicationStudy(earlierDir), readReplicationStudy(overlapping));
  assert.deepEqual(x.sharedSeeds, [2]);
  const warning =
    'the two reports share seed 2, so the later one is not a fresh-seed replication: its intervals reuse runs the earlier one read. Rerun with --first-seed 3.';
  assert.ok(replicationMarkdown(x).startsWith(`**Warning:** ${warning}\n\n| claim | seeds 0–2 | seeds 2–4 |`));
  const out = join(root, 'out', 'compare.md');
  const r = await mm1(['ablate', 'compare', earlierDir, overlapping, '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stderr.replace(/npm warn.*\n/g, ''), `warning: ${warning}\nwrote ${out}\n`);
  assert.equal(readFileSync(out, 'utf8'), replicationMarkdown(x));
  assert.throws(
    () => runCompare([earlierDir], undefined),
    /mm1 ablate compare takes two reports, the earlier and the later, got 1: .*s0-2; e\.g\. mm1 ablate compare/,
  );
  const mixture = study('mixture', [3], LATER, { study: 'mixture' });
  assert.throws(
    () => runCompare([earlierDir, mixture], undefined),
    new RegExp(`mm1 ablate compare ${earlierDir} ${mixture}: the two reports differ in study \\(earlier 'encoder', later 'mixture'\\)`),
  );
});

test("the repo's fresh-seed reports read as docs/results/README.md says", () => {
  const compare = (name: string) => {
    const x = compareStudies(
      readReplicationStudy(join(ROOT, 'docs/results/default', name)),
      readReplicationStudy(join(ROOT, 'docs/results/default', `${name}-seeds3-5`)),
    );
    return Object.fromEntries(x.rows.map((r) => [r.id, r.reading]));
  };
  assert.deepEqual(compare('mixture'), {
    'captions-zero-shot': 'holds',
    'interleaved-few-shot': 'holds',
    'text-keeps-text': 'holds',
    'interleaved-text': 'information',
    'text-few-shot': 'information',
    'synthetic-few-shot': 'information',
  });
  assert.deepEqual(compare('encoder'), { 'resolution-helps': 'holds', 'size-helps': 'not confirmed', 'resolution-over-size': 'information' });
});
