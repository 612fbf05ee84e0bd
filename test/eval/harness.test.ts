// runEval end to end on the world tasks with two deterministic models: an oracle that solves
// each query picture's scene and a blind one that always says "red". The harness must tell
// them apart by the metrics the papers report, and log what it did.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { worldEvalSets } from '../../src/data/world/index.js';
import { runEval, type EvalProgress } from '../../src/eval/index.js';
import { blindModel, oracleModel } from './models.js';

const N = 16;
const sets = worldEvalSets(0, {
  captions: N,
  textCaptions: N,
  vqa: N,
  textVqa: N,
  gqa: N,
  vizwiz: 0,
  okvqa: 0,
  heldoutCaptions: N,
  heldoutVqa: N,
  multipleChoice: 0,
  cloze: 0,
  openQa: 0,
});
const worldItems = Object.values(sets).flat() as { image: never; scene?: never }[];
const IMAGE_TASKS = ['world-coco', 'world-textcaps', 'world-vqav2', 'world-textvqa', 'world-gqa', 'world-heldout'];

test('the oracle answers every world question; the blind model does not; captions score by CIDEr', async () => {
  const outDir = mkdtempSync(join(tmpdir(), 'mm1-eval-'));
  const progress: EvalProgress[] = [];
  const oracle = oracleModel(worldItems);
  const report = await runEval(oracle, { worldVersion: 1, tasks: IMAGE_TASKS, shots: [0, 2], limit: N, seed: 0, outDir, onProgress: (p) => progress.push(p) });
  const queried = new Map<string, string[]>();
  const blind = await runEval(blindModel(), {
    worldVersion: 1,
    tasks: ['world-coco', 'world-vqav2', 'world-gqa'],
    shots: [0],
    limit: N,
    seed: 0,
    onQueries: (task, q) =>
      queried.set(
        task,
        q.map((i) => i.id),
      ),
  });
  const get = (r: typeof report, task: string, k: number) => r.results.find((x) => x.task === task && x.shots === k)!;

  assert.equal(report.results.length, 7 * 2, 'world-heldout expands to two tasks; two k each');
  for (const task of ['world-vqav2', 'world-textvqa', 'world-gqa', 'world-heldout-vqa']) {
    for (const k of [0, 2]) assert.equal(get(report, task, k).metrics.accuracy, 100, `${task} ${k}-shot`);
  }
  assert.ok(get(blind, 'world-vqav2', 0).metrics.accuracy < 40);
  assert.ok(get(blind, 'world-gqa', 0).metrics.accuracy < 40);
  const oracleCider = get(report, 'world-coco', 0).metrics.CIDEr;
  const blindCider = get(blind, 'world-coco', 0).metrics.CIDEr;
  assert.ok(oracleCider > 100 && blindCider < 20, `oracle CIDEr ${oracleCider}, blind ${blindCider}`);
  assert.ok(get(report, 'world-textcaps', 0).metrics.CIDEr > 100);
  // onQueries sees each task's queries once, as evaluated (what a report shows beside them).
  assert.deepEqual([...queried.keys()], ['world-coco', 'world-vqav2', 'world-gqa']);
  assert.deepEqual(
    queried.get('world-vqav2'),
    sets.vqa.map((i) => i.id),
  );

  const r = get(report, 'world-vqav2', 2);
  assert.equal(r.n, N);
  assert.deepEqual(r.effectiveShots, { min: 2, max: 2, mean: 2 });
  assert.equal(r.metric, 'accuracy');
  assert.ok(r.seconds >= 0);

  // Per-sample log: one line per query with the shots, prompt, raw and cleaned answer.
  const lines = readFileSync(join(outDir, r.samplesFile!), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  assert.equal(lines.length, N);
  assert.equal(lines[0].id, 'world:test:vqav2:0');
  assert.equal(lines[0].k, 2);
  assert.equal(lines[0].shotIds.length, 2);
  assert.match(lines[0].prompt, /^<image> question: .* answer: \w+\. <image> question: .* answer: \w+\. <image> question: what color is the star\? answer:$/);
  assert.equal(lines[0].generation, ' red', 'generation stopped at "."');
  assert.equal(lines[0].prediction, 'red');
  assert.equal(lines[0].score, 100);

  const json = JSON.parse(readFileSync(join(outDir, 'results.json'), 'utf8'));
  assert.equal(json.results.length, 14);
  const md = readFileSync(join(outDir, 'results.md'), 'utf8');
  assert.match(md, /\| task \| metric \| n \| 0-shot \| 2-shot \|/);
  assert.match(md, /\| world-vqav2 \| accuracy \| 16 \| 100\.0 \| 100\.0 \|/);

  // Batched: 16 queries per generate call; progress reaches the total for each task × k.
  assert.equal(oracle.generated.length, 7 * 2 * N);
  const last = progress.filter((p) => p.task === 'world-coco' && p.shots === 2).at(-1)!;
  assert.deepEqual(last, { task: 'world-coco', shots: 2, done: N, total: N });
});

test('batches hold at most batchSize prompts, in query order', async () => {
  const calls: number[] = [];
  const oracle = oracleModel(worldItems);
  const generate = oracle.generate.bind(oracle);
  oracle.generate = async (prompts, o) => (calls.push(prompts.length), generate(prompts, o));
  await runEval(oracle, { worldVersion: 1, tasks: ['world-vqav2'], shots: [0], limit: 10, batchSize: 4 });
  assert.deepEqual(calls, [4, 4, 2]);
  const asked = oracle.generated.map((p) => ('segments' in p ? p.segments.at(-1) : undefined));
  assert.deepEqual(
    asked,
    sets.vqa.slice(0, 10).map((it) => ({ kind: 'text', text: `question: ${it.question} answer:` })),
  );
});

test("an --out directory used before keeps none of the earlier run's sample files", async () => {
  const outDir = mkdtempSync(join(tmpdir(), 'mm1-eval-'));
  await runEval(blindModel(), { tasks: ['world-coco', 'world-vqav2'], shots: [0], limit: 4, seed: 0, outDir });
  assert.deepEqual(readdirSync(join(outDir, 'samples')).sort(), ['world-coco.0shot.jsonl', 'world-vqav2.0shot.jsonl']);
  await runEval(blindModel(), { tasks: ['world-gqa'], shots: [0], limit: 4, seed: 0, outDir });
  assert.deepEqual(readdirSync(join(outDir, 'samples')), ['world-gqa.0shot.jsonl']);
});
