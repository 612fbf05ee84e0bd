// Did unfreezing the encoder lose VizWiz-analogue accuracy on spoiled pictures, or on VizWiz's
// question types whatever the picture? Each model answers the studies' 200 items (eval seed 0,
// world v2, test split, 0 shots, its own render size) twice: as the studies drew them, and as
// clean twins (vizwiz_twins.ts). First an oracle: the spoiled version's per-item scores must equal
// what the run recorded in items.json, else nothing below is read. Then per group (answerable ×
// degradation) the mean of both versions, and against the first model the paired Δ with the 95%
// item-bootstrap interval the study reports use (src/ablate/bootstrap.ts; one seed, item noise only).
// Usage (scores are cached per label in --out, so a model added later costs only itself):
//   MM1_ORT_THREADS=1 node --import tsx experiments/reading/vizwiz_clean.ts \
//     --model frozen=<run>/pretrain/model --model unfrozen=<run>/pretrain/model [--out /work/runs/vizwiz/clean]
// items.json is read from the run directory two levels above the model (--items label=file to override).
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ItemScores } from '../../src/ablate/runner.js';
import type { WorldVqaItem } from '../../src/data/world/index.js';
import { samplesFileName } from '../../src/eval/report.js';
import { runEval } from '../../src/eval/runner.js';
import { loadModel } from '../../src/model/infer/load.js';
import { itemDelta, twoRuns } from './item_delta.js';
import { CLEAN_TASK, DEGRADED_TASK, groupsOf } from './vizwiz_twins.js';

const EVAL_SEED = 0;
const { values: args } = parseArgs({
  options: {
    model: { type: 'string', multiple: true },
    items: { type: 'string', multiple: true, default: [] },
    out: { type: 'string', default: '/work/runs/vizwiz/clean' },
    limit: { type: 'string', default: '200' },
  },
});
const labelled = (spec: string, flag: string): [string, string] => {
  const at = spec.indexOf('=');
  if (at <= 0) throw new Error(`vizwiz_clean: ${flag} ${spec}: expected label=path, e.g. ${flag} frozen=/work/runs/.../pretrain/model`);
  return [spec.slice(0, at), resolve(spec.slice(at + 1))];
};
const models = (args.model ?? []).map((s) => labelled(s, '--model'));
if (models.length === 0) throw new Error('vizwiz_clean: give at least one --model label=<model dir>');
const itemsOverride = new Map(args.items.map((s) => labelled(s, '--items')));
const limit = Number(args.limit);

interface Scores {
  model: string;
  degraded: Record<string, number>;
  clean: Record<string, number>;
}

/** Per-item 0-shot scores of one model on both versions, from runEval's samples files (cached by label and model path). */
async function scoresOf(label: string, modelDir: string): Promise<Scores> {
  const outDir = join(args.out, label);
  const cache = join(outDir, 'scores.json');
  if (existsSync(cache)) {
    const kept = JSON.parse(readFileSync(cache, 'utf8')) as Scores;
    if (kept.model === modelDir) return (console.error(`vizwiz_clean: ${label}: reusing ${cache}`), kept);
  }
  const started = process.cpuUsage();
  const model = await loadModel(modelDir);
  try {
    await runEval(model, { tasks: [DEGRADED_TASK, CLEAN_TASK], shots: [0], seed: EVAL_SEED, worldVersion: 2, limit, outDir });
  } finally {
    await model.release();
  }
  const cpu = process.cpuUsage(started);
  console.error(`vizwiz_clean: ${label}: evaluated in ${((cpu.user + cpu.system) / 1e6).toFixed(0)} s CPU (this process)`);
  const read = (task: string) =>
    Object.fromEntries(
      readFileSync(join(outDir, samplesFileName(task, 0)), 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as { id: string; score: number })
        .map((s) => [s.id, s.score]),
    );
  const scores: Scores = { model: modelDir, degraded: read(DEGRADED_TASK.name), clean: read(CLEAN_TASK.name) };
  mkdirSync(outDir, { recursive: true });
  writeFileSync(cache, `${JSON.stringify(scores)}\n`);
  return scores;
}

/** The oracle: the spoiled version reproduces the run's recorded 0-shot scores item by item, or the script stops. */
function oracle(label: string, modelDir: string, s: Scores, ids: readonly string[]): string {
  const file = itemsOverride.get(label) ?? join(dirname(dirname(modelDir)), 'items.json');
  if (!existsSync(file)) throw new Error(`vizwiz_clean: ${label}: no items.json at ${file}; pass --items ${label}=<run>/items.json`);
  const recorded = (JSON.parse(readFileSync(file, 'utf8')) as ItemScores)['vizwiz/accuracy']?.['0'];
  if (!recorded) throw new Error(`vizwiz_clean: ${label}: ${file} has no vizwiz/accuracy 0-shot scores`);
  const bad = ids.filter((id) => recorded[`${EVAL_SEED}/${id}`] !== s.degraded[id]);
  if (bad.length > 0)
    throw new Error(
      `vizwiz_clean: oracle failed for ${label}: ${bad.length}/${ids.length} items differ from ${file}, e.g. ${bad
        .slice(0, 5)
        .map((id) => `${id}: here ${s.degraded[id]}, recorded ${recorded[`${EVAL_SEED}/${id}`]}`)
        .join('; ')}. Check eval seed, render size, world version, prompt and item ids before reading anything else.`,
    );
  return `oracle ${label}: ${ids.length}/${ids.length} degraded 0-shot item scores equal ${file}`;
}

