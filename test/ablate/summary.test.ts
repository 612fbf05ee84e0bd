// `mm1 ablate summary DIR...` on hand-made study.json files: one row per claim with Δ, 95% CI,
// verdict, seeds and report link; a study without claims gives its seed spread; a report made
// before all runs finished is flagged; a bad path or file names itself and the fix.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { mm1 } from '../helpers/cli.js';

function study(root: string, name: string, json: Record<string, unknown>): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'study.json'), JSON.stringify({ title: name, evalSeed: 0, variants: [], warnings: [], ...json }));
  return dir;
}

test('mm1 ablate summary tabulates the claims of several studies and the spread of the seeds study', async () => {
  const root = mkdtempSync(join(tmpdir(), 'mm1-summary-'));
  const encoder = study(root, 'encoder-default', {
    study: 'encoder',
    scale: 'default',
    seeds: 3,
    seedList: [0, 1, 2],
    claims: [
      { id: 'resolution-helps', text: 'Higher input resolution gives better results', verdict: 'reproduced', evidence: '…', delta: 4.1234, ci: [1.05, 7.2] },
      { id: 'size-helps', text: 'A larger encoder helps, though less', verdict: 'inconclusive', evidence: '…', delta: -0.456, ci: [-1.2, 0.3] },
      { id: 'resolution-over-size', text: 'Image resolution has the highest impact', verdict: 'inconclusive', evidence: 'no run pairs' },
    ],
  });
  const connector = study(root, 'connector-smoke', {
    study: 'connector',
    scale: 'smoke',
    seeds: 2,
    seedList: [3, 5],
    claims: [{ id: 'tokens-help', text: 'More image tokens give better results', verdict: 'not reproduced', evidence: '…', delta: -12.5, ci: [-20.25, -3] }],
    missing: [{ variant: 'avgpool-16', seed: 5, key: '0123456789abcdef' }],
  });
  const seeds = study(root, 'seeds-default', {
    study: 'seeds',
    scale: 'default',
    seeds: 3,
    seedList: [0, 1, 2],
    claims: [],
    seedStd: { 'avg/image@all': 0.9044, 'avg/text@all': 5.0021 },
  });
  const r = await mm1(['ablate', 'summary', encoder, connector, join(seeds, 'study.json'), '--links-from', root]);
  assert.equal(r.stderr.replace(/npm warn.*\n/g, ''), '');
  assert.equal(
    r.stdout,
    [
      '| study | claim | Δ | 95% CI | verdict | seeds | report |',
      '| --- | --- | ---: | :---: | --- | --- | --- |',
      '| encoder | Higher input resolution gives better results | +4.12 | [+1.05, +7.20] | ✔ reproduced | 3 (seeds 0–2) | [report](encoder-default/report.md) |',
      '| encoder | A larger encoder helps, though less | −0.456 | [−1.20, +0.300] | ? inconclusive | 3 (seeds 0–2) | [report](encoder-default/report.md) |',
      '| encoder | Image resolution has the highest impact | – | – | ? inconclusive | 3 (seeds 0–2) | [report](encoder-default/report.md) |',
      '| connector (smoke) | More image tokens give better results | −12.5 | [−20.3, −3.00] | ✘ not reproduced | 2 (seeds 3, 5) | [report](connector-smoke/report.md) |',
      '',
      '| study | measure | pooled seed std (points) | seeds | report |',
      '| --- | --- | ---: | --- | --- |',
      '| seeds | `avg/image@all` | 0.904 | 3 (seeds 0–2) | [report](seeds-default/report.md) |',
      '| seeds | `avg/text@all` | 5.00 | 3 (seeds 0–2) | [report](seeds-default/report.md) |',
      '',
      'connector (smoke): 1 planned run had not finished; its claims read the finished ones only.',
      '',
    ].join('\n'),
  );
});

test('mm1 ablate summary names a directory without study.json, and a study.json missing a field', async () => {
  const root = mkdtempSync(join(tmpdir(), 'mm1-summary-bad-'));
  const none = await mm1(['ablate', 'summary', join(root, 'nothing')]);
  assert.equal(none.code, 1);
  assert.match(none.stderr, /nothing does not exist: name a study's --out directory .*--report-only/);
  const broken = study(root, 'broken', { study: 'x', scale: 'default', seeds: 1, seedList: [0], claims: [{ id: 'c', text: 't', verdict: 'maybe' }] });
  const bad = await mm1(['ablate', 'summary', broken]);
  assert.match(
    bad.stderr,
    /study file .*broken\/study\.json does not have the expected shape:\n {2}claims\[0\]\.verdict: Invalid option: expected one of "reproduced"\|"not reproduced"\|"inconclusive"/,
  );
  assert.match((await mm1(['ablate', 'summary'])).stderr, /mm1 ablate summary needs the studies' --out directories/);
});
