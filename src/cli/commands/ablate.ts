// `mm1 ablate <study>`: reruns one of MM1's ablations as a grid of small pretraining runs on the
// synthetic world, each followed by the standard evaluation, and writes a paper-style report.
import { Option, type Command } from 'commander';
import { RunCache, codeSalt, defaultCacheDir } from '../../ablate/cache.js';
import { fmtDuration } from '../../ablate/format.js';
import { planRuns, trainingSteps } from '../../ablate/plan.js';
import { VERDICT_MARK } from '../../ablate/report.js';
import { ablateCommand, progressLine, runStudy } from '../../ablate/run_study.js';
import { requireDefaultRunner } from '../../ablate/runner.js';
import { BUDGETS, estimateRunSeconds } from '../../ablate/studies/base.js';
import { findStudy, STUDIES } from '../../ablate/studies/index.js';
import { SCALES, type Scale, type Study } from '../../ablate/study.js';
import { wholeNumber } from '../flags.js';

interface AblateFlags {
  scale: Scale;
  seeds?: number;
  out?: string;
  cache?: string;
  salt?: string;
  list?: boolean;
  dryRun?: boolean;
  quiet?: boolean;
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
seeds, measures how far the base run moves with the seed alone: one-seed verdicts are judged
against that noise. The report states MM1's
question, a paper-style table (mean ± std when there are several seeds), a figure, and each of MM1's lessons as
✔ reproduced, ✘ not reproduced or ? inconclusive, with the numbers behind it.

Studies:
${studyList()
  .split('\n')
  .map((l) => (l ? `  ${l}` : l))
  .join('\n')}

Scales:
  smoke     100 steps per run, small eval sets: ~1.5 min per run, a study in 5–15 minutes
            (checks the pipeline; too short for the lessons to show)
  default   800 CLIP steps + 1000 pretraining steps per run, 200 items per task: ~7 min per
            run, 20–65 minutes per study for one seed on 2 cores
  MM1's four studies run one seed unless --seeds says more (--seeds 3 gives mean ± std and
  triples the time); the seeds study runs 3.

Output (in --out, default runs/ablate/<study>):
  report.md, report.html     the report (the HTML has the figure inline)
  figures/<study>.svg        the figure
  study.json                 every number in the report, for programs
  runs/<key>/                one directory per run: config.json, run.log, checkpoints, result.json
                             (in --cache DIR instead when given: studies sharing it share runs,
                             e.g. the base run that every study contains)

Runs are cached by a hash of their config, seed and mm1 version: rerunning a study reuses
finished runs, and an interrupted study (Ctrl-C, crash) continues with the runs it lacks, each
resuming from its last checkpoint. Runs go one at a time; both cores serve each run.

Examples:
  mm1 ablate --list
  mm1 ablate encoder --scale smoke          # a few minutes
  mm1 ablate mixture --dry-run              # what would run, what is cached, how long
  mm1 ablate connector --seeds 3 --out runs/connector-3seeds
  mm1 ablate encoder --cache runs/ablate/cache && mm1 ablate connector --cache runs/ablate/cache
`;

export function register(program: Command): void {
  program
    .command('ablate')
    .summary("rerun one of MM1's ablations at toy scale and report whether its lessons hold")
    .description(`Rerun one of MM1's ablation studies (${STUDIES.map((s) => s.name).join(', ')}) as a grid of small pretraining + evaluation runs, and write a paper-style report checking MM1's lessons.`)
    .argument('[study]', `which study: ${STUDIES.map((s) => s.name).join(', ')}`)
    .addOption(new Option('--scale <scale>', 'how big the runs are').choices([...SCALES]).default('default'))
    .option('--seeds <n>', "seeds per variant (default: the study's, 1; 3 for the seeds study); 3 gives mean ± std and takes 3× as long", wholeNumber(1))
    .option('--out <dir>', 'output directory (default: runs/ablate/<study>)')
    .option('--cache <dir>', 'where runs are cached (default: <out>/runs); share one between studies to run common variants once')
    .option('--salt <text>', 'extra text mixed into every cache key; change it to rerun everything (e.g. after editing the trainer)')
    .option('--list', 'list the studies with the question each one asks, then exit')
    .option('--dry-run', 'show the planned runs, which are cached, and an estimated time; run nothing')
    .option('-q, --quiet', "print one line per run only, not the runs' own log lines")
    .addHelpText('after', HELP_AFTER)
    .action(async (name: string | undefined, flags: AblateFlags) => {
      if (flags.list) {
        process.stdout.write(`${studyList()}\n`);
        return;
      }
      if (!name) throw new Error(`name a study: mm1 ablate <${STUDIES.map((s) => s.name).join('|')}> (mm1 ablate --list describes them)`);
      const study = findStudy(name);
      const out = flags.out ?? `runs/ablate/${study.name}`;
      const seeds = flags.seeds ?? study.seeds[flags.scale];
      const salt = codeSalt(flags.salt);
      if (flags.dryRun) {
        printPlan(study, flags.scale, seeds, salt, out, flags.cache ?? defaultCacheDir(out));
        return;
      }
      const runner = requireDefaultRunner();
      const command = ablateCommand({ study: study.name, scale: flags.scale, seeds, out, cache: flags.cache, saltExtra: flags.salt });
      process.stderr.write(`${command}\n${study.question}\n`);
      const outcome = await runStudy(study, {
        scale: flags.scale,
        seeds,
        outDir: out,
        cacheDir: flags.cache,
        salt,
        runner,
        command,
        onEvent: (e) => process.stderr.write(`${progressLine(e)}\n`),
        onLog: flags.quiet ? undefined : (run, msg) => process.stderr.write(`    ${run.variant.id}/seed${run.seed}: ${msg}\n`),
      });
      const lines = [
        '',
        `${study.title}: ${outcome.runs.length} runs (${outcome.freshRuns} new, ${outcome.cachedRuns} cached), ${fmtDuration(outcome.elapsedSeconds)}`,
        ...outcome.claims.map(({ claim, outcome: o }) => `  ${VERDICT_MARK[o.verdict]} ${o.verdict}: ${claim.text}\n      ${o.evidence}`),
        '',
        `report: ${outcome.files.markdown}`,
        `        ${outcome.files.html}`,
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}

function printPlan(study: Study, scale: Scale, seeds: number, salt: string, out: string, cacheDir: string): void {
  const plan = planRuns(study, scale, seeds, salt);
  const cache = new RunCache(cacheDir);
  const todo = plan.filter((p) => !cache.read(p.key));
  const steps = todo.reduce((a, p) => a + trainingSteps(p.config), 0);
  const seconds = todo.reduce((a, p) => a + estimateRunSeconds(p.config, scale), 0);
  const lines = plan.map((p, i) => `  ${String(i + 1).padStart(3)}  ${p.variant.id.padEnd(20)} seed ${p.seed}  ${p.key}  ${todo.includes(p) ? 'to run' : 'cached'}  (${trainingSteps(p.config)} steps)`);
  process.stdout.write(
    `${study.title} at scale '${scale}', ${seeds} seed${seeds > 1 ? 's' : ''}, output ${out}, runs cached in ${cacheDir}\n${lines.join('\n')}\n` +
      `${plan.length} runs, ${todo.length} to run: ${steps} training steps, about ${fmtDuration(seconds)} on 2 cores ` +
      `(a base run measured ${fmtDuration(BUDGETS[scale].runSeconds)} here, evaluation included).\n`,
  );
}
