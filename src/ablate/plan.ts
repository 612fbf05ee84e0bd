// Which runs a study needs at a scale: every variant × seed, with its cache key, in the order
// they will run. Seed-major (all variants with seed 0, then all with seed 1, ...) so an
// interrupted or half-finished study already has one complete seed of every variant.
import { runKey } from './cache.js';
import type { RunConfig } from './runner.js';
import { checkVariants, type Scale, type Study, type Variant } from './study.js';

export interface PlannedRun {
  variant: Variant;
  seed: number;
  /** The variant's config plus the top-level `seed`: exactly what the runner receives. */
  config: RunConfig;
  key: string;
}

/** Seeds are 0, 1, ..., n − 1: the same across studies, so a variant shared by two studies is one run. */
export function seedList(n: number): number[] {
  if (!Number.isInteger(n) || n < 1) throw new Error(`seeds must be a whole number >= 1, got ${n}`);
  return Array.from({ length: n }, (_, i) => i);
}

export function planRuns(study: Study, scale: Scale, seeds: number, salt: string): PlannedRun[] {
  const variants = checkVariants(study, scale);
  const plan: PlannedRun[] = [];
  for (const seed of seedList(seeds)) {
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
export function trainingSteps(config: RunConfig): number {
  const num = (section: string) => {
    const s = config[section] as Record<string, unknown> | undefined;
    return typeof s?.steps === 'number' ? s.steps : 0;
  };
  return num('train') + num('sft');
}
