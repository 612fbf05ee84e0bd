// `mm1 ablate <study>`: reruns one of MM1's ablations as a grid of small pretraining runs on the
// synthetic world, each followed by the standard evaluation, and writes a paper-style report.
import { InvalidArgumentError, Option, type Command } from 'commander';
import { codeSalt, defaultCacheDir } from '../../ablate/cache.js';
import { ablateCommand, progressLine, runStudy } from '../../ablate/run_study.js';
import type { Runner } from '../../ablate/runner.js';
import { STUDIES } from '../../ablate/studies/index.js';
import { readStudySummary, summaryMarkdown } from '../../ablate/summary.js';
import { SCALES, type Scale } from '../../ablate/study.js';
import { mm1Runner } from '../../jobs/ablation_runner.js';
import { runStudyInWorkers } from '../../ablate/workers.js';
import { currentDevice } from '../../engine/device.js';
import { withDevice } from '../device_flag.js';
import { wholeNumber } from '../flags.js';
import { COMPARE_HELP, runCompare } from './ablate_compare.js';
import { printPlan } from './ablate_dry_run.js';
import { RUN_HELP, runPlannedRun, sweepPlanLines } from './ablate_run.js';
import { outcomeLines, runSeveralStudies, studiesNamed } from './ablate_several.js';

export interface AblateFlags {
  scale: Scale;
  seeds?: number;
  firstSeed?: number;
  evalSeed?: number;
  out?: string;
  cache?: string;
  salt?: string;
  list?: boolean;
  dryRun?: boolean;
  plan?: boolean;
  wait?: boolean;
  reportOnly?: boolean;
  quiet?: boolean;
  linksFrom?: string;
  workers: number;
}

/** `--workers`: a whole number ≥ 1, or an error that names the value and says what to give. */
function workerCount(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isSafeInteger(n) || n < 1)
    throw new InvalidArgumentError(
      `Expected a whole number of worker processes ≥ 1, e.g. --workers 2 on a 2-core machine (one per 1–2 cores; 1 runs the study in this process).`,
    );
  return n;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function studyList(): string {
  return STUDIES.map((s) => {
    const sizes = SCALES.map((scale) => `${scale}: ${plural(s.variants(scale).length, 'variant')} × ${plural(s.seeds[scale], 'seed')}`).join('; ');
    return `${s.name.padEnd(10)} ${s.title}\n${' '.repeat(11)}${s.question}\n${' '.repeat(11)}(${sizes})`;
  }).join('\n\n');
}

