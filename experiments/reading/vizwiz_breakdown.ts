// Two runs' VizWiz-analogue scores split by what spoiled each picture and by whether its answer is
// "unanswerable" (the majority of its 10 answers), on the studies' items (eval seed 0, world v2,
// test split; src/data/world/eval_sets.ts vizwizSet), to say where a difference between the runs sits.
// Usage:
//   node --import tsx experiments/reading/vizwiz_breakdown.ts <run A>/items.json <run B>/items.json [n=200]
import { readFileSync } from 'node:fs';
import { worldEvalSets } from '../../src/data/world/index.js';
import type { ItemScores } from '../../src/ablate/runner.js';
import { answerKind } from './vizwiz_twins.js';

const [fileA, fileB, nArg] = process.argv.slice(2);
if (!fileA || !fileB) throw new Error('vizwiz_breakdown: give two items.json files (run A, run B)');
const n = Number(nArg ?? 200);
const others = ['captions', 'textCaptions', 'vqa', 'textVqa', 'gqa', 'okvqa', 'heldoutCaptions', 'heldoutVqa', 'multipleChoice', 'cloze', 'openQa'];
const sizes = { ...Object.fromEntries(others.map((k) => [k, 0])), vizwiz: n };
const items = worldEvalSets(0, sizes, { split: 'test', version: 2, imageSize: 32 }).vizwiz;
const [A, B] = [fileA, fileB].map((f) => (JSON.parse(readFileSync(f, 'utf8')) as ItemScores)['vizwiz/accuracy']);

for (const shot of Object.keys(A)) {
  const groups = new Map<string, { n: number; a: number; b: number }>();
  for (const item of items) {
    const id = Object.keys(A[shot]).find((k) => k.endsWith(`/${item.id}`));
    if (id === undefined || B[shot][id] === undefined)
      throw new Error(`vizwiz_breakdown: item ${item.id} is not scored at ${shot} shots in both runs: were they scored with eval seed 0?`);
    const kind = answerKind(item);
    for (const g of [kind, `${kind}, ${item.degradation ?? 'none'}`]) {
      const e = groups.get(g) ?? { n: 0, a: 0, b: 0 };
      e.n++;
      e.a += A[shot][id];
      e.b += B[shot][id];
      groups.set(g, e);
    }
  }
  console.log(`${shot}-shot`);
  for (const [g, e] of [...groups].sort()) console.log(`  ${g.padEnd(28)} n=${String(e.n).padStart(3)}  ${(e.a / e.n).toFixed(1)} → ${(e.b / e.n).toFixed(1)}`);
}
