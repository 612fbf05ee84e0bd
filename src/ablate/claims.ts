// Helpers for writing MM1's lessons as claims our numbers can decide, with one rule for what
// counts as a difference (SPREAD_RULE, printed in every report). Small runs are noisy: a claim
// is only called reproduced or not reproduced when the difference clears the seed-to-seed
// spread; anything closer is inconclusive, which is an honest answer at smoke scale.
import type { AggregatedResults } from './aggregate.js';
import { fmt, fmtDelta } from './format.js';
import type { Claim, ClaimOutcome, Variant, Verdict } from './study.js';

/**
 * What a claim compares: one metric, averaged per run over some shot counts. 'all' = every
 * shot count the metric has, 'few' = all but 0-shot. Each run gives one score; seeds give spread.
 */
export interface Measure {
  metric: string;
  shots: 'all' | 'few' | readonly string[];
}

/** Variants picked by axis values ({resolution: 128}) or by a predicate. */
export type Selector = Record<string, string | number> | ((v: Variant) => boolean);

/** How a measure is named in measured seed stds: "avg/image@all", "avg/image@few", "avg/image@0". */
export function measureKey(m: Measure): string {
  return `${m.metric}@${typeof m.shots === 'string' ? m.shots : m.shots.join(',')}`;
}

/** Pooled seed std of each measure's per-run score over every variant: what `measuredSeedStd` holds. */
export function seedStdByMeasure(results: AggregatedResults, measures: readonly Measure[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const m of measures) {
    const sd = pooledStd(scores(results, () => true, m).map((s) => s.scores));
    if (sd !== undefined) out[measureKey(m)] = sd;
  }
  return out;
}

/** Default minimum margin, in metric points (metrics are percentages or CIDEr points). */
export const DEFAULT_MIN_MARGIN = 0.5;

export const SPREAD_RULE =
  'Each run gives one score: the metric averaged over the shot counts the claim names. A group of variants scores the mean of its ' +
  'variants\' seed means. A difference Δ between two groups (or two effects) counts only if |Δ| exceeds the threshold ' +
  `max(pooled seed std, minimum margin), where the pooled seed std is sqrt(Σ(x − variant mean)² / Σ(n − 1)) over the runs of every ` +
  `variant involved. With one seed there is no spread to pool: the seed std measured for the base run at the same scale ` +
  `(the seeds study, mm1 ablate seeds) stands in, when it has been measured. The minimum margin is ${DEFAULT_MIN_MARGIN} points unless the claim says otherwise. ` +
  'Δ above the threshold in the direction MM1 reports: ✔ reproduced; above it in the other direction: ✘ not reproduced; otherwise: ? inconclusive.';

