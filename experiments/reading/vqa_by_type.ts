// Two runs' recorded VQA-style scores split by question type (colour, shape, count, ...), with the
// paired Δ (B − A) and its 95% item-bootstrap interval per type: is a difference between the runs
// one question type's, on the studies' own items (eval seed 0, world v2, test split)? Written in
// session 15 after vizwiz_clean.ts showed the unfrozen run losing shape questions on clean twins,
// to see whether the VQAv2 analogue (clean pictures) shows the same.
// Usage:
//   node --import tsx experiments/reading/vqa_by_type.ts <run A>/items.json <run B>/items.json [metric=vqa/accuracy] [shots=0,4,8]
import { readFileSync } from 'node:fs';
import type { ItemScores } from '../../src/ablate/runner.js';
import { DEFAULT_EVAL_SIZES, worldEvalSets, type WorldEvalSets } from '../../src/data/world/index.js';
import { itemDelta, twoRuns } from './item_delta.js';

const SET_OF: Record<string, keyof WorldEvalSets> = {
  'vqa/accuracy': 'vqa',
  'vizwiz/accuracy': 'vizwiz',
  'okvqa/accuracy': 'okvqa',
  'reading/accuracy': 'textVqa',
  'gqa/accuracy': 'gqa',
};
const [fileA, fileB, metric = 'vqa/accuracy', shotsArg = '0,4,8'] = process.argv.slice(2);
if (!fileA || !fileB) throw new Error('vqa_by_type: give two items.json files (run A, run B)');
const set = SET_OF[metric];
if (!set) throw new Error(`vqa_by_type: metric ${metric} is not one of ${Object.keys(SET_OF).join(', ')}`);
const [A, B] = [fileA, fileB].map((f) => (JSON.parse(readFileSync(f, 'utf8')) as ItemScores)[metric]);
const sizes = Object.fromEntries(Object.keys(DEFAULT_EVAL_SIZES).map((k) => [k, k === set ? DEFAULT_EVAL_SIZES[set] : 0]));
const items = worldEvalSets(0, sizes, { split: 'test', version: 2, imageSize: 32 })[set] as { id: string; questionType: string }[];

for (const shot of shotsArg.split(',')) {
  if (!A?.[shot] || !B?.[shot]) throw new Error(`vqa_by_type: ${metric} has no ${shot}-shot scores in both files`);
  const scored = items.filter((i) => `0/${i.id}` in A[shot] && `0/${i.id}` in B[shot]);
  const types = [...new Set(scored.map((i) => i.questionType))].sort();
  console.log(`${metric}, ${shot}-shot (${scored.length} items both runs scored)`);
  for (const type of ['all', ...types]) {
    const its = scored.filter((i) => type === 'all' || i.questionType === type);
    const [a, b] = [A, B].map((run) => Float64Array.from(its, (i) => run[shot][`0/${i.id}`]));
    const ci = itemDelta(twoRuns([a], [b], [type]), type)!;
    const mean = (run: typeof A) => its.reduce((s, i) => s + run[shot][`0/${i.id}`], 0) / its.length;
    const f = (x: number) => `${x >= 0 ? '+' : ''}${x.toFixed(1)}`;
    console.log(
      `  ${type.padEnd(8)} n=${String(its.length).padStart(3)}  ${mean(A).toFixed(1)} → ${mean(B).toFixed(1)}: Δ ${f(ci.estimate)} [${f(ci.lo)}, ${f(ci.hi)}]`,
    );
  }
}
