// A study as a list of independent runs, for schedulers: `mm1 ablate <study> --plan` prints one
// line per run (its cache key, a tab, the command that runs it alone) and records each run's
// config in the cache; `mm1 ablate run <key> --cache DIR` is that command. Any scheduler that
// can run a list of shell commands against a shared directory can then run a study: GNU
// parallel, a Slurm job array, a Kubernetes Indexed Job (docs/scale.md).
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Device } from '../../engine/device.js';
import { codeSalt, RunCache } from '../../ablate/cache.js';
import { fmtDuration } from '../../ablate/format.js';
import { planRuns, type PlanOptions } from '../../ablate/plan.js';
import { runOne } from '../../ablate/run_one.js';
import { describeOwner } from '../../ablate/run_lock.js';
import { recordRuns, shellWord } from '../../ablate/run_study.js';
import type { Runner } from '../../ablate/runner.js';
import type { Scale, Study } from '../../ablate/study.js';

/** Every run of the study, finished or not, in plan order (so line i is the same run on every call). */
export function sweepPlanLines(o: { study: Study; scale: Scale; seeds: number; salt: string; cacheDir: string; device?: Device } & PlanOptions): string {
  // A worker runs on the device the plan was printed for: named on each line unless it is the CPU.
  const device = o.device && o.device !== 'cpu' ? ` --device ${o.device}` : '';
  const plan = planRuns(o.study, o.scale, o.seeds, o.salt, o);
  recordRuns(o.study, o.scale, plan, o.salt, new RunCache(o.cacheDir));
  return plan.map((run) => `${run.key}\tmm1 ablate run ${run.key} --cache ${shellWord(o.cacheDir)}${device}\n`).join('');
}

export interface RunFlags {
  cache?: string;
  wait?: boolean;
  quiet?: boolean;
}

/** Outcomes of `mm1 ablate run`, for its help. */
export const RUN_HELP = `
Each \`mm1 ablate run <key> --cache DIR\` runs one planned run (a line of --plan) and prints one line:
  <key> finished in 2m10s        this worker ran it
  <key> cached                   it had finished before
  <key> held by pid P on H …     another worker is running it: skipped (--wait: wait for it)
Each exits 0; a failing run exits 1 and leaves its directory to resume from. A lock whose owner
died (same host, pid gone) or stopped refreshing it for 10 minutes is taken over.
\`mm1 ablate run - --cache DIR\` reads run keys from stdin, one a line, and runs them in turn in one
process (what each --workers process does), printing one such line per key, or
\`<key> failed: <message>\` for a run that failed (the next key still runs; the exit code is 1).`;

/** `mm1 ablate run <key> --cache DIR`: one run of a plan, locked against other workers. */
export async function runPlannedRun(key: string | undefined, flags: RunFlags, runner: Runner): Promise<void> {
  if (!key) throw new Error('mm1 ablate run needs a run key: mm1 ablate run <key> --cache DIR (mm1 ablate <study> --plan --cache DIR prints them)');
  if (!flags.cache) throw new Error(`mm1 ablate run ${key} needs the cache the plan was printed for: --cache DIR`);
  if (key === '-') return runKeysFromStdin(flags, runner);
  const line = await runKey(key, flags, runner);
  if (line) process.stdout.write(`${line}\n`);
}

/**
 * `mm1 ablate run - --cache DIR`: keys from stdin, each run as `mm1 ablate run <key>` runs it, one
 * outcome line each as it ends; a failing run is reported and the next key read (exit code 1 at
 * the end). One process for many runs keeps what a process builds once (the evaluation items).
 */
async function runKeysFromStdin(flags: RunFlags, runner: Runner): Promise<void> {
  let failures = 0;
  for await (const text of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
    const key = text.trim();
    if (!key) continue;
    try {
      const line = await runKey(key, flags, runner);
      if (line) process.stdout.write(`${line}\n`);
    } catch (err) {
      failures++;
      const message = err instanceof Error ? err.message : String(err);
      process.stderr.write(`mm1: ${message}\n`);
      process.stdout.write(`${key} failed: ${message.split('\n')[0]}\n`);
    }
  }
  if (failures > 0) process.exitCode = 1;
}

/** Runs `key` (waiting for it with --wait) and returns the line that says how it ended. */
async function runKey(key: string, flags: RunFlags, runner: Runner): Promise<string | undefined> {
  const cache = new RunCache(flags.cache!);
  const { identity, about } = cache.planned(key);
  const mine = codeSalt();
  if (identity.salt !== mine && !identity.salt.startsWith(`${mine}/`)) {
    throw new Error(
      `run ${key} was planned by another mm1 (cache salt '${identity.salt}'); this is '${mine}'. Print the plan again with this mm1, or run this one with the mm1 that planned it.`,
    );
  }
  const onLog = flags.quiet ? undefined : (msg: string) => process.stderr.write(`    ${String(about.variant)}/seed${identity.seed}: ${msg}\n`);
  const started = Date.now();
  for (;;) {
    const outcome = await runOne({ key, identity, about }, cache, runner, onLog);
    if (outcome.status === 'finished') return `${key} finished in ${fmtDuration((Date.now() - started) / 1000)}`;
    if (outcome.status === 'cached') return `${key} cached`;
    if (!flags.wait) return `${key} held by ${describeOwner(outcome.owner)}: skipped`;
    await sleep(10_000);
  }
}
