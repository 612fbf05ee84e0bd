// What a claim compares: one metric averaged over some shot counts, read per run (for the
// table and the seed spread) or per item (for the paired bootstrap, paired_scores.ts).
import { IMAGE_AVG, TEXT_AVG, type AggregatedResults } from './aggregate.js';
import type { Variant } from './study.js';

/**
 * One metric, averaged per run over some shot counts. 'all' = every shot count the metric has,
 * 'few' = all but 0-shot.
 */
export interface Measure {
  metric: string;
  shots: 'all' | 'few' | readonly string[];
}

/** Variants picked by axis values ({resolution: 128}) or by a predicate. */
export type Selector = Record<string, string | number> | ((v: Variant) => boolean);

export function matches(v: Variant, sel: Selector): boolean {
  return typeof sel === 'function' ? sel(v) : Object.entries(sel).every(([axis, value]) => v.axes[axis] === value);
}

/** How a measure is named in seed spreads: "avg/image@all", "avg/image@few", "avg/image@0". */
export function measureKey(m: Measure): string {
  return `${m.metric}@${typeof m.shots === 'string' ? m.shots : m.shots.join(',')}`;
}

export function resolveShots(results: AggregatedResults, m: Measure): string[] {
  if (Array.isArray(m.shots)) return [...m.shots];
  const have = results.shots.filter((s) => results.variants.some((v) => v.stats[m.metric]?.[s] !== undefined));
  return m.shots === 'few' ? have.filter((s) => s !== '0') : have;
}

/** The runner metrics a measure is made of: an average's members, or the metric itself. */
export function memberMetrics(results: AggregatedResults, metric: string): string[] {
  return metric === IMAGE_AVG || metric === TEXT_AVG ? (results.averagedFrom[metric] ?? []) : [metric];
}

export function describeMeasure(results: AggregatedResults, m: Measure): string {
  const shots = resolveShots(results, m);
  if (shots.length === 0) return `${m.metric} (${typeof m.shots === 'string' ? `${m.shots} shots` : `${m.shots.join('/')}-shot`})`;
  return shots.length === 1 ? `${m.metric} at ${shots[0]}-shot` : `${m.metric} over ${shots.join('/')}-shot`;
}

/** Per-run scores of each selected variant (runs missing a needed value are left out). */
export function runScores(results: AggregatedResults, sel: Selector, m: Measure): { variant: Variant; scores: number[] }[] {
  const shots = resolveShots(results, m);
  if (shots.length === 0) return [];
  return results.variants
    .filter((vr) => matches(vr.variant, sel))
    .map((vr) => ({
      variant: vr.variant,
      scores: vr.runs
        .map((run) => shots.map((s) => run.metrics[m.metric]?.[s]))
        .filter((vals): vals is number[] => vals.every((x) => x !== undefined))
        .map((vals) => vals.reduce((a, b) => a + b, 0) / vals.length),
    }))
    .filter((x) => x.scores.length > 0);
}

/** Pooled within-variant standard deviation of per-run scores; undefined when no variant has 2 runs. */
export function pooledStd(samples: readonly (readonly number[])[]): number | undefined {
  let ss = 0;
  let dof = 0;
  for (const xs of samples) {
    if (xs.length < 2) continue;
    const m = xs.reduce((a, b) => a + b, 0) / xs.length;
    ss += xs.reduce((a, x) => a + (x - m) ** 2, 0);
    dof += xs.length - 1;
  }
  return dof > 0 ? Math.sqrt(ss / dof) : undefined;
}

/** Pooled seed std of each measure's per-run score over every variant (the report's "Seed spread"). */
export function seedStdByMeasure(results: AggregatedResults, measures: readonly Measure[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of measures) {
    const sd = pooledStd(runScores(results, () => true, m).map((s) => s.scores));
    if (sd !== undefined) out[measureKey(m)] = sd;
  }
  return out;
}
