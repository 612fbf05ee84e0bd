// How long a pool of workers takes over several studies' runs in a given hand-out order, by the
// cost model (src/ablate/estimate.ts) instead of by running them: a deterministic replay of what
// workers.ts does. A free worker (the earliest free, the lowest number on a tie) takes pickRun's
// choice (the pool's own pick_run.ts: the first run in the order whose shared stages nobody is
// making). A run costs its start-up (plus the evaluation items on its worker's first run), then
// its shared stages outermost first, as the runner's locks make them: a stage made or being made
// by another run is waited for and reused, which ends the chain; otherwise the run makes its inner
// stages, then this one. Then its own pretraining (runs without fine-tuning), fine-tuning and
// evaluation. Seconds are the cost model's idle one-process seconds × poolSlowdown(N).
//
//   node --import tsx bench/pool_order.ts [--workers 2] [--seeds 3] [--scale default]
// Prints one line per pool (`all`, MM1's four ablations, then each study alone): the makespan in each hand-out order,
// its ratio to plan order, the lower bound max(work / N, longest run), and each study's report time.
import { Command } from 'commander';
import { pathToFileURL } from 'node:url';
import { BASE_STAGE_SECONDS, stageSeconds, totalSeconds } from '../src/ablate/estimate.js';
import { fmtDuration } from '../src/ablate/format.js';
import { poolSlowdown } from '../src/ablate/packed_eta.js';
import { pickRun, stagesToMake, type StageDir, type StageState } from '../src/ablate/pick_run.js';
import { poolRuns, type PoolRun } from '../src/ablate/pool_plan.js';
import { findStudy, STUDIES } from '../src/ablate/studies/index.js';
import type { Scale } from '../src/ablate/study.js';
import { mm1SharedStages } from '../src/jobs/ablation_runner.js';

/** A run as the simulation sees it: its stages outermost first, each with what making it costs. */
export interface SimRun {
  key: string;
  /** Seconds before its stages: start-up (graphs, sessions). */
  startup: number;
  /** Shared stages, outermost first (Runner.sharedStages), each with the seconds to make it. */
  stages: { id: string; seconds: number }[];
  /** Seconds after its stages: its own pretraining when not shared, fine-tuning, evaluation. */
  own: number;
}

export interface SimResult {
  /** Seconds until the last run ends. */
  makespan: number;
  /** Each run's start and end, by key. */
  runs: Map<string, { start: number; end: number; worker: number }>;
  /** When each shared stage was made, by id, and which run made it. */
  stages: Map<string, { doneAt: number; by: string }>;
}

/** Replays a pool of `workers` workers handing out `order` (pickRun's rule); `firstRunExtra` is added to each worker's first run. */
export function simulatePool(order: readonly SimRun[], workers: number, firstRunExtra = 0): SimResult {
  if (!Number.isSafeInteger(workers) || workers < 1) throw new Error(`workers must be a whole number ≥ 1, got ${workers}`);
  const freeAt = Array<number>(workers).fill(0);
  const used = Array<boolean>(workers).fill(false);
  const runs = new Map<string, { start: number; end: number; worker: number }>();
  const stages = new Map<string, { doneAt: number; by: string }>();
  const dirsOf = (r: SimRun): StageDir[] => r.stages.map((s) => ({ stage: s.id, dir: s.id }));
  // Makes `chain` (outermost first) at `t` for run `by`, or waits for its outermost stage; returns when the run can go on.
  const make = (chain: SimRun['stages'], t: number, by: string): number => {
    if (chain.length === 0) return t;
    const [outer, ...inner] = chain;
    const known = stages.get(outer.id);
    if (known) return Math.max(t, known.doneAt);
    const doneAt = make(inner, t, by) + outer.seconds;
    stages.set(outer.id, { doneAt, by });
    return doneAt;
  };
  for (;;) {
    const worker = freeAt.indexOf(Math.min(...freeAt));
    const t = freeAt[worker];
    const state: StageState = { done: (s) => (stages.get(s.dir)?.doneAt ?? Infinity) <= t, holder: () => undefined };
    const active = order.filter((r) => runs.has(r.key) && runs.get(r.key)!.end > t);
    const making = new Set(active.flatMap((r) => stagesToMake(dirsOf(r), state).map((s) => s.dir)));
    const next = pickRun(
      order.filter((r) => !runs.has(r.key)),
      dirsOf,
      making,
      state,
    );
    if (!next) break;
    const begin = t + next.startup + (used[worker] ? 0 : firstRunExtra);
    const end = make(next.stages, begin, next.key) + next.own;
    runs.set(next.key, { start: t, end, worker });
    used[worker] = true;
    freeAt[worker] = end;
  }
  return { makespan: Math.max(0, ...[...runs.values()].map((r) => r.end)), runs, stages };
}

