// Helpers for writing MM1's lessons as claims our numbers can decide. Each claim is a
// statistic of group means (a difference of two groups, or of two effects); its 95% interval
// comes from the paired seeds × items bootstrap (bootstrap.ts) and the verdict from the
// interval (verdict.ts): an honest "inconclusive" whenever the interval holds 0.
import type { AggregatedResults, VariantResults } from './aggregate.js';
import { bootstrapInterval, pointMeans, type Statistic } from './bootstrap.js';
import { fmt, fmtDelta } from './format.js';
import { describeMeasure, matches, type Measure, type Selector } from './measure.js';
import { pairedScores, type PairedBuild } from './paired_scores.js';
import type { Claim, ClaimOutcome, Variant } from './study.js';
import { decide, describeInterval } from './verdict.js';

export type { Measure, Selector } from './measure.js';

/** Mean score of the variants a selector picks (undefined when it picks none). */
export type GroupMean = (sel: Selector) => number | undefined;

export interface Group {
  select: Selector;
  label: string;
}

/** A number computed from group means that a claim can compare, e.g. the effect of an axis. */
export interface Effect {
  label: string;
  /** Which variants it reads. */
  select: Selector;
  compute(group: GroupMean, variants: readonly Variant[]): number | undefined;
}

/** What a claim compares; exposed on the claim so its parts can be bootstrapped alike (claim_breakdown.ts). */
export interface Comparison {
  id: string;
  measure: Measure;
  involved: Selector;
  /** Which way Δ is taken, e.g. "caption only − interleaved only". */
  orientation: string;
  /** Δ from group means, positive as MM1 reports; undefined when a needed group is empty. */
  delta(group: GroupMean, variants: readonly Variant[]): number | undefined;
  /** What Δ is made of, at the point estimate, e.g. "52.1 (128 px) vs 47.3 (32 px)". */
  describe(group: GroupMean, variants: readonly Variant[]): string;
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

function groupMeans(variants: readonly Variant[], means: readonly number[]): GroupMean {
  return (sel) => {
    const xs = means.filter((_, i) => matches(variants[i], sel));
    return xs.length > 0 ? mean(xs) : undefined;
  };
}

/** A claim built by groupBeats or effectBeats: its comparison is readable, not only its outcome. */
export interface ComparisonClaim extends Claim {
  comparison: Comparison;
}

export function hasComparison(claim: Claim): claim is ComparisonClaim {
  return 'comparison' in claim;
}

/** The paired data a comparison reads and its Δ as a bootstrap statistic of those variants' means. */
export function comparisonData(results: AggregatedResults, c: Comparison): { built: PairedBuild; stat: Statistic } {
  const involved: VariantResults[] = results.variants.filter((vr) => matches(vr.variant, c.involved));
  const built = pairedScores(results, involved, c.measure);
  const kept = built.kept.map((vr) => vr.variant);
  return { built, stat: (means) => c.delta(groupMeans(kept, means), kept) };
}

/** Builds the paired data, bootstraps Δ, reads the verdict; every way it can fail is an inconclusive outcome that says why. */
function judge(results: AggregatedResults, c: Comparison): ClaimOutcome {
  const { built, stat } = comparisonData(results, c);
  const leftOut = built.leftOut.length > 0 ? ` Left out: ${built.leftOut.map((l) => `${l.variant} (${l.why})`).join('; ')}.` : '';
  const on = describeMeasure(results, c.measure);
  if (!built.data) return { verdict: 'inconclusive', evidence: `not decided on ${on}: ${built.problem}.${leftOut}` };
  const kept = built.kept.map((vr) => vr.variant);
  const ci = bootstrapInterval(built.data, stat, { seed: 0, label: c.id });
  if (!ci) return { verdict: 'inconclusive', evidence: `not decided on ${on}: a group it compares has no variant left.${leftOut}` };
  const point = groupMeans(kept, pointMeans(built.data));
  const items = built.data.values[0][0].reduce((a, t) => a + t.length, 0);
  const seeds = built.data.seeds.length;
  return {
    verdict: decide(ci),
    evidence:
      `${c.describe(point, kept)} on ${on}: ${describeInterval(ci)} (paired bootstrap over ${items} items × ${seeds} seed${seeds === 1 ? '' : 's'}` +
      `${seeds === 1 ? '; one seed, so training noise is not in the interval' : ''}).${leftOut}`,
    delta: ci.estimate,
    ci: [ci.lo, ci.hi],
  };
}

/** MM1 says `better` beats `worse` on `measure`. */
export function groupBeats(spec: { id: string; text: string; better: Group; worse: Group; measure: Measure }): ComparisonClaim {
  return comparisonClaim(spec.text, {
    id: spec.id,
    measure: spec.measure,
    involved: (v) => matches(v, spec.better.select) || matches(v, spec.worse.select),
    orientation: `${spec.better.label} − ${spec.worse.label}`,
    delta: (group) => {
      const a = group(spec.better.select);
      const b = group(spec.worse.select);
      return a === undefined || b === undefined ? undefined : a - b;
    },
    describe: (group) => `${fmtOr(group(spec.better.select))} (${spec.better.label}) vs ${fmtOr(group(spec.worse.select))} (${spec.worse.label})`,
  });
}

function comparisonClaim(text: string, comparison: Comparison): ComparisonClaim {
  return { id: comparison.id, text, comparison, evaluate: (results) => judge(results, comparison) };
}

const fmtOr = (x: number | undefined) => (x === undefined ? 'none' : fmt(x));
const fmtDeltaOr = (x: number | undefined) => (x === undefined ? 'none' : fmtDelta(x));

/**
 * Mean of the variants at axis = to minus mean at axis = from, averaged over the other axes, or
 * taken only among the variants `within` picks (e.g. {connector: 'cabstractor'} when only one
 * connector type was run at every token count).
 */
export function axisEffect(axis: string, from: string | number, to: string | number, label: string, within: Record<string, string | number> = {}): Effect {
  return {
    label,
    select: (v) => (v.axes[axis] === from || v.axes[axis] === to) && matches(v, within),
    compute(group) {
      const hi = group({ ...within, [axis]: to });
      const lo = group({ ...within, [axis]: from });
      return hi === undefined || lo === undefined ? undefined : hi - lo;
    },
  };
}

/**
 * Largest minus smallest mean over the values of `axis` (how much the choice on that axis moves
 * the score), among the variants `within` picks (e.g. {tokens: 16}: the types compared at one
 * token count, so no type's mean carries another token count).
 */
export function axisRange(axis: string, label: string, within: Record<string, string | number> = {}): Effect {
  return {
    label,
    select: (v) => axis in v.axes && matches(v, within),
    compute(group, variants) {
      const levels = [
        ...new Set(
          variants
            .filter((v) => matches(v, within))
            .map((v) => v.axes[axis])
            .filter((x) => x !== undefined),
        ),
      ];
      const means = levels.map((level) => group({ ...within, [axis]: level }));
      if (means.length < 2 || means.some((x) => x === undefined)) return undefined;
      const defined = means as number[];
      return Math.max(...defined) - Math.min(...defined);
    },
  };
}

/** MM1 says `larger` moves `measure` more than `smaller` does: the bootstrap resamples the difference of the two effects. */
export function effectBeats(spec: { id: string; text: string; larger: Effect; smaller: Effect; measure: Measure }): ComparisonClaim {
  return comparisonClaim(spec.text, {
    id: spec.id,
    measure: spec.measure,
    involved: (v) => matches(v, spec.larger.select) || matches(v, spec.smaller.select),
    orientation: `(${spec.larger.label}) − (${spec.smaller.label})`,
    delta: (group, variants) => {
      const a = spec.larger.compute(group, variants);
      const b = spec.smaller.compute(group, variants);
      return a === undefined || b === undefined ? undefined : a - b;
    },
    describe: (group, variants) =>
      `${fmtDeltaOr(spec.larger.compute(group, variants))} ${spec.larger.label} vs ${fmtDeltaOr(spec.smaller.compute(group, variants))} ${spec.smaller.label}`,
  });
}
