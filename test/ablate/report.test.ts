import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runStudy } from '../../src/ablate/run_study.js';
import { encoderStudy } from '../../src/ablate/studies/encoder.js';
import { highresStudy } from '../../src/ablate/studies/highres.js';
import { mixtureStudy } from '../../src/ablate/studies/mixture.js';
import { seedsStudy } from '../../src/ablate/studies/seeds.js';
import { syntheticRunner } from './synthetic_runner.js';

test('the report: table rows for every variant, the figure inline and on disk, claims with numbers, the command', async () => {
  const out = mkdtempSync(join(tmpdir(), 'mm1-report-'));
  const date = new Date('2025-03-14T09:30:00Z');
  const o = await runStudy(encoderStudy, { scale: 'smoke', seeds: 2, outDir: out, runner: syntheticRunner(), salt: 'x', now: () => date });
  for (const f of [o.files.markdown, o.files.html, o.files.json, ...o.files.figures]) assert.ok(existsSync(f), f);
  assert.deepEqual(o.files.figures, [join(out, 'figures', 'encoder.svg')]);

  const md = readFileSync(o.files.markdown, 'utf8');
  assert.match(md, /^# MM1 ablation: Image encoder: resolution and size/);
  // One table per shot count, the average first: 0-shot has the text task too.
  assert.match(md, /### 0-shot\n\n\| Variant \| avg\/image \| caption\/cider \| vqa\/accuracy \| text\/mc_acc \|\n/);
  assert.match(md, /### 8-shot\n\n\| Variant \| avg\/image \| caption\/cider \| vqa\/accuracy \|\n/);
  assert.doesNotMatch(md, /avg\/text/, 'an average of a single text task is not repeated');
  for (const v of encoderStudy.variants('smoke')) {
    const rows = md.split('\n').filter((l) => l.startsWith(`| ${v.label} |`) && l.includes(' ± '));
    // A row per shot table (0/4/8); 2 seeds: every cell is mean ± std; 10 metric columns in all.
    assert.equal(rows.length, 3, `rows for ${v.label}`);
    assert.equal(rows.join('').match(/\d ± \d/g)?.length, 10, rows.join('\n'));
  }
  // Best per column in bold: 128 px with the large encoder wins everywhere in the synthetic world.
  for (const row of md.split('\n').filter((l) => l.startsWith('| 128 px, large encoder |') && l.includes(' ± ')))
    assert.match(row, /^\| 128 px, large encoder \| \*\*/);
  assert.match(md, /!\[Image encoder: resolution and size\]\(figures\/encoder\.svg\)/);
  assert.match(
    md,
    /- ✔ \*\*reproduced\*\*: Image resolution has the highest impact, followed by model size — \+\d+\.\d+ resolution effect \(32 → 128 px\) vs \+\d\.\d+ size effect \(small → large\)/,
  );
  assert.match(md, /```sh\nmm1 ablate encoder --scale smoke --seeds 2 --out \S+\n```/);
  assert.match(md, /- Date: 2025-03-14 09:30 UTC/);
  assert.match(md, /- Runs: 8 \(8 run now, 0 from the cache\)/);
  assert.match(md, /- Total wall time: \d+s of training \+ evaluation/);
  assert.match(
    md,
    /\*Rule\.\* .*paired percentile bootstrap.*Interval entirely above 0: ✔ reproduced; entirely below 0: ✘ not reproduced; containing 0: \? inconclusive/,
  );
  // The claims table: id, Δ, 95% CI and verdict per claim, the same numbers as study.json.
  assert.match(
    md,
    /\| claim \| Δ \| 95% CI \| verdict \|\n\| --- \| ---: \| :---: \| --- \|\n\| resolution-helps \| \+\d+\.\d+ \| \[\+\d+\.\d+, \+\d+\.\d+\] \| ✔ reproduced \|/,
  );
  assert.match(
    md,
    /- Seeds per variant: 2 \(training seeds 0, 1\)\n- Evaluation items: drawn with eval seed 0: the same items and shots for every variant and seed/,
  );
  assert.match(md, /\| `model\.vision\.imageSize` \|/, 'the setup table lists the config keys that vary');

  const html = readFileSync(o.files.html, 'utf8');
  const svg = readFileSync(o.files.figures[0], 'utf8');
  assert.match(svg, /^<svg/);
  assert.ok(html.includes(svg), 'the HTML embeds the same SVG');
  assert.match(html, /<th colspan="3">caption\/cider<\/th>/);
  assert.match(html, /<th scope="row">32 px, small encoder<\/th>/);
  assert.equal((svg.match(/class="mark-line role-mark/g) ?? []).length, 6, 'a line per encoder size in each 0/4/8-shot panel');
  assert.equal((svg.match(/class="mark-rule role-mark/g) ?? []).length, 3, 'error bars in each panel (2 seeds)');
  assert.match(svg, /encoder large/);

  const json = JSON.parse(readFileSync(o.files.json, 'utf8'));
  assert.equal(json.variants.length, 4);
  assert.equal(json.claims[0].verdict, 'reproduced');
  assert.ok(
    json.claims.every((c: { delta: number; ci: [number, number] }) => c.ci[0] <= c.delta && c.delta <= c.ci[1]),
    'every claim has Δ inside its CI',
  );
  assert.equal(json.evalSeed, 0);
  assert.deepEqual(json.seedList, [0, 1]);
  assert.equal(json.variants[0].runs[0].items, undefined, 'per-item scores stay in the run directories, not in study.json');
  assert.match(html, /<th>95% CI<\/th>/);
});

test('mixture report: bars with a text-only panel, and one seed means no ± and no error bars', async () => {
  const out = mkdtempSync(join(tmpdir(), 'mm1-report-'));
  const o = await runStudy(mixtureStudy, { scale: 'smoke', outDir: out, runner: syntheticRunner(), salt: 'x' });
  const md = readFileSync(o.files.markdown, 'utf8');
  assert.doesNotMatch(md, /\d ± \d/);
  assert.match(md, /One seed, so no spread/);
  assert.match(md, /one seed, so no error bars/);
  const svg = readFileSync(o.files.figures[0], 'utf8');
  for (const panel of ['image tasks 0-shot', 'image tasks 8-shot', 'text-only tasks']) assert.ok(svg.includes(panel), panel);
  assert.match(svg, /role-mark/);
  assert.equal(o.claims.length, 6);
});

test('warnings the runs return are listed once per message, with the runs that gave them', async () => {
  const out = mkdtempSync(join(tmpdir(), 'mm1-report-'));
  const o = await runStudy(highresStudy, { scale: 'smoke', outDir: out, runner: syntheticRunner(), salt: 'x' });
  const md = readFileSync(o.files.markdown, 'utf8');
  assert.match(md, /## Notes from the runs\n\n- 2×2 sub-images of 32 px \+ overview — world-coco 8-shot: at most 4 shots fit; using k = 4\.\n/);
  assert.match(readFileSync(o.files.html, 'utf8'), /<h2>Notes from the runs<\/h2>\n<ul><li>2×2 sub-images of 32 px \+ overview — world-coco/);
  assert.deepEqual(JSON.parse(readFileSync(o.files.json, 'utf8')).warnings, [
    { variant: '2×2 sub-images of 32 px + overview', seed: 0, message: 'world-coco 8-shot: at most 4 shots fit; using k = 4.' },
  ]);
  const mixture = await runStudy(mixtureStudy, { scale: 'smoke', outDir: mkdtempSync(join(tmpdir(), 'mm1-report-')), runner: syntheticRunner(), salt: 'x' });
  assert.doesNotMatch(readFileSync(mixture.files.markdown, 'utf8'), /Notes from the runs/, 'no section without warnings');
});

test('the seeds study: one base variant over 3 seeds, the report states the seed std of every claim measure', async () => {
  const out = mkdtempSync(join(tmpdir(), 'mm1-report-'));
  const o = await runStudy(seedsStudy, { scale: 'smoke', outDir: out, runner: syntheticRunner({ noise: 1 }), salt: 'x' });
  assert.equal(o.runs.length, 3);
  const md = readFileSync(o.files.markdown, 'utf8');
  assert.match(
    md,
    /## Seed spread\n\nPooled std over seeds[^\n]*\n\n- `avg\/image@all`: [\d.]+\n- `avg\/image@0`: [\d.]+\n- `avg\/image@few`: [\d.]+\n- `avg\/text@all`: [\d.]+\n/,
  );
  const stds = JSON.parse(readFileSync(o.files.json, 'utf8')).seedStd as Record<string, number>;
  assert.deepEqual(Object.keys(stds), ['avg/image@all', 'avg/image@0', 'avg/image@few', 'avg/text@all']);
  // The synthetic runner adds noise of std 1 to every metric: averaged scores scatter less, but not zero.
  for (const [k, v] of Object.entries(stds)) assert.ok(v > 0.05 && v < 3, `${k}: ${v}`);
});