/** A pool run as the simulation sees it: the cost model's stages (× `slowdown`) and the runner's shared stages. */
export function simRun(run: PoolRun, scale: Scale, slowdown = 1): SimRun {
  const s = stageSeconds(run.config, scale);
  const shared = mm1SharedStages(run.config);
  const cost = { clip: s.clip, pretrain: s.pretrain } as Record<string, number>;
  const sharesPretrain = shared.some((x) => x.stage === 'pretrain');
  return {
    key: run.key,
    startup: s.overhead * slowdown,
    stages: shared.map((x) => {
      if (cost[x.stage] === undefined) throw new Error(`the runner shares a stage '${x.stage}' the cost model has no seconds for; add it to simRun`);
      return { id: JSON.stringify([x.stage, x.inputs]), seconds: cost[x.stage] * slowdown };
    }),
    own: ((sharesPretrain ? 0 : s.pretrain) + s.sft + s.evaluation) * slowdown,
  };
}

/** `runs` sorted by `seconds`, longest first (LPT); equal ones keep their order (a stable sort). */
export function longestFirst<R>(runs: readonly R[], seconds: (run: R) => number): R[] {
  return runs
    .map((run, i) => ({ run, i, s: seconds(run) }))
    .sort((a, b) => b.s - a.s || a.i - b.i)
    .map((x) => x.run);
}

/** Plan order with each study's runs sorted longest first, the studies kept in their order (reports stay early). */
function longestFirstPerStudy(runs: readonly PoolRun[], seconds: (r: PoolRun) => number): PoolRun[] {
  const byStudy = new Map<string, PoolRun[]>();
  for (const r of runs) byStudy.set(r.owners[0].study.name, [...(byStudy.get(r.owners[0].study.name) ?? []), r]);
  return [...byStudy.values()].flatMap((rs) => longestFirst(rs, seconds));
}

function main(): void {
  const opts = new Command()
    .option('--workers <n>', 'workers in the pool', '2')
    .option('--seeds <n>', 'seeds per study', '3')
    .option('--scale <scale>', 'smoke or default', 'default')
    .parse()
    .opts<{ workers: string; seeds: string; scale: Scale }>();
  const workers = Number(opts.workers);
  const seeds = Number(opts.seeds);
  const slow = poolSlowdown(workers);
  const four = ['encoder', 'connector', 'mixture', 'highres'].map(findStudy); // MM1's four pretraining ablations, docs/scale.md's example
  const pools: [string, typeof STUDIES][] = [['all', STUDIES], ['four', four], ...STUDIES.map((s): [string, typeof STUDIES] => [s.name, [s]])];
  const min = (s: number) => `${(s / 60).toFixed(1)}`;
  console.log(
    `${workers} workers, ${seeds} seeds, scale ${opts.scale}; idle one-process seconds × ${slow.toFixed(2)} per run (poolSlowdown); minutes; ratio to plan order`,
  );
  for (const [name, studies] of pools) {
    const { runs } = poolRuns(
      studies.map((study) => ({ study, outDir: study.name, seeds })),
      opts.scale,
      'sim',
      {},
    );
    const whole = (r: PoolRun) => totalSeconds(stageSeconds(r.config, opts.scale));
    const orders: [string, PoolRun[]][] = [
      ['plan', [...runs]],
      ['LPT', longestFirst(runs, whole)],
      ['LPT per study', longestFirstPerStudy(runs, whole)],
    ];
    const extra = BASE_STAGE_SECONDS.evalItems * slow;
    const cells = orders.map(([label, order]) => {
      const sim = simulatePool(
        order.map((r) => simRun(r, opts.scale, slow)),
        workers,
        extra,
      );
      const reports = studies.map((st) => Math.max(...runs.filter((r) => r.owners.some((o) => o.study === st)).map((r) => sim.runs.get(r.key)!.end)));
      return { label, sim, reports };
    });
    // Lower bound: the work in plan order (each shared stage once) spread evenly, or the longest run, whichever is more.
    const one = simulatePool(
      runs.map((r) => simRun(r, opts.scale, slow)),
      1,
      extra,
    );
    const longest = Math.max(...runs.map((r) => whole(r) * slow));
    const bound = Math.max((one.makespan + extra * (workers - 1)) / workers, longest + extra);
    const p = cells[0].sim.makespan;
    console.log(
      `${name.padEnd(14)} ${String(runs.length).padStart(3)} runs | ` +
        cells.map((c) => `${c.label} ${min(c.sim.makespan)} (${(c.sim.makespan / p).toFixed(3)})`).join(' | ') +
        ` | bound ${min(bound)} | one worker ${fmtDuration(one.makespan / slow)} idle`,
    );
    if (studies.length > 1)
      for (const c of cells)
        console.log(
          `    reports, ${c.label}: ${studies.map((st, i) => `${st.name} ${min(c.reports[i])}`).join(', ')} (sum ${min(c.reports.reduce((a, b) => a + b, 0))})`,
        );
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) main();
