// `mm1 ablate <study> --dry-run`: the planned runs, which are cached, and what the rest would cost
// by the cost model (estimate.ts); with several studies, the pool's distinct runs in one total, in one
// process and in a pool of workers.
import { RunCache } from '../../ablate/cache.js';
import { estimatePlan } from '../../ablate/estimate.js';
import { stateEtaSeconds, TWO_WORKER_WALL_RATIO } from '../../ablate/packed_eta.js';
import { fmtDuration } from '../../ablate/format.js';
import { planRuns, trainingSteps, type PlanOptions } from '../../ablate/plan.js';
import { poolRuns, type PoolStudy } from '../../ablate/pool_plan.js';
import type { Scale, Study } from '../../ablate/study.js';

export function printPlan(study: Study, scale: Scale, seeds: number, seedOpts: PlanOptions, salt: string, out: string, cacheDir: string): void {
  const plan = planRuns(study, scale, seeds, salt, seedOpts);
  const cache = new RunCache(cacheDir);
  const todo = plan.filter((p) => !cache.read(p.key));
  const steps = todo.reduce((a, p) => a + trainingSteps(p.config), 0);
  const est = estimatePlan(
    todo.map((p) => p.config),
    plan.filter((p) => !todo.includes(p)).map((p) => p.config),
    scale,
  );
  const s = est.stages;
  const shared = [
    est.sharedClip > 0 ? `${est.sharedClip} CLIP stage${est.sharedClip > 1 ? 's' : ''}` : '',
    est.sharedPretrain > 0 ? `${est.sharedPretrain} pretraining${est.sharedPretrain > 1 ? 's' : ''}` : '',
  ].filter(Boolean);
  const lines = plan.map(
    (p, i) =>
      `  ${String(i + 1).padStart(3)}  ${p.variant.id.padEnd(20)} seed ${p.seed}  ${p.key}  ${todo.includes(p) ? 'to run' : 'cached'}  (${trainingSteps(p.config)} steps)`,
  );
  process.stdout.write(
    `${study.title} at scale '${scale}', ${seeds} seed${seeds > 1 ? 's' : ''}, output ${out}, runs cached in ${cacheDir}\n${lines.join('\n')}\n` +
      `${plan.length} runs, ${todo.length} to run: ${steps} training steps, about ${fmtDuration(est.seconds)} on an idle 2-core machine ` +
      `(CLIP ${fmtDuration(s.clip)}, pretraining ${fmtDuration(s.pretrain)}${s.sft > 0 ? `, fine-tuning ${fmtDuration(s.sft)}` : ''}, evaluation ${fmtDuration(s.evaluation)}, start-up ${fmtDuration(s.overhead)}` +
      `${shared.length > 0 ? `; ${shared.join(' and ')} reused from another run` : ''}): ` +
      `an estimate from the base run's measured stages, scaled by steps, sequence length, encoder cost and items (src/ablate/estimate.ts).\n`,
  );
}

/**
 * After each study's plan: the studies' distinct runs (a run several studies hold counted once),
 * what the unfinished ones cost in one process, and in a pool of `workers` workers (2 when 1 is
 * asked for): the ETA's first figure, each run × N × 0.80 packed onto the workers in plan order.
 */
export function printPoolTotal(studies: readonly PoolStudy[], scale: Scale, seedOpts: PlanOptions, salt: string, cacheDir: string, workers = 1): void {
  const cache = new RunCache(cacheDir);
  const { runs } = poolRuns(studies, scale, salt, seedOpts);
  const shared = runs.filter((run) => run.owners.length > 1).length;
  const done = runs.filter((run) => cache.read(run.key));
  const todo = runs.filter((run) => !done.includes(run));
  const [todoConfigs, doneConfigs] = [todo, done].map((rs) => rs.map((run) => run.config));
  const est = estimatePlan(todoConfigs, doneConfigs, scale);
  const n = Math.max(2, workers);
  // The live pool's first ETA (workers.ts): nothing under way, every worker cold, no run finished to calibrate.
  const pool = stateEtaSeconds({ running: [], coldWorkers: n, queued: todoConfigs, done: doneConfigs }, scale, n, 1);
  process.stdout.write(
    `\n${studies.length} studies: ${runs.length} distinct runs (${shared} of them in more than one study, run once), ${todo.length} to run: ` +
      `about ${fmtDuration(est.seconds)} in one process on an idle 2-core machine, shared runs and stages counted once` +
      (todo.length > 0
        ? `; about ${fmtDuration(pool)} with --workers ${n} (each run × ${n} × ${TWO_WORKER_WALL_RATIO.toFixed(2)}, packed onto the workers: the ETA's first figure)`
        : '') +
      `. --workers N runs them in one pool of N processes, each study's report written when its last run finishes.\n`,
  );
}