const HELP_AFTER = `
Each study reruns one of MM1's ablations at toy scale: a grid of variants (e.g. image
resolution × encoder size), each pretrained on the synthetic world (1,000 steps at default
scale) and then evaluated 0/4/8-shot on captioning, VQA and text-only tasks. The fifth study,
seeds, measures how far the base run moves with the training seed alone. Every run is scored on
the same evaluation items (drawn by --eval-seed, not the training seed), so variants are compared
item by item. The report states MM1's question, a paper-style table (mean ± std over seeds), a
figure, and each of MM1's lessons with its Δ and a 95% confidence interval (a paired bootstrap over
seeds and items): ✔ reproduced when the interval lies above 0, ✘ not reproduced when below, ?
inconclusive when it holds 0.

Studies:
${studyList()
  .split('\n')
  .map((l) => (l ? `  ${l}` : l))
  .join('\n')}

Scales:
  smoke     100 steps per run, small eval sets: ~1.5–3 min per run, a study in 5–20 minutes
            (checks the pipeline; too short for the lessons to show)
  default   800 CLIP steps + 1000 pretraining steps per run, up to 300 items per image task
            (1,400 in all), 3 seeds: ~7 min for the base run on an idle 2-core machine, up to
            ~20 min for 128 px or 64-token variants; a study takes 0.5–2.5 hours, all five about
            6 with one --cache. --dry-run prints the estimate, by stage, for what is not cached
  Smoke runs one seed; default runs 3. --seeds N changes that; --first-seed S starts the seeds
  at S, so '--seeds 3 --first-seed 3' adds three fresh seeds (runs are cached per seed).

Output (in --out, default runs/ablate/<study>):
  report.md, report.html     the report (the HTML has the figure inline)
  figures/<study>.svg        the figure
  study.json                 every number in the report, for programs
  runs/<key>/                one directory per run: config.json, run.log, checkpoints, result.json
                             (in --cache DIR instead when given: studies sharing it share runs,
                             e.g. the base run that every study contains, and stages: clip-<hash>/
                             holds the CLIP stage of every run with that encoder and seed)

Runs are cached by a hash of their config, seed and mm1 version: rerunning a study reuses
finished runs, and an interrupted study (Ctrl-C, crash) continues with the runs it lacks, each
resuming from its last checkpoint. Runs go one at a time, every core serving each run, unless
--workers says otherwise.

Several runs at once (--workers N):
  mm1 ablate connector --workers 2          # two runs side by side, one ONNX Runtime thread each
  N worker processes on this machine take the study's runs in turn (each a \`mm1 ablate run -\` process,
  locked as below), each with MM1_ORT_THREADS = max(1, floor(cores / N)) unless you set it. A run
  on two threads leaves ~30% of the second core idle (data, evaluation's host work), so on a
  2-core machine two one-thread workers finish a study sooner at the same CPU per run. Use one
  worker per 1–2 cores, and memory for N runs at once: each worker peaks at the recipe's RSS
  (docs/scale.md, "What fits where"). Each worker's output goes to <out>/worker-logs/worker-<i>.log;
  a failing run is named with its log and the others go on; Ctrl-C stops every worker at its next
  checkpoint, and the same command resumes. The ETA packs the runs left onto the N workers in the
  order they are handed out, so near the end it is the longest worker's time, not the sum ÷ N; each
  run is priced by the cost model for N workers until runs finish, then scaled by how long the
  finished runs took against their prices. One-thread runs repeat bit for bit but differ from
  two-thread runs in the last digits: do not mix the two in a study whose numbers must repeat.

Several studies at once (one pool of workers):
  mm1 ablate encoder connector mixture highres --workers 2   # MM1's four ablations
  mm1 ablate pretraining --workers 2                         # MM1's pretraining ablations: encoder connector mixture
  mm1 ablate all --workers 2                                 # every study listed above
  The studies' runs go to one pool of N workers in the order the studies are named: when one
  study's last run is under way, the next study's runs fill the other workers instead of leaving
  them idle. A run several studies hold (the base run, at the same seeds) runs once, as do shared
  CLIP stages. Each study's report is written to <out>/<study> (default runs/ablate/<study>) as
  soon as its last run finishes, and is byte for byte the report \`mm1 ablate <study> --out
  <out>/<study> --cache <cache>\` writes from the same cache, the command it shows. Runs are cached
  in --cache (default <out>/cache, so runs/ablate/cache), worker logs go to <out>/worker-logs. A
  failing run is named with its studies and log; the other studies go on and get their reports.
  Without --workers the studies run one after another in this process. --dry-run lists every
  study's plan and the distinct runs in all; --plan prints each distinct run once.

Examples:
  mm1 ablate --list
  mm1 ablate encoder --scale smoke          # a few minutes
  mm1 ablate mixture --dry-run              # what would run, what is cached, how long
  mm1 ablate connector --seeds 3 --first-seed 3 --out runs/connector-seeds3to5
  mm1 ablate encoder --cache runs/ablate/cache && mm1 ablate connector --cache runs/ablate/cache

Sweeps over several machines (docs/scale.md: GNU parallel over ssh, Slurm job arrays, Kubernetes Indexed Jobs):
  mm1 ablate connector --cache /shared/cache --plan | cut -f2 | parallel -j 1 --sshlogin node1,node2
  mm1 ablate run <key> --cache /shared/cache       # one run, as a scheduler task does
  mm1 ablate connector --cache /shared/cache --report-only   # report what is finished, list the rest
  A run is locked while it runs (<cache>/<key>/lock.json): a second worker given it skips it
  (ablate run) or waits for it (ablate <study>).

Summary of finished studies (for docs/results/README.md and README's table):
  mm1 ablate summary runs/ablate/encoder-default runs/ablate/seeds-default --links-from docs/results
  prints one Markdown row per claim (study, claim, Δ, 95% CI, verdict, seeds, report link) from
  each directory's study.json, and the pooled seed std of studies without claims.
`;

