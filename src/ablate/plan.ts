// Which runs a study needs at a scale: every variant × seed, with its cache key, in the order
// they will run. Seed-major (all variants with seed 0, then all with seed 1, ...) so an
// interrupted or half-finished study already has one complete seed of every variant.
import { runKey } from './cache.js';
import { mergeConfig, nested } from './config_paths.js';
import type { AblationRunConfig } from './runner.js';
import { checkVariants, type Scale, type Study, type Variant } from './study.js';

export interface PlannedRun {
  variant: Variant;
  seed: number;
  /** The variant's config plus the top-level `seed`: exactly what the runner receives. */
  config: AblationRunConfig;
  key: string;
}

/**
 * Seeds first, first + 1, ..., first + n − 1 (first defaults to 0): the same across studies, so a
 * variant shared by two studies is one run, and `--first-seed 3 --seeds 3` adds three fresh seeds.
 */
export function seedList(n: number, first = 0): number[] {
  if (!Number.isInteger(n) || n < 1) throw new Error(`seeds must be a whole number >= 1, got ${n}`);
  if (!Number.isInteger(first) || first < 0) throw new Error(`first seed must be a whole number >= 0, got ${first}`);
  return Array.from({ length: n }, (_, i) => first + i);
}

export interface PlanOptions {
  /** First training seed (default 0). */
  firstSeed?: number;
  /** Overrides every variant's `eval.seed` (the seed that draws evaluation items and shots). */
  evalSeed?: number;
}

/** The eval seed a study's runs use: the variants' `eval.seed` (they share one), 0 when unset. */
export function evalSeedOf(variants: readonly Variant[]): number {
  const seeds = [...new Set(variants.map((v) => (v.config.eval as { seed?: number } | undefined)?.seed ?? 0))];
  if (seeds.length !== 1)
    throw new Error(`the variants use different eval seeds (${seeds.join(', ')}); a study scores every variant on the same items, so give them one eval.seed`);
  return seeds[0];
}

/** The study's variants at a scale, with `eval.seed` overridden when asked. */
export function planVariants(study: Study, scale: Scale, evalSeed?: number): Variant[] {
  const variants = checkVariants(study, scale);
  return evalSeed === undefined ? variants : variants.map((v) => ({ ...v, config: mergeConfig(v.config, nested({ 'eval.seed': evalSeed })) }));
}

export function planRuns(study: Study, scale: Scale, seeds: number, salt: string, opts: PlanOptions = {}): PlannedRun[] {
  const variants = planVariants(study, scale, opts.evalSeed);
  evalSeedOf(variants);
  const plan: PlannedRun[] = [];
  for (const seed of seedList(seeds, opts.firstSeed)) {
    for (const variant of variants) {
      plan.push({ variant, seed, config: { ...variant.config, seed }, key: runKey({ config: variant.config, seed, salt }) });
    }
  }
  const keys = new Set(plan.map((p) => p.key));
  if (keys.size !== plan.length) {
    const dup = plan.find((p, i) => plan.findIndex((q) => q.key === p.key) !== i)!;
    throw new Error(`study '${study.name}': variant '${dup.variant.id}' has the same config as another variant; they would share one run`);
  }
  return plan;
}

/** Training steps of a run (pretraining + fine-tuning), read from the config keys the studies use. */
export function trainingSteps(config: AblationRunConfig): number {
  const num = (section: string) => {
    const s = config[section] as Record<string, unknown> | undefined;
    return typeof s?.steps === 'number' ? s.steps : 0;
  };
  return num('train') + num('sft');
}
