// The 95% interval behind every verdict: a paired, two-way (seeds × items) percentile
// bootstrap. Every run of a study is scored on the same evaluation items (the eval seed is
// fixed per study), so items and training seeds are crossed, not nested: one replicate draws
// seeds with replacement AND, independently, items with replacement within each task, and
// applies that same draw to every variant. Differences between variants are therefore paired
// twice over: item difficulty cancels (same items) and so does whatever a seed shares across
// variants (same data order). Resampling both factors of a crossed design is the "pigeonhole"
// bootstrap (Owen 2007, Ann. Appl. Stat. 1(2)), which is conservative for such data: it never
// understates the variance of a mean by more than a factor (n−1)/n per factor, and with one
// seed it reduces to the ordinary paired item bootstrap (training noise is then not measured,
// which the report says).
// Hand-written: the npm statistics packages offer one-sample bootstraps of a mean, not a
// paired crossed resample under an arbitrary statistic (an effect range, a difference of effects).
import { Rng } from '../engine/rng.js';

/**
 * Per-item values of one measure for the variants a claim reads:
 * `values[v][s][t]` holds variant v, seed s (the same seed list for every variant), task t's
 * item values, in the same item order for every variant and seed (pairing is by position).
 */
export interface PairedScores {
  variants: readonly string[];
  seeds: readonly number[];
  /** Task names, for messages. */
  tasks: readonly string[];
  values: readonly (readonly (readonly Float64Array[])[])[];
}

/** A run's score: mean over tasks of the mean over items. A variant's: mean over seeds. */
export type Statistic = (variantMeans: readonly number[]) => number | undefined;

export interface Interval {
  /** The statistic on the data as they are. */
  estimate: number;
  lo: number;
  hi: number;
  level: number;
  replicates: number;
}

export interface BootstrapOptions {
  /** Resamples (default 2000). */
  replicates?: number;
  /** Coverage (default 0.95). */
  level?: number;
  /** Seeds the resampling, so a report reads the same every time it is written. */
  seed?: number;
  label?: string;
}

/** Checks the shape promise of PairedScores; errors name the variant, seed and task. */
export function checkPaired(d: PairedScores): void {
  if (d.variants.length === 0 || d.seeds.length === 0 || d.tasks.length === 0)
    throw new Error(`paired scores need at least one variant, seed and task (got ${d.variants.length}, ${d.seeds.length}, ${d.tasks.length})`);
  d.tasks.forEach((task, t) => {
    const n = d.values[0][0][t].length;
    if (n === 0) throw new Error(`task ${task} has no items shared by every run`);
    d.values.forEach((bySeed, v) =>
      bySeed.forEach((byTask, s) => {
        if (byTask[t].length !== n)
          throw new Error(
            `variant ${d.variants[v]}, seed ${d.seeds[s]}: task ${task} has ${byTask[t].length} items, the first run ${n}; runs must be scored on the same items`,
          );
      }),
    );
  });
}

/** Variant means for given seed indices and per-task item counts (how often each item was drawn). */
function variantMeans(d: PairedScores, seedIdx: readonly number[], itemCounts: readonly (Float64Array | undefined)[]): number[] {
  return d.values.map((bySeed) => {
    let sum = 0;
    for (const s of seedIdx) {
      let run = 0;
      bySeed[s].forEach((items, t) => {
        const counts = itemCounts[t];
        let acc = 0;
        if (counts) for (let i = 0; i < items.length; i++) acc += counts[i] * items[i];
        else for (let i = 0; i < items.length; i++) acc += items[i];
        run += acc / items.length;
      });
      sum += run / bySeed[s].length;
    }
    return sum / seedIdx.length;
  });
}

/** Each variant's score on the data as they are (every seed and item once). */
export function pointMeans(d: PairedScores): number[] {
  return variantMeans(
    d,
    d.seeds.map((_, i) => i),
    d.tasks.map(() => undefined),
  );
}

/** Percentile of sorted values with linear interpolation between order statistics (R type 7). */
export function quantile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) throw new Error('quantile of no values');
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Percentile interval of `stat` under the paired seeds × items bootstrap. */
export function bootstrapInterval(d: PairedScores, stat: Statistic, opts: BootstrapOptions = {}): Interval | undefined {
  checkPaired(d);
  const estimate = stat(pointMeans(d));
  if (estimate === undefined) return undefined;
  const replicates = opts.replicates ?? 2000;
  const level = opts.level ?? 0.95;
  const rng = new Rng(opts.seed ?? 0).fork(`bootstrap/${opts.label ?? ''}`);
  const sizes = d.values[0][0].map((items) => items.length);
  const counts = sizes.map((n) => new Float64Array(n));
  const draws: number[] = [];
  for (let b = 0; b < replicates; b++) {
    const seedIdx = d.seeds.map(() => rng.int(d.seeds.length));
    counts.forEach((c, t) => {
      c.fill(0);
      for (let i = 0; i < sizes[t]; i++) c[rng.int(sizes[t])]++;
    });
    const x = stat(variantMeans(d, seedIdx, counts));
    if (x !== undefined) draws.push(x);
  }
  draws.sort((a, b) => a - b);
  const tail = (1 - level) / 2;
  return { estimate, lo: quantile(draws, tail), hi: quantile(draws, 1 - tail), level, replicates: draws.length };
}