/** `runner` trains and evaluates one config: the real jobs by default; tests pass a fast stand-in. */
export function register(program: Command, runner: Runner = mm1Runner): void {
  withDevice(program.command('ablate'))
    .summary("rerun one of MM1's ablations at toy scale and report whether its lessons hold")
    .description(
      `Rerun one of MM1's ablation studies (${STUDIES.map((s) => s.name).join(', ')}) as a grid of small pretraining + evaluation runs, and write a paper-style report checking MM1's lessons.`,
    )
    .argument(
      '[study]',
      `which study: ${STUDIES.map((s) => s.name).join(', ')}, pretraining (encoder connector mixture) or all; \`run\` to run one planned run; \`summary\` to tabulate finished studies; \`compare\` to check a fresh-seed rerun against the earlier report`,
    )
    .argument(
      '[args...]',
      "more studies, run on one cache (with --workers N in one pool: 'Several studies at once' below); with `run`: the run key, as --plan prints it (- reads keys from stdin, one a line); with `summary`: the studies' --out directories; with `compare`: the earlier and the later report",
    )
    .addOption(new Option('--scale <scale>', 'how big the runs are').choices([...SCALES]).default('default'))
    .option('--seeds <n>', 'training seeds per variant (default: 3 at default scale, 1 at smoke; the seeds study always 3)', wholeNumber(1))
    .option('--first-seed <s>', 'first training seed (default 0): seeds are S, S+1, …; add seeds to a study or rerun it with fresh ones', wholeNumber(0))
    .option('--eval-seed <s>', "seed that draws the evaluation items and shots, the same for every run (default: the study's, 0)", wholeNumber(0))
    .option(
      '--out <dir>',
      'output directory (default: runs/ablate/<study>); with several studies, the folder that holds one per study (default: runs/ablate); with `compare`: the Markdown file to write',
    )
    .option(
      '--cache <dir>',
      'where runs are cached (default: <out>/runs; with several studies <out>/cache); share one between studies to run common variants once',
    )
    .option('--salt <text>', 'extra text mixed into every cache key; change it to rerun everything (e.g. after editing the trainer)')
    .option('--list', 'list the studies with the question each one asks, then exit')
    .option('--dry-run', 'show the planned runs, which are cached, and an estimated time; run nothing')
    .option(
      '--plan',
      'print one line per run, "<key><TAB><command>", the command that runs it alone (for GNU parallel, Slurm, Kubernetes: docs/scale.md); records the runs in the cache',
    )
    .option('--report-only', 'run nothing: write the report from the finished runs in the cache and list the missing ones')
    .option(
      '--workers <n>',
      "runs at a time, each in its own process on one ONNX Runtime thread per 1–2 cores (default 1: one process, every core per run); see 'Several runs at once' below",
      workerCount,
      1,
    )
    .option('--wait', 'with `run`: when another worker holds the run, wait for its result instead of skipping it')
    .option('--links-from <dir>', 'with `summary`: write report links relative to this folder (the page the table goes in; default: the working directory)')
    .option('-q, --quiet', "print one line per run only, not the runs' own log lines")
    .addHelpText('after', HELP_AFTER)
    .addHelpText('after', RUN_HELP)
    .addHelpText('after', COMPARE_HELP)
    .action(async (name: string | undefined, args: string[], flags: AblateFlags) => {
      if (name === 'run') {
        if (args.length > 1) throw new Error(`mm1 ablate run takes one run key, got ${args.length}: ${args.join(' ')}`);
        return runPlannedRun(args[0], flags, runner);
      }
      if (name === 'compare') return runCompare(args, flags.out);
      if (name === 'summary') {
        if (args.length === 0)
          throw new Error(
            "mm1 ablate summary needs the studies' --out directories, e.g. mm1 ablate summary runs/ablate/encoder-default runs/ablate/seeds-default",
          );
        process.stdout.write(summaryMarkdown(args.map(readStudySummary), flags.linksFrom));
        return;
      }
      if (flags.list) {
        process.stdout.write(`${studyList()}\n`);
        return;
      }
      if (!name) throw new Error(`name a study: mm1 ablate <${STUDIES.map((s) => s.name).join('|')}> (mm1 ablate --list describes them)`);
      const names = [name, ...args];
      const studies = studiesNamed(names);
      if (studies.length > 1) return runSeveralStudies(names, studies, flags, runner);
      const study = studies[0];
      const out = flags.out ?? `runs/ablate/${study.name}`;
      const seeds = flags.seeds ?? study.seeds[flags.scale];
      const salt = codeSalt(flags.salt);
      const seedOpts = { firstSeed: flags.firstSeed, evalSeed: flags.evalSeed };
      if (flags.dryRun) {
        printPlan(study, flags.scale, seeds, seedOpts, salt, out, flags.cache ?? defaultCacheDir(out));
        return;
      }
      if (flags.plan) {
        process.stdout.write(
          sweepPlanLines({ study, scale: flags.scale, seeds, ...seedOpts, salt, cacheDir: flags.cache ?? defaultCacheDir(out), device: currentDevice() }),
        );
        return;
      }
      const command = ablateCommand({
        study: study.name,
        scale: flags.scale,
        seeds,
        ...seedOpts,
        out,
        cache: flags.cache,
        saltExtra: flags.salt,
        device: currentDevice(),
      });
      process.stderr.write(`${command}\n${study.question}\n`);
      const common = { scale: flags.scale, seeds, ...seedOpts, outDir: out, cacheDir: flags.cache, salt, runner, command };
      const outcome =
        flags.workers > 1 && !flags.reportOnly
          ? await runStudyInWorkers(study, {
              ...common,
              workers: flags.workers,
              device: currentDevice(),
              resumeCommand: `${command} --workers ${flags.workers}`,
              onLine: (line) => process.stderr.write(`${line}\n`),
            })
          : await runStudy(study, {
              ...common,
              reportOnly: flags.reportOnly,
              onEvent: (e) => process.stderr.write(`${progressLine(e)}\n`),
              onLog: flags.quiet ? undefined : (run, msg) => process.stderr.write(`    ${run.variant.id}/seed${run.seed}: ${msg}\n`),
            });
      process.stdout.write(outcomeLines(study, outcome));
    });
}
