// What an ablation study is, as data: MM1's question, a grid of variants (each a run config),
// how many seeds, which figure to draw, and MM1's lessons as claims that the numbers either
// reproduce or not. The four studies live in studies/*.ts; run_study.ts runs any of them.
import type { AggregatedResults } from './aggregate.js';
import type { Measure } from './measure.js';
import type { AblationRunConfig } from './runner.js';

/** smoke: ~1.5 min per run, tiny eval sets (checks the pipeline). default: ~7 min per run, a study in 20–65 min per seed. */
export type Scale = 'smoke' | 'default';
export const SCALES: readonly Scale[] = ['smoke', 'default'];

export interface Variant {
  /** Stable, filename-safe id, e.g. "res64-small". */
  id: string;
  /** Row label in the report, e.g. "64 px, small encoder". */
  label: string;
  /** The settings this variant varies, by axis name, e.g. {resolution: 64, encoder: 'small'}. */
  axes: Record<string, string | number>;
  /** The full run config (without the seed, which the framework adds). */
  config: AblationRunConfig;
}

export type Verdict = 'reproduced' | 'not reproduced' | 'inconclusive';

export interface ClaimOutcome {
  verdict: Verdict;
  /** The numbers behind the verdict, in one sentence. */
  evidence: string;
  /** Δ, positive as MM1 reports, and its 95% interval; absent when the claim could not be decided. */
  delta?: number;
  ci?: [number, number];
}

/** One of MM1's lessons, phrased as a comparison our numbers can decide. */
export interface Claim {
  id: string;
  /** The lesson as MM1 states it (or a faithful part of it). */
  text: string;
  evaluate(results: AggregatedResults): ClaimOutcome;
}

/** One panel of a figure: a metric at one shot count. */
export interface Panel {
  metric: string;
  shots: string;
  title?: string;
}

/**
 * The study's figure. `lines`: x = a numeric axis, one line per value of `series` (another axis),
 * one panel per shot count. `bars`: one bar per variant, one panel per shot count. `panels`
 * defaults to the image-task average (avg/image) at every shot count.
 */
export type FigureSpec = { kind: 'lines'; x: string; series?: string; logX?: boolean; panels?: Panel[] } | { kind: 'bars'; panels?: Panel[] };

export interface Study {
  /** CLI name, e.g. "encoder". */
  name: string;
  title: string;
  /** The question MM1 asks, in one sentence. */
  question: string;
  /** MM1's lesson: the paper's sentence when `verbatim`, else a faithful paraphrase of the summaries. */
  lesson: string;
  verbatim: boolean;
  /** Where in MM1 the lesson comes from, e.g. "MM1, Table 1". */
  source: string;
  /** How this tiny version maps onto MM1's ablation (what was scaled down, what is held fixed). */
  notes: string[];
  seeds: Record<Scale, number>;
  variants(scale: Scale): Variant[];
  figure: FigureSpec;
  claims: Claim[];
  /** Measures whose pooled seed std the report states when there are several seeds (default: avg/image over all shots). */
  spreadMeasures?: readonly Measure[];
}

/** Checks what the framework relies on: unique filename-safe ids, labels and axes present. */
export function checkVariants(study: Study, scale: Scale): Variant[] {
  const variants = study.variants(scale);
  if (variants.length === 0) throw new Error(`study '${study.name}' has no variants at scale '${scale}'`);
  const seen = new Set<string>();
  for (const v of variants) {
    if (!/^[a-z0-9][a-z0-9._-]*$/.test(v.id)) throw new Error(`study '${study.name}': variant id '${v.id}' must be lowercase letters, digits, '.', '_' or '-'`);
    if (seen.has(v.id)) throw new Error(`study '${study.name}': variant id '${v.id}' is used twice`);
    seen.add(v.id);
    if (Object.keys(v.axes).length === 0) throw new Error(`study '${study.name}': variant '${v.id}' has no axes; say what it varies`);
  }
  return variants;
}
