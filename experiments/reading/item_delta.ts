// Δ = B − A of two runs scored on the same items, one seed each (item noise only), with the paired
// item bootstrap the study reports use (src/ablate/bootstrap.ts, seed 1). With several tasks, Δ of
// their mean. compare_runs.ts, vizwiz_clean.ts and vqa_by_type.ts share it so their intervals are
// drawn alike; `label` forks the bootstrap's random stream, as each script has always passed it.
import { bootstrapInterval, type Interval, type PairedScores } from '../../src/ablate/bootstrap.js';

/** Two runs' per-item scores, one array per task (the same items in the same order in both), as one-seed paired scores. */
export function twoRuns(
  a: readonly Float64Array[],
  b: readonly Float64Array[],
  tasks: readonly string[],
  names: readonly [string, string] = ['a', 'b'],
): PairedScores {
  return { variants: names, seeds: [0], tasks, values: [[[...a]], [[...b]]] };
}

/** The 95% paired item-bootstrap interval of B − A; undefined when bootstrapInterval has none (no items). */
export function itemDelta(d: PairedScores, label?: string): Interval | undefined {
  return bootstrapInterval(d, (m) => m[1] - m[0], label === undefined ? { seed: 1 } : { seed: 1, label });
}
