// From aggregated runs to what the paired bootstrap resamples: for the variants a claim reads,
// each run's per-item values of the claim's measure (an item's score averaged over the
// measure's shot counts), on the items and seeds every one of those runs shares. Variants
// whose prompts held fewer shots than asked are left out first: comparing a 5-shot prompt
// with an 8-shot one measures the context limit, not the lesson.
import type { AggregatedResults, VariantResults } from './aggregate.js';
import type { PairedScores } from './bootstrap.js';
import { memberMetrics, resolveShots, type Measure } from './measure.js';

export interface LeftOut {
  variant: string;
  why: string;
}

export interface PairedBuild {
  /** Undefined when nothing can be paired; `problem` says why. */
  data?: PairedScores;
  /** The variants that stayed in, in `data` order. */
  kept: VariantResults[];
  leftOut: LeftOut[];
  problem?: string;
}

/** Why a variant's prompts were not what the measure asks (fewer shots than requested), or undefined. */
function unfairShots(vr: VariantResults, metrics: readonly string[], shots: readonly string[]): string | undefined {
  for (const run of vr.runs) {
    for (const metric of metrics) {
      for (const s of shots) {
        const used = run.shotsUsed?.[metric]?.[s];
        if (used !== undefined && used < Number(s))
          return `its ${s}-shot ${metric} prompts held as few as ${used} shots (the model's context), so it is not compared with variants that held ${s}`;
      }
    }
  }
  return undefined;
}

export function pairedScores(results: AggregatedResults, variants: readonly VariantResults[], m: Measure): PairedBuild {
  const shots = resolveShots(results, m);
  const tasks = memberMetrics(results, m.metric);
  const leftOut: LeftOut[] = [];
  const kept = variants.filter((vr) => {
    const why = unfairShots(vr, tasks, shots);
    if (why) leftOut.push({ variant: vr.variant.label, why });
    return !why;
  });
  const none = (problem: string): PairedBuild => ({ kept, leftOut, problem });
  if (shots.length === 0 || tasks.length === 0) return none(`no ${m.metric} values`);
  if (kept.length === 0) return none('every variant it reads was left out');

  // Seeds every kept variant has with item scores for every task × shot.
  const complete = (vr: VariantResults) =>
    new Set(vr.runs.filter((r) => tasks.every((t) => shots.every((s) => r.items?.[t]?.[s] !== undefined))).map((r) => r.seed));
  const perVariant = kept.map(complete);
  const seeds = [...perVariant[0]].filter((s) => perVariant.every((set) => set.has(s))).sort((a, b) => a - b);
  if (seeds.length === 0) {
    const missing = kept.filter((_, i) => perVariant[i].size === 0).map((vr) => vr.variant.label);
    return none(
      missing.length > 0
        ? `no per-item scores for ${missing.join(', ')} (runs cached before mm1 kept them in items.json); rerun them with a fresh --salt`
        : 'the variants share no seed with per-item scores',
    );
  }
  const runOf = (vr: VariantResults, seed: number) => vr.runs.find((r) => r.seed === seed)!;

  // Items every run scored, for every shot count: pairing is by item id.
  const itemIds = tasks.map((t) => {
    let ids: string[] | undefined;
    for (const vr of kept) {
      for (const seed of seeds) {
        for (const s of shots) {
          const have = runOf(vr, seed).items![t][s];
          ids = ids === undefined ? Object.keys(have).sort() : ids.filter((id) => id in have);
        }
      }
    }
    return ids ?? [];
  });
  const empty = tasks.filter((_, t) => itemIds[t].length === 0);
  if (empty.length > 0) return none(`the runs share no evaluation items on ${empty.join(', ')} (were they evaluated with different eval seeds?)`);

  const values = kept.map((vr) =>
    seeds.map((seed) => {
      const items = runOf(vr, seed).items!;
      return tasks.map((t, ti) => Float64Array.from(itemIds[ti], (id) => shots.reduce((a, s) => a + items[t][s][id], 0) / shots.length));
    }),
  );
  return { data: { variants: kept.map((vr) => vr.variant.id), seeds, tasks, values }, kept, leftOut };
}
