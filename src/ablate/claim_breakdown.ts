// What a claim's Δ is made of: the same comparison (same variants, seeds, items, orientation
// and paired seeds × items bootstrap) on each task the claim's average reads, and on each shot
// count it averages over. A failed claim is then diagnosed with intervals, not by eye (e.g.
// "caption-only leads on every captioning task and loses every question task").
// Descriptive only: no verdicts here. Many parts give many intervals, and some exclude 0 by
// chance alone; the claim's verdict is its own interval (claims.ts).
import type { AggregatedResults } from './aggregate.js';
import { bootstrapInterval, type PairedScores, type Statistic } from './bootstrap.js';
import { comparisonData, hasComparison, type Comparison } from './claims.js';
import { describeMeasure, resolveShots } from './measure.js';
import { pairedScores } from './paired_scores.js';
import type { Claim } from './study.js';

export interface ClaimPart {
  /** A task metric of the claim's average, or one of its shot counts. */
  kind: 'task' | 'shots';
  /** "caption/cider" or "0-shot". */
  part: string;
  /** What the part's Δ is taken on, e.g. "caption/cider at 0-shot", "avg/image at 4-shot". */
  on: string;
  /** Absent when a group it compares has no variant left; `note` says so. */
  delta?: number;
  ci?: [number, number];
  note?: string;
}

export interface ClaimBreakdown {
  claim: string;
  /** Which way every Δ is taken, as the claim takes it. */
  orientation: string;
  /** What the claim's own Δ is taken on. */
  on: string;
  /** Resamples per part. */
  replicates: number;
  parts: ClaimPart[];
  /** Why there are no parts (the claim could not be paired, or reads one task at one shot count). */
  problem?: string;
}

export const BREAKDOWN_REPLICATES = 2000;

/** The paired data restricted to task t: same items, seeds and shot average as the claim. */
function oneTask(d: PairedScores, t: number): PairedScores {
  return { ...d, tasks: [d.tasks[t]], values: d.values.map((bySeed) => bySeed.map((byTask) => [byTask[t]])) };
}

/** The paired data restricted to the given seeds (a shot count's build may hold seeds the claim lacked). */
function onSeeds(d: PairedScores, seeds: readonly number[]): PairedScores | undefined {
  const idx = seeds.map((s) => d.seeds.indexOf(s));
  if (idx.some((i) => i < 0)) return undefined;
  return { ...d, seeds: [...seeds], values: d.values.map((bySeed) => idx.map((i) => bySeed[i])) };
}

const itemCount = (d: PairedScores) => d.values[0][0].reduce((a, items) => a + items.length, 0);

function part(kind: ClaimPart['kind'], name: string, on: string, d: PairedScores, stat: Statistic, label: string, replicates: number): ClaimPart {
  const ci = bootstrapInterval(d, stat, { seed: 0, label, replicates });
  if (!ci) return { kind, part: name, on, note: 'a group it compares has no variant left' };
  return { kind, part: name, on, delta: ci.estimate, ci: [ci.lo, ci.hi] };
}

export function breakDownComparison(results: AggregatedResults, c: Comparison, replicates = BREAKDOWN_REPLICATES): ClaimBreakdown {
  const on = describeMeasure(results, c.measure);
  const out: ClaimBreakdown = { claim: c.id, orientation: c.orientation, on, replicates, parts: [] };
  const { built, stat } = comparisonData(results, c);
  // Why is in the claim's own evidence, a few lines above in the report.
  if (!built.data) return { ...out, problem: 'the claim itself was not decided' };
  const data = built.data;
  const shots = resolveShots(results, c.measure);
  const at = shots.length === 1 ? ` at ${shots[0]}-shot` : ` over ${shots.join('/')}-shot`;
  if (data.tasks.length > 1)
    data.tasks.forEach((task, t) => out.parts.push(part('task', task, `${task}${at}`, oneTask(data, t), stat, `${c.id}/${task}`, replicates)));
  if (shots.length > 1) {
    for (const s of shots) {
      const measure = { metric: c.measure.metric, shots: [s] };
      const name = `${s}-shot`;
      const sOn = describeMeasure(results, measure);
      // Only the claim's variants: one left out of the claim (too few shots) stays out of its parts.
      // Items are those every run scored at this shot count: the claim's when every shot count
      // scores the same items; otherwise the part says how many it paired on.
      const sub = pairedScores(results, built.kept, measure);
      const d = sub.data && sub.kept.length === built.kept.length ? onSeeds(sub.data, data.seeds) : undefined;
      if (!d)
        out.parts.push({ kind: 'shots', part: name, on: sOn, note: `not paired on the claim's variants and seeds${sub.problem ? ` (${sub.problem})` : ''}` });
      else {
        const p = part('shots', name, sOn, d, stat, `${c.id}/${name}`, replicates);
        const n = itemCount(d);
        out.parts.push(n === itemCount(data) ? p : { ...p, note: `paired on ${n} items, the claim on ${itemCount(data)}` });
      }
    }
  }
  if (out.parts.length === 0) return { ...out, problem: `it reads one task at one shot count, so it is its only part` };
  return out;
}

/** The breakdown of a claim built by groupBeats or effectBeats; undefined for any other claim. */
export function breakDownClaim(results: AggregatedResults, claim: Claim, replicates = BREAKDOWN_REPLICATES): ClaimBreakdown | undefined {
  return hasComparison(claim) ? breakDownComparison(results, claim.comparison, replicates) : undefined;
}
