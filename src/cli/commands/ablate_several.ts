// `mm1 ablate <study> <study> …` (or `mm1 ablate all`): several studies on one cache. With
// --workers N they share one pool of N worker processes (workers.ts), so no core idles while one
// study's last run finishes and the next study waits, and a run two studies hold runs once; each
// study's report is written to <out>/<study> as soon as its last run finishes. With one worker
// the studies run one after another in this process. Each report is the one `mm1 ablate <study>
// --out <out>/<study> --cache <cache>` writes, and shows that command.
import { join } from 'node:path';
import { codeSalt } from '../../ablate/cache.js';
import { fmtDuration, VERDICT_MARK } from '../../ablate/format.js';
import type { PoolStudy } from '../../ablate/pool_plan.js';
import { ablateCommand, progressLine, runStudy, type StudyOutcome } from '../../ablate/run_study.js';
import type { Runner } from '../../ablate/runner.js';
import { STUDIES } from '../../ablate/studies/index.js';
import type { Study } from '../../ablate/study.js';
import { runStudiesInWorkers } from '../../ablate/workers.js';
import { currentDevice } from '../../engine/device.js';
import { StoppedBySignal } from '../../train/interrupt.js';
import type { AblateFlags } from './ablate.js';
import { sweepPlanLines } from './ablate_run.js';
import { printPlan, printPoolTotal } from './ablate_dry_run.js';

/** The name that stands for every study, in --list's order. */
export const ALL_STUDIES = 'all';

/**
 * MM1's pretraining ablations (its §3, "Recipe for Building MM1": image encoder, VL connector,
 * pretraining data), each a grid of pretraining runs read at 0/4/8 shots; highres and the sft-*
 * studies fine-tune. Named together because they share the base run and its CLIP stages.
 */
export const PRETRAINING_STUDIES = 'pretraining';
const PRETRAINING = ['encoder', 'connector', 'mixture'];

/** The studies the names ask for, in the order given ('all': every study; 'pretraining': encoder, connector, mixture); an unknown or repeated name is an error that lists the valid ones. */
export function studiesNamed(names: readonly string[]): Study[] {
  const studies = names.flatMap((name) => {
    if (name === ALL_STUDIES) return [...STUDIES];
    if (name === PRETRAINING_STUDIES) return STUDIES.filter((s) => PRETRAINING.includes(s.name));
    const study = STUDIES.find((s) => s.name === name);
    if (!study)
      throw new Error(
        `unknown study '${name}'; choose one or more of: ${STUDIES.map((s) => s.name).join(', ')}, or ${ALL_STUDIES} for every study, ` +
          `${PRETRAINING_STUDIES} for MM1's pretraining ablations (${PRETRAINING.join(' ')}) (mm1 ablate --list describes them)`,
      );
    return [study];
  });
  const twice = studies.find((s, i) => studies.indexOf(s) !== i);
  if (twice) throw new Error(`study '${twice.name}' is asked for twice (${names.join(' ')}); name each study once`);
  return studies;
}

/** What the console shows when a study's report is written: runs, verdicts, where the report is. */
export function outcomeLines(study: Study, outcome: StudyOutcome): string {
  return [
    '',
    `${study.title}: ${outcome.runs.length} runs (${outcome.freshRuns} new, ${outcome.cachedRuns} cached), ${fmtDuration(outcome.elapsedSeconds)}`,
    ...(outcome.missing.length > 0
      ? [`  ${outcome.missing.length} runs not finished (the report lists them): ${outcome.missing.map((m) => m.key).join(' ')}`]
      : []),
    ...outcome.claims.map(({ claim, outcome: o }) => `  ${VERDICT_MARK[o.verdict]} ${o.verdict}: ${claim.text}\n      ${o.evidence}`),
    '',
    `report: ${outcome.files.markdown}`,
    `        ${outcome.files.html}`,
    '',
  ].join('\n');
}

export async function runSeveralStudies(names: readonly string[], studies: readonly Study[], flags: AblateFlags, runner: Runner): Promise<void> {
  const out = flags.out ?? 'runs/ablate';
  const cacheDir = flags.cache ?? join(out, 'cache');
  const salt = codeSalt(flags.salt);
  const seedOpts = { firstSeed: flags.firstSeed, evalSeed: flags.evalSeed };
  const device = currentDevice();
  const entries: (PoolStudy & { seeds: number })[] = studies.map((study) => {
    const seeds = flags.seeds ?? study.seeds[flags.scale];
    const outDir = join(out, study.name);
    const command = ablateCommand({ study: study.name, scale: flags.scale, seeds, ...seedOpts, out: outDir, cache: cacheDir, saltExtra: flags.salt, device });
    return { study, outDir, seeds, command };
  });
  if (flags.dryRun) {
    for (const { study, seeds, outDir } of entries) printPlan(study, flags.scale, seeds, seedOpts, salt, outDir, cacheDir);
    printPoolTotal(entries, flags.scale, seedOpts, salt, cacheDir, flags.workers);
    return;
  }
  if (flags.plan) {
    // One line per distinct run: a run several studies hold is listed where it first appears.
    const lines = entries.flatMap((e) =>
      sweepPlanLines({ study: e.study, scale: flags.scale, seeds: e.seeds, ...seedOpts, salt, cacheDir, device }).split(/(?<=\n)/),
    );
    process.stdout.write([...new Set(lines)].join(''));
    return;
  }
  const command = ablateCommand({
    study: names.join(' '),
    scale: flags.scale,
    seeds: flags.seeds,
    ...seedOpts,
    out,
    cache: flags.cache,
    saltExtra: flags.salt,
    device,
  });
  process.stderr.write(
    `${command}\n${entries.length} studies (${studies.map((s) => s.name).join(', ')}): reports in ${join(out, '<study>')}, runs in ${cacheDir}\n`,
  );
  const common = { scale: flags.scale, ...seedOpts, cacheDir, salt, runner };
  const show = (study: Study, outcome: StudyOutcome) => process.stdout.write(outcomeLines(study, outcome));
  if (flags.workers > 1 && !flags.reportOnly) {
    await runStudiesInWorkers(entries, {
      ...common,
      logDir: out,
      workers: flags.workers,
      device,
      resumeCommand: `${command} --workers ${flags.workers}`,
      onLine: (line) => process.stderr.write(`${line}\n`),
      onReport: (entry, outcome) => show(entry.study, outcome),
    });
    return;
  }
  // One process: the studies in turn. A study whose run fails is named and the next one goes on (its finished runs stay cached).
  const failures: string[] = [];
  for (const { study, outDir, seeds, command: studyCommand } of entries) {
    try {
      const outcome = await runStudy(study, {
        ...common,
        seeds,
        outDir,
        command: studyCommand,
        reportOnly: flags.reportOnly,
        onEvent: (e) => process.stderr.write(`${study.name}: ${progressLine(e)}\n`),
        onLog: flags.quiet ? undefined : (run, msg) => process.stderr.write(`    ${study.name}/${run.variant.id}/seed${run.seed}: ${msg}\n`),
      });
      show(study, outcome);
    } catch (err) {
      if (err instanceof StoppedBySignal) throw err; // Ctrl-C stops every study
      failures.push(`  ${study.name}: ${err instanceof Error ? err.message : String(err)}`);
      process.stderr.write(`mm1: study ${study.name} failed; going on with the next study\n`);
    }
  }
  if (failures.length > 0)
    throw new Error(
      `${failures.length} of ${entries.length} studies failed (finished runs are cached):\n${failures.join('\n')}\nRerun to continue: ${command}`,
    );
}