export interface Threshold {
  value: number;
  pooledStd?: number;
  /** The measured base-run seed std used because there was no spread to pool. */
  fallbackStd?: number;
  minMargin: number;
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

export function threshold(samples: readonly (readonly number[])[], minMargin = DEFAULT_MIN_MARGIN, seedStdFallback?: number): Threshold {
  const sd = pooledStd(samples);
  const fallback = sd === undefined ? seedStdFallback : undefined;
  return { value: Math.max(sd ?? fallback ?? 0, minMargin), pooledStd: sd, ...(fallback !== undefined ? { fallbackStd: fallback } : {}), minMargin };
}

/** Δ is oriented so that positive means "as MM1 reports". */
export function decide(delta: number, thr: Threshold): Verdict {
  if (delta > thr.value) return 'reproduced';
  if (delta < -thr.value) return 'not reproduced';
  return 'inconclusive';
}

export function describeThreshold(thr: Threshold): string {
  const sd =
    thr.pooledStd !== undefined
      ? `pooled seed std ${fmt(thr.pooledStd)}`
      : thr.fallbackStd !== undefined
        ? `one seed: the base run's measured seed std ${fmt(thr.fallbackStd)}`
        : 'no seed spread with one seed, none measured';
  return `threshold ${fmt(thr.value)} (${sd}; min margin ${fmt(thr.minMargin)})`;
}

function matches(v: Variant, sel: Selector): boolean {
  return typeof sel === 'function' ? sel(v) : Object.entries(sel).every(([axis, value]) => v.axes[axis] === value);
}

export function resolveShots(results: AggregatedResults, m: Measure): string[] {
  if (Array.isArray(m.shots)) return [...m.shots];
  const have = results.shots.filter((s) => results.variants.some((v) => v.stats[m.metric]?.[s] !== undefined));
  return m.shots === 'few' ? have.filter((s) => s !== '0') : have;
}

export function describeMeasure(results: AggregatedResults, m: Measure): string {
  const shots = resolveShots(results, m);
  if (shots.length === 0) return `${m.metric} (${typeof m.shots === 'string' ? `${m.shots} shots` : `${m.shots.join('/')}-shot`})`;
  return shots.length === 1 ? `${m.metric} at ${shots[0]}-shot` : `${m.metric} over ${shots.join('/')}-shot`;
}

/** Per-run scores of each selected variant (runs missing a needed value are left out). */
export function scores(results: AggregatedResults, sel: Selector, m: Measure): { variant: Variant; scores: number[] }[] {
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

/** Mean over the selected variants of their seed means (balanced over the other axes). */
export function groupMean(results: AggregatedResults, sel: Selector, m: Measure): number | undefined {
  const per = scores(results, sel, m);
  if (per.length === 0) return undefined;
  return per.reduce((a, p) => a + p.scores.reduce((x, y) => x + y, 0) / p.scores.length, 0) / per.length;
}

const noData = (what: string, results: AggregatedResults, m: Measure): ClaimOutcome => ({
  verdict: 'inconclusive',
  evidence: `no ${describeMeasure(results, m)} values for ${what}; the runner did not report them`,
});

export interface Group {
  select: Selector;
  label: string;
}

/** MM1 says `better` beats `worse` on `measure`. */
export function groupBeats(spec: { id: string; text: string; better: Group; worse: Group; measure: Measure; minMargin?: number }): Claim {
  return {
    id: spec.id,
    text: spec.text,
    evaluate(results) {
      const a = groupMean(results, spec.better.select, spec.measure);
      const b = groupMean(results, spec.worse.select, spec.measure);
      if (a === undefined) return noData(spec.better.label, results, spec.measure);
      if (b === undefined) return noData(spec.worse.label, results, spec.measure);
      const samples = [...scores(results, spec.better.select, spec.measure), ...scores(results, spec.worse.select, spec.measure)].map((s) => s.scores);
      const thr = threshold(samples, spec.minMargin, results.measuredSeedStd?.[measureKey(spec.measure)]);
      const delta = a - b;
      return {
        verdict: decide(delta, thr),
        evidence: `${fmt(a)} (${spec.better.label}) vs ${fmt(b)} (${spec.worse.label}) on ${describeMeasure(results, spec.measure)}: Δ ${fmtDelta(delta)}, ${describeThreshold(thr)}`,
      };
    },
  };
}

/** A number computed from the results that a claim can compare, e.g. the effect of an axis. */
export interface Effect {
  label: string;
  /** Which variants it reads (their seed spread sets the threshold). */
  select: Selector;
  compute(results: AggregatedResults, m: Measure): number | undefined;
}

/** Mean of the variants at axis = to minus mean at axis = from (averaged over the other axes). */
export function axisEffect(axis: string, from: string | number, to: string | number, label: string): Effect {
  return {
    label,
    select: (v) => v.axes[axis] === from || v.axes[axis] === to,
    compute(results, m) {
      const hi = groupMean(results, { [axis]: to }, m);
      const lo = groupMean(results, { [axis]: from }, m);
      return hi === undefined || lo === undefined ? undefined : hi - lo;
    },
  };
}

/** Largest minus smallest mean over the values of `axis` (how much the choice on that axis moves the score). */
export function axisRange(axis: string, label: string): Effect {
  return {
    label,
    select: (v) => axis in v.axes,
    compute(results, m) {
      const levels = [...new Set(results.variants.map((vr) => vr.variant.axes[axis]).filter((x) => x !== undefined))];
      const means = levels.map((level) => groupMean(results, { [axis]: level }, m));
      if (means.length < 2 || means.some((x) => x === undefined)) return undefined;
      const defined = means as number[];
      return Math.max(...defined) - Math.min(...defined);
    },
  };
}

/** MM1 says `larger` moves `measure` more than `smaller` does. */
export function effectBeats(spec: { id: string; text: string; larger: Effect; smaller: Effect; measure: Measure; minMargin?: number }): Claim {
  return {
    id: spec.id,
    text: spec.text,
    evaluate(results) {
      const a = spec.larger.compute(results, spec.measure);
      const b = spec.smaller.compute(results, spec.measure);
      if (a === undefined) return noData(spec.larger.label, results, spec.measure);
      if (b === undefined) return noData(spec.smaller.label, results, spec.measure);
      const involved = (v: Variant) => matches(v, spec.larger.select) || matches(v, spec.smaller.select);
      const thr = threshold(scores(results, involved, spec.measure).map((s) => s.scores), spec.minMargin, results.measuredSeedStd?.[measureKey(spec.measure)]);
      const delta = a - b;
      return {
        verdict: decide(delta, thr),
        evidence: `${fmtDelta(a)} ${spec.larger.label} vs ${fmtDelta(b)} ${spec.smaller.label} on ${describeMeasure(results, spec.measure)}: Δ ${fmtDelta(delta)}, ${describeThreshold(thr)}`,
      };
    },
  };
}
