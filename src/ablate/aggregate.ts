// From runs to the numbers a study reports: per variant, metric and shot count, the mean and
// the seed spread. Adds MM1-style averages: MM1's ablation tables give one number per shot
// count, the mean over its image tasks (CIDEr and VQA accuracy averaged together, spec §1.1),
// plus text-only performance separately (TextCore); we do the same with whatever tasks the
// runner reports, so claims and figures need not know the task list.
import type { ItemScores, Metrics, RunResult } from './runner.js';
import type { Variant } from './study.js';

/** Mean over the image tasks (every metric whose task does not start with "text"). */
export const IMAGE_AVG = 'avg/image';
/** Mean over the text-only tasks (tasks starting with "text", e.g. text/mc_acc). */
export const TEXT_AVG = 'avg/text';

export function isTextMetric(key: string): boolean {
  return key.startsWith('text');
}

function isDerived(key: string): boolean {
  return key === IMAGE_AVG || key === TEXT_AVG;
}

/** One finished run, as run_study hands it over. */
export interface RunRecord {
  variantId: string;
  seed: number;
  /** Cache key (directory name under <out>/runs/). */
  key: string;
  dir: string;
  result: RunResult;
  /** True when the result came from an earlier invocation. */
  cached: boolean;
}

/** Mean and sample standard deviation (n − 1) over seeds; std is 0 when n = 1. */
export interface Stat {
  mean: number;
  std: number;
  n: number;
}

export interface AggregatedRun {
  seed: number;
  metrics: Metrics;
  items?: ItemScores;
  shotsUsed?: RunResult['shotsUsed'];
}

export interface VariantResults {
  variant: Variant;
  /** One entry per seed, metrics including the averages; per-item scores and reduced shot counts as the run gave them. */
  runs: AggregatedRun[];
  /** stats[metric][shots]. */
  stats: Record<string, Record<string, Stat>>;
}

export interface AggregatedResults {
  variants: VariantResults[];
  /** Every metric seen, runner metrics in first-seen order, then the averages. */
  metrics: string[];
  /** Shot counts seen, ascending ("0", "4", "8"). */
  shots: string[];
  /** Which runner metrics each average is made of. */
  averagedFrom: Record<string, string[]>;
}

export function meanStd(values: readonly number[]): Stat {
  const n = values.length;
  if (n === 0) throw new Error('meanStd: no values');
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const std = n > 1 ? Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean, std, n };
}

/**
 * Adds avg/image and avg/text to one run's metrics, at each shot count where every metric of
 * that family has a value (an average over a changing set of tasks would not be comparable).
 */
export function withAverages(metrics: Metrics): Metrics {
  const out: Metrics = { ...metrics };
  for (const [avg, members] of Object.entries(familyMembers(Object.keys(metrics)))) {
    if (members.length === 0) continue;
    const shots = Object.keys(metrics[members[0]]).filter((s) => members.every((m) => metrics[m][s] !== undefined));
    if (shots.length === 0) continue;
    out[avg] = Object.fromEntries(shots.map((s) => [s, members.reduce((a, m) => a + metrics[m][s], 0) / members.length]));
  }
  return out;
}

function familyMembers(keys: string[]): Record<string, string[]> {
  const own = keys.filter((k) => !isDerived(k));
  return { [IMAGE_AVG]: own.filter((k) => !isTextMetric(k)), [TEXT_AVG]: own.filter(isTextMetric) };
}

const byNumber = (a: string, b: string) => Number(a) - Number(b);

export function aggregate(variants: readonly Variant[], runs: readonly RunRecord[]): AggregatedResults {
  const metricOrder: string[] = [];
  const shotSet = new Set<string>();
  const out: VariantResults[] = variants.map((variant) => {
    const mine = runs.filter((r) => r.variantId === variant.id).sort((a, b) => a.seed - b.seed);
    const perRun = mine.map((r): AggregatedRun => ({
      seed: r.seed,
      metrics: withAverages(r.result.metrics),
      ...(r.result.items ? { items: r.result.items } : {}),
      ...(r.result.shotsUsed ? { shotsUsed: r.result.shotsUsed } : {}),
    }));
    const stats: VariantResults['stats'] = {};
    for (const run of perRun) {
      for (const [metric, byShots] of Object.entries(run.metrics)) {
        if (!metricOrder.includes(metric)) metricOrder.push(metric);
        for (const shots of Object.keys(byShots)) shotSet.add(shots);
      }
    }
    for (const metric of new Set(perRun.flatMap((r) => Object.keys(r.metrics)))) {
      stats[metric] = {};
      const shots = new Set(perRun.flatMap((r) => Object.keys(r.metrics[metric] ?? {})));
      for (const s of [...shots].sort(byNumber)) {
        const values = perRun.map((r) => r.metrics[metric]?.[s]).filter((v): v is number => v !== undefined);
        stats[metric][s] = meanStd(values);
      }
    }
    return { variant, runs: perRun, stats };
  });
  const metrics = [...metricOrder.filter((m) => !isDerived(m)), ...[IMAGE_AVG, TEXT_AVG].filter((m) => metricOrder.includes(m))];
  return { variants: out, metrics, shots: [...shotSet].sort(byNumber), averagedFrom: familyMembers(metrics) };
}
