// The SFT-transfer studies (src/ablate/studies/sft_*.ts): what they plan, how the SFT suite's
// samples become per-item scores, and that the connector claim reads "vanish" the right way
// round on hand-made numbers.
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { aggregate, type RunRecord } from '../../src/ablate/aggregate.js';
import { flatten } from '../../src/ablate/config_paths.js';
import type { RunResult } from '../../src/ablate/runner.js';
import { sftConnectorStudy } from '../../src/ablate/studies/sft_connector.js';
import { reduceSamples, SFT_SUITE_ROWS } from '../../src/ablate/studies/sft_suite.js';
import { evaluateSftSuite } from '../../src/jobs/sft_suite_eval.js';
import { mm1 } from '../helpers/cli.js';
import { fakeModel } from '../eval/models.js';

test("mm1 ablate --dry-run lists the SFT-transfer runs; the mixture study reuses the connector study's C-Abstractor run", async () => {
  const connector = await mm1(['ablate', 'sft-connector', '--scale', 'smoke', '--dry-run', '--out', '/nonexistent/c', '--cache', '/nonexistent/cache']);
  assert.equal(connector.code, 0, connector.stderr);
  const ids = [...connector.stdout.matchAll(/^ +\d+ +(\S+) +seed 0 +([0-9a-f]{16})/gm)].map((m) => [m[1], m[2]]);
  assert.deepEqual(
    ids.map(([id]) => id),
    ['avgpool-pretrained', 'avgpool-sft', 'attnpool-pretrained', 'attnpool-sft', 'cabstractor-pretrained', 'cabstractor-sft'],
  );
  assert.match(connector.stdout, /6 runs, 6 to run: 720 training steps/);
  const mixture = await mm1(['ablate', 'sft-mixture', '--scale', 'smoke', '--dry-run', '--out', '/nonexistent/m', '--cache', '/nonexistent/cache']);
  const mixIds = [...mixture.stdout.matchAll(/^ +\d+ +(\S+) +seed 0 +([0-9a-f]{16})/gm)].map((m) => [m[1], m[2]]);
  assert.deepEqual(
    mixIds.map(([id]) => id),
    ['caption-only', 'interleaved-only', 'mm1-45-45-10'],
  );
  assert.equal(mixIds[2][1], ids[5][1], 'the 45:45:10 fine-tuned run is the C-Abstractor fine-tuned run: one cache entry');
});

test('fine-tuned variants run the SFT suite at 0 shots; pretrained-only ones skip fine-tuning but keep its shared pretraining', () => {
  const [pre, sft] = sftConnectorStudy
    .variants('smoke')
    .slice(0, 2)
    .map((v) => flatten(v.config));
  assert.deepEqual([pre['sft.steps'], pre['eval.suite'], pre['eval.shots']], [0, undefined, [0]]);
  assert.deepEqual([sft['sft.steps'], sft['eval.suite'], sft['eval.shots']], [40, 'sft', [0]]);
  const pretraining = (c: Record<string, unknown>) => JSON.stringify(Object.entries(c).filter(([k]) => !k.startsWith('sft.') && !k.startsWith('eval.')));
  assert.equal(pretraining(pre), pretraining(sft));
});

test('SFT-suite item scores: CircularEval per question, MME (acc + acc+)/2 per picture, VQA and POPE per question', () => {
  const circular = reduceSamples(
    [
      { id: 'q0#0', score: 100 },
      { id: 'q0#1', score: 100 },
      { id: 'q1#0', score: 100 },
      { id: 'q1#1', score: 0 },
    ],
    'circular',
  );
  assert.deepEqual(circular, { q0: 100, q1: 0 });
  const mme = reduceSamples(
    [
      { id: 'p0#yes', score: 100 },
      { id: 'p0#no', score: 100 },
      { id: 'p1#yes', score: 100 },
      { id: 'p1#no', score: 0 },
      { id: 'p2#no', score: 0 },
      { id: 'p2#yes', score: 0 },
    ],
    'picture-pair',
  );
  assert.deepEqual(mme, { p0: 100, p1: 25, p2: 0 });
  assert.throws(() => reduceSamples([{ id: 'world:test:vqav2:3', score: 30 }], 'circular'), /sample id world:test:vqav2:3 has no '#<round>' part/);
});

test('evaluateSftSuite: a model that always says "yes" scores 50 on POPE, 25 on MME pairs, 0 on CircularEval; metrics are item means', async () => {
  const { metrics, items } = await evaluateSftSuite(
    fakeModel(() => 'yes'),
    { seed: 0, limit: 10, outDir: mkdtempSync(join(tmpdir(), 'sft-suite-')), onWarning: () => {} },
  );
  assert.deepEqual(
    Object.keys(metrics),
    SFT_SUITE_ROWS.map((r) => r.key),
  );
  assert.equal(metrics['pope-popular/accuracy']['0'], 50);
  assert.equal(metrics['mme/score']['0'], 25);
  assert.equal(metrics['mmbench/circular']['0'], 0);
  assert.equal(Object.keys(items['mme/score']['0']).length, 5, '10 questions = 5 pictures');
  assert.equal(Object.keys(items['mmbench/circular']['0']).length, 10, '10 questions, each asked in every shift');
  assert.ok(
    Object.keys(items['vqa/accuracy']['0']).every((k) => k.startsWith('0/world:test:vqav2:')),
    'keyed as the pretraining runs key the same items',
  );
});

/** Per-item vqa/accuracy of each connector × stage: `gap[stage]` points between neighbouring connectors. */
function results(gap: { pretrained: number; sft: number }) {
  const variants = sftConnectorStudy.variants('smoke');
  const base = [20, 55, 70, 35, 90, 10, 45, 60];
  const runs: RunRecord[] = variants.map((v, i) => {
    const k = ['avgpool', 'attnpool', 'cabstractor'].indexOf(v.axes.connector as string);
    // Item-level wobble so the interval has width; the connector shift is the same on every item.
    const xs = base.map((x, j) => x + k * gap[v.axes.stage as 'pretrained' | 'sft'] + (j % 2 ? 1 : -1) * ((i + j) % 3));
    const result: RunResult = {
      metrics: { 'vqa/accuracy': { 0: xs.reduce((a, b) => a + b, 0) / xs.length } },
      wallSeconds: 1,
      items: { 'vqa/accuracy': { 0: Object.fromEntries(xs.map((x, j) => [`0/item${j}`, x])) } },
    };
    return { variantId: v.id, seed: 0, key: v.id, dir: '', cached: false, result };
  });
  return aggregate(variants, runs);
}

test('connector-gap-shrinks: reproduced when the gap between connectors falls after SFT, not reproduced when it grows', () => {
  const [claim] = sftConnectorStudy.claims;
  const shrinks = claim.evaluate(results({ pretrained: 6, sft: 0.5 }));
  assert.equal(shrinks.verdict, 'reproduced', shrinks.evidence);
  // Gap before 2 × 6 = 12, after 2 × 0.5 = 1, give or take the wobble: Δ ≈ 11.
  assert.ok(Math.abs(shrinks.delta! - 11) < 2, shrinks.evidence);
  const grows = claim.evaluate(results({ pretrained: 0.5, sft: 6 }));
  assert.equal(grows.verdict, 'not reproduced', grows.evidence);
});