// The items themselves (for groups); their pictures are rendered at 32 px, which groups never read.
const items = (await DEGRADED_TASK.load({ seed: EVAL_SEED, limit, worldVersion: 2, renderSize: 32 })) as WorldVqaItem[];
const ids = items.map((i) => i.id);
interface Scored {
  label: string;
  dir: string;
  scores: Scores;
}
const scored: Scored[] = [];
for (const [label, dir] of models) {
  const scores = await scoresOf(label, dir);
  console.log(oracle(label, dir, scores, ids)); // before the next model: a mismatch stops the run here
  scored.push({ label, dir, scores });
}

const groups = new Map<string, WorldVqaItem[]>();
for (const item of items) for (const g of groupsOf(item)) groups.set(g, [...(groups.get(g) ?? []), item]);
// By question type, and (added after the first results: blur's clean Δ was nearly its degraded Δ,
// and blurred answerable items ask only colour and shape) by type within dark and within blur.
const byType = new Map<string, WorldVqaItem[]>();
for (const item of groups.get('answerable') ?? []) {
  const d = item.degradation === 'dark' || item.degradation === 'blur' ? [`answerable ${item.degradation}, ${item.questionType}`] : [];
  for (const g of [`answerable, ${item.questionType}`, ...d]) byType.set(g, [...(byType.get(g) ?? []), item]);
}
const everyGroup = new Map([...groups, ...byType]);
const version = (m: Scored, v: 'degraded' | 'clean', its: readonly WorldVqaItem[]) => Float64Array.from(its, (i) => m.scores[v][i.id]);
const mean = (xs: Float64Array) => xs.reduce((a, b) => a + b, 0) / xs.length;
const f1 = (x: number) => `${x >= 0 ? ' ' : ''}${x.toFixed(1)}`;

console.log('\nmean VQA accuracy, 0 shots: degraded / clean twin');
for (const [title, table] of [
  ['groups', groups],
  ['answerable items by question type (information; within dark and blur added after the first results)', byType],
] as const) {
  console.log(`  ${title}`);
  for (const [g, its] of [...table].sort())
    console.log(
      `    ${g.padEnd(28)} n=${String(its.length).padStart(3)}  ${scored
        .map(
          (m) =>
            `${m.label} ${mean(version(m, 'degraded', its))
              .toFixed(1)
              .padStart(5)} / ${mean(version(m, 'clean', its))
              .toFixed(1)
              .padStart(5)}`,
        )
        .join('   ')}`,
    );
}

/** Δ (b − a) on one version of a group, with its 95% paired item-bootstrap interval. */
function delta(a: Scored, b: Scored, v: 'degraded' | 'clean', g: string) {
  const its = everyGroup.get(g)!;
  return itemDelta(twoRuns([version(a, v, its)], [version(b, v, its)], [g], [a.label, b.label]), `${g}/${v}`)!;
}

const [ref, ...others] = scored;
for (const b of others) {
  console.log(`\nΔ = ${b.label} − ${ref.label}, 0 shots, 95% paired item bootstrap (2000 replicates, seed 1)`);
  const show = (ci: ReturnType<typeof delta>) => `${f1(ci.estimate)} [${f1(ci.lo)}, ${f1(ci.hi)}]`;
  for (const g of [...groups.keys()].sort())
    console.log(`  ${g.padEnd(28)} degraded ${show(delta(ref, b, 'degraded', g)).padEnd(22)} clean ${show(delta(ref, b, 'clean', g))}`);
  console.log('  by question type (information; added after the first results)');
  for (const g of [...byType.keys()].sort())
    console.log(`  ${g.padEnd(28)} degraded ${show(delta(ref, b, 'degraded', g)).padEnd(22)} clean ${show(delta(ref, b, 'clean', g))}`);
  for (const g of ['answerable dark+blur', 'answerable cover']) {
    const [dg, cl] = [delta(ref, b, 'degraded', g), delta(ref, b, 'clean', g)];
    const supports = dg.hi < 0 && cl.hi >= 0;
    const refutes = cl.hi < 0 && cl.estimate <= 0.5 * dg.estimate;
    const verdict = supports ? 'supports the guess (spoiled pictures)' : refutes ? 'refutes it (question types)' : 'inconclusive';
    console.log(`  rule on ${g}: ${verdict} (degraded ${show(dg)}, clean ${show(cl)})`);
  }
}
