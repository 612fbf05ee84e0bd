// Six seeds of a study pooled from two reports' study.json files, at the seed level only.
// Why it exists: `mm1 ablate … --seeds 6 --report-only` needs every run's per-item scores, and the
// encoder study's seeds 0–2 runs were not kept (their cache was lost with the machine between
// sessions 10 and 11; only their reports' per-seed means survive). This prints, per claim, the
// Δ of each seed (the claim's better group minus its worse group on avg/image over 0/4/8 shots,
// from each run's recorded metrics), their mean, and the reports' own percentile bootstrap
// (src/ablate/bootstrap.ts) over seeds alone: each seed's two group scores are one "item", so
// items are not resampled (each seed's mean already carries its item noise). Descriptive: docs/results/README.md
// ("Fresh seeds") decides no verdict from it.
// Usage:
//   node --import tsx experiments/seeds/pooled_from_studies.ts docs/results/default/encoder/study.json \
//     docs/results/default/encoder-seeds3-5/study.json resolution:128:32 encoder:large:small
import { readFileSync } from 'node:fs';
import { IMAGE_AVG, withAverages } from '../../src/ablate/aggregate.js';
import { bootstrapInterval } from '../../src/ablate/bootstrap.js';

type Metrics = Record<string, Record<string, number>>;
interface StudyJson {
  variants: { id: string; axes: Record<string, string | number>; runs: { seed: number; metrics: Metrics }[] }[];
}

const args = process.argv.slice(2);
const files = args.filter((a) => a.endsWith('.json'));
const contrasts = args.filter((a) => !a.endsWith('.json'));
if (files.length === 0 || contrasts.length === 0)
  throw new Error('pooled_from_studies: give study.json files and contrasts as axis:better:worse (e.g. resolution:128:32)');

/** avg/image (the reports' own withAverages) averaged over the run's shot counts, as the claims' "0/4/8-shot" measure. */
function avgImage(m: Metrics): number {
  const perShot = Object.values(withAverages(m)[IMAGE_AVG]);
  return perShot.reduce((a, b) => a + b, 0) / perShot.length;
}

// seed → variant axes → avg/image
const bySeed = new Map<number, { axes: Record<string, string | number>; score: number }[]>();
for (const file of files) {
  const study = JSON.parse(readFileSync(file, 'utf8')) as StudyJson;
  for (const v of study.variants)
    for (const r of v.runs) {
      if (!bySeed.has(r.seed)) bySeed.set(r.seed, []);
      bySeed.get(r.seed)!.push({ axes: v.axes, score: avgImage(r.metrics) });
    }
}
const seeds = [...bySeed.keys()].sort((a, b) => a - b);
console.log(`seeds ${seeds.join(', ')} from ${files.join(', ')}`);
for (const c of contrasts) {
  const [axis, better, worse] = c.split(':');
  const groupMean = (s: number, value: string) => {
    const picked = bySeed.get(s)!.filter((r) => String(r.axes[axis]) === value);
    if (picked.length === 0) throw new Error(`seed ${s}: no variant with ${axis} = ${value}`);
    return picked.reduce((a, r) => a + r.score, 0) / picked.length;
  };
  // PairedScores with the two groups as variants and one single-item task: the bootstrap resamples seeds only.
  const values = [better, worse].map((value) => seeds.map((s) => [Float64Array.of(groupMean(s, value))]));
  const deltas = seeds.map((_, i) => values[0][i][0][0] - values[1][i][0][0]);
  const ci = bootstrapInterval({ variants: [better, worse], seeds, tasks: ['avg/image'], values }, ([b, w]) => b - w, { label: c })!;
  const f = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(2)}`;
  console.log(`${axis} ${better} − ${worse}: per seed ${deltas.map(f).join(' ')}; mean ${f(ci.estimate)}, seed bootstrap 95% [${f(ci.lo)}, ${f(ci.hi)}]`);
}
