// The runs of several studies as one list for one pool of workers (`mm1 ablate A B … --workers N`):
// each study's plan in the order the studies are given, a run that several studies hold (same cache
// key: same config, seed and salt, e.g. the base run every pretraining study contains) listed once,
// where it first appears, and owned by each of them. A study's report can be written once every
// key of its own plan has finished.
import type { RunCache } from './cache.js';
import { planRuns, type PlannedRun, type PlanOptions } from './plan.js';
import { recordRuns } from './run_study.js';
import type { Scale, Study } from './study.js';

/** One study of a pool, and where its report goes. */
export interface PoolStudy {
  study: Study;
  /** Its report's directory: what `mm1 ablate <study> --out DIR` writes there. */
  outDir: string;
  /** Seeds per variant (default: the study's count for the scale). */
  seeds?: number;
  /** The command its report shows (default: the equivalent `mm1 ablate` command). */
  command?: string;
}

/** A run of the pool: the first study's planned run, and every study whose plan holds its key. */
export interface PoolRun extends PlannedRun {
  owners: PoolStudy[];
}

export interface PoolPlan {
  runs: PoolRun[];
  /** Each study's run keys, in its plan order. */
  keysOf: Map<PoolStudy, string[]>;
}

/** Every study's plan, shared runs once; nothing written (what --dry-run counts). */
export function poolRuns(studies: readonly PoolStudy[], scale: Scale, salt: string, opts: PlanOptions): PoolPlan & { plans: Map<PoolStudy, PlannedRun[]> } {
  const names = studies.map((s) => s.study.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice) throw new Error(`study '${twice}' is named twice; name each study once`);
  const byKey = new Map<string, PoolRun>();
  const plans = new Map<PoolStudy, PlannedRun[]>();
  for (const entry of studies) {
    const plan = planRuns(entry.study, scale, entry.seeds ?? entry.study.seeds[scale], salt, opts);
    plans.set(entry, plan);
    for (const run of plan) {
      const known = byKey.get(run.key);
      if (known) known.owners.push(entry);
      else byKey.set(run.key, { ...run, owners: [entry] });
    }
  }
  const keysOf = new Map([...plans].map(([entry, plan]) => [entry, plan.map((run) => run.key)]));
  return { runs: [...byKey.values()], keysOf, plans };
}

/** Every study's plan, shared runs once; records each run's config in `cache` (as --plan does). */
export function poolPlan(studies: readonly PoolStudy[], scale: Scale, salt: string, opts: PlanOptions, cache: RunCache): PoolPlan {
  const { runs, keysOf, plans } = poolRuns(studies, scale, salt, opts);
  for (const [entry, plan] of plans) recordRuns(entry.study, scale, plan, salt, cache);
  return { runs, keysOf };
}
