// `mm1 eval`: run evaluation tasks (synthetic-world analogues by default, public benchmarks
// from local files) zero- and few-shot, print a tasks × shots table, and write results and
// per-sample outputs. Flags are checked before the model loads, so mistakes fail fast.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Command, Option } from 'commander';
import { loadModel } from '../../model/infer/load.js';
import { DEFAULT_KEEP_GRAPHS } from '../../model/infer/step_runner.js';
import { DEFAULT_PREFILL_MB } from '../../model/infer/row_chunks.js';
import { reportMarkdown } from '../../eval/report.js';
import { runEval, validateEvalOptions, type EvalOptions } from '../../eval/runner.js';
import { DEFAULT_TASKS, TASKS, TASK_GROUPS, resolveTasks } from '../../eval/tasks/index.js';
import { parseEvalConfig, type EvalConfig } from '../../eval/eval_config.js';
import { SUITES, SUITE_NAMES, type SuiteName } from '../../eval/suites.js';
import { deepMerge } from '../../schema/deep_merge.js';
import { givenOnly, readConfigFile } from '../config_file.js';
import { progressBar, type Progress } from '../../train/progress.js';
import { numberIn, wholeNumber, wholeNumberList } from '../flags.js';
import { withDevice } from '../device_flag.js';

/** Flags not given stay undefined, so they leave the --config file's value (or the default) alone. */
export interface EvalFlags {
  config?: string;
  model?: string;
  tasks?: string;
  shots?: number[];
  limit?: number;
  seed?: number;
  out?: string;
  data?: string[];
  shotsData?: string[];
  selection?: 'random' | 'similar';
  batchSize?: number;
  keepGraphs?: number;
  prefillMb?: number;
  highResLast?: number;
  strictShots?: boolean;
  quiet?: boolean;
  worldVersion?: '1' | '2';
  suite?: SuiteName;
}

const collectRepeated = (value: string, previous: string[] = []): string[] => [...previous, value];

/** NAME=SPEC pairs; a name given twice is an error. */
function namedSpecs(flag: string, values: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const eq = v.indexOf('=');
    if (eq <= 0) throw new Error(`${flag} ${v}: expected NAME=SPEC, e.g. ${flag} coco=captions_test.json:val2014/`);
    const name = v.slice(0, eq);
    if (name in out) throw new Error(`${flag} gives ${name} twice; give each task's files once.`);
    out[name] = v.slice(eq + 1);
  }
  return out;
}

/** Defaults, under the --config file, under the flags given. */
export function evalConfig(f: EvalFlags): EvalConfig {
  const flags = givenOnly({
    model: f.model,
    tasks: f.tasks
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    shots: f.shots,
    limit: f.limit,
    seed: f.seed,
    out: f.out,
    data: f.data && namedSpecs('--data', f.data),
    shotsData: f.shotsData && namedSpecs('--shots-data', f.shotsData),
    selection: f.selection,
    batchSize: f.batchSize,
    keepGraphs: f.keepGraphs,
    prefillMb: f.prefillMb,
    highResLast: f.highResLast,
    strictShots: f.strictShots,
    worldVersion: f.worldVersion === undefined ? undefined : Number(f.worldVersion),
    suite: f.suite,
  });
  const given = deepMerge<Record<string, unknown>>(readConfigFile(f.config), flags);
  // A suite's defaults go under what the file and the flags say.
  const suite = SUITES[given.suite as SuiteName] as (typeof SUITES)[SuiteName] | undefined;
  const config = parseEvalConfig(suite ? deepMerge(suite.defaults, given) : given, f.config ?? 'eval flags');
  if (!config.model) throw new Error('mm1 eval needs a model: --model <dir> (e.g. runs/tiny/model), or "model" in the --config file');
  return config;
}

function taskList(): string {
  const rows = TASKS.map(
    (t) => `  ${t.name.padEnd(24)} ${t.kind.padEnd(16)} ${t.description}${t.data ? `\n  ${''.padEnd(42)}--data ${t.name}=${t.data.format}` : ''}`,
  );
  const groups = Object.entries(TASK_GROUPS).map(([g, names]) => `  ${g.padEnd(24)} ${names.join(', ')}`);
  return `Tasks:\n${rows.join('\n')}\n\nGroups:\n${groups.join('\n')}\n`;
}

export function register(program: Command): void {
  withDevice(program.command('eval'))
    .description(
      'Evaluate a model zero- and few-shot: captioning (CIDEr), VQA (VQA accuracy), GQA (exact match) and ' +
        'TextCore (log-likelihood multiple choice, LAMBADA, exact-match QA). Synthetic-world tasks run by default; ' +
        'public benchmarks read local files named with --data. Prints a tasks × shots table; writes results.json, ' +
        'results.md and per-sample JSONL to --out.',
    )
    .option('--model <dir>', 'model directory: the model/ folder of a run (mm1 pretrain/sft --out R writes R/model)')
    .option('--config <file>', 'JSON eval config with the flags\' names, e.g. {"tasks": ["world-coco"], "shots": [0, 4]}; flags override it')
    .addOption(new Option('--suite <name>', `a named evaluation: ${SUITE_NAMES.map((n) => `${n} = ${SUITES[n].description}`).join('; ')}`).choices(SUITE_NAMES))
    .option('--tasks <list>', `comma-separated tasks or groups (see the list below; default: ${DEFAULT_TASKS.join(',')})`)
    .option('--shots <list>', 'comma-separated numbers of in-context examples (default: 0,4,8)', wholeNumberList(0))
    .option('--limit <n>', 'evaluate only the first N items of each task', wholeNumber(1))
    .option('--seed <n>', 'seed for generated items and shot selection (default: 0)', wholeNumber(0))
    .option('--out <dir>', 'output folder (default: runs/eval-<date>)')
    .option('--data <name=spec>', 'local files of a public task, parts joined by ":" (repeatable)', collectRepeated)
    .option('--shots-data <name=spec>', 'training split to draw shots from, same format as --data (repeatable)', collectRepeated)
    .addOption(new Option('--selection <how>', 'how shots are chosen (default: random)').choices(['random', 'similar']))
    .option('--batch-size <n>', 'prompts per model call (default: 16)', wholeNumber(1))
    .option(
      '--keep-graphs <n>',
      `prefill graphs (one per padded prompt length × prompts per call) kept compiled at once (default: ${DEFAULT_KEEP_GRAPHS}). ` +
        'Each holds ONNX Runtime memory for its shape, up to ~4-5× --prefill-mb; 1 holds the least but compiles a length ' +
        'that recurs again (seconds of CPU each at 32 shots), more keeps them. Scores are the same either way',
      wholeNumber(1),
    )
    .option(
      '--prefill-mb <mb>',
      `MB of attention scores (prompts × heads × length² floats) one prefill call may hold (default: ${DEFAULT_PREFILL_MB}); ` +
        'a batch is prefilled a few prompts at a time to stay under it and decoded as one. ONNX Runtime holds ~4-5× this per ' +
        'kept graph. Lower for less memory; scores are the same at any value',
      numberIn(0, Infinity, true),
    )
    .option(
      '--high-res-last <n>',
      "MM1's mixed-resolution few-shot prompts (spec §4.3): for a model fine-tuned with sub-images, only the last N pictures " +
        'of each prompt get the overview + g² crops, the earlier ones the overview alone (k tokens instead of (1 + g²)·k), so ' +
        'more shots fit. Default: every picture all its crops. No effect on a model without sub-images',
      wholeNumber(0),
    )
    .option('--strict-shots', 'fail when k shots do not fit the model instead of using fewer')
    .option('--quiet', 'no progress bars')
    .addOption(new Option('--world-version <v>', 'synthetic-world version of the world tasks (default: 2; 1 for models trained before v2)').choices(['1', '2']))
    .addHelpText(
      'after',
      `\nExamples:\n` +
        `  mm1 eval --model runs/tiny/model                                  # every world task, 0/4/8-shot\n` +
        `  mm1 eval --model runs/tiny/model --tasks world-coco,world-vqav2 --shots 0,8 --limit 50\n` +
        `  mm1 eval --model runs/sft/model --suite sft                        # MM1-Chat's benchmarks on the world, Table 4 layout\n` +
        `  mm1 eval --model runs/sft/model --suite sft --tasks mmbench --data mmbench=MMBench_DEV_EN.tsv\n` +
        `  mm1 eval --model runs/tiny/model --tasks coco,vqav2 \\\n` +
        `      --data coco=captions_karpathy_test.json:val2014/ \\\n` +
        `      --shots-data coco=captions_karpathy_train.json:train2014/ \\\n` +
        `      --data vqav2=v2_OpenEnded_mscoco_val2014_questions.json:v2_mscoco_val2014_annotations.json:val2014/\n\n` +
        taskList(),
    )
    .action(async (flags: EvalFlags) => {
      // Everything that can be wrong with the flags is found before the model loads.
      const config = evalConfig(flags);
      const tasks = resolveTasks(config.tasks);
      const options: EvalOptions = {
        tasks,
        shots: config.shots,
        seed: config.seed,
        ...(config.limit !== undefined ? { limit: config.limit } : {}),
        data: config.data,
        shotsData: config.shotsData,
        selection: config.selection,
        batchSize: config.batchSize,
        onOverflow: config.strictShots ? 'fail' : 'reduce',
        worldVersion: config.worldVersion,
        outDir: config.out ?? `runs/eval-${new Date().toISOString().replace(/[:.]/g, '-')}`,
      };
      validateEvalOptions(options);
      const model = await loadModel(config.model!, {
        keepGraphs: config.keepGraphs,
        prefillMB: config.prefillMb,
        ...(config.highResLast !== undefined ? { highResLast: config.highResLast } : {}),
      });
      let bar: Progress | undefined;
      let current = '';
      try {
        const report = await runEval(model, {
          ...options,
          onProgress: (p) => {
            if (flags.quiet) return;
            const label = `${p.task} ${p.shots}-shot`;
            if (label !== current) {
              bar?.stop();
              bar = progressBar(label, p.total);
              current = label;
            }
            bar!.update(p.done);
          },
        });
        bar?.stop();
        const suite = config.suite === undefined ? undefined : SUITES[config.suite as SuiteName];
        const suiteText = suite ? `\n${suite.report(report)}` : '';
        if (suite) writeFileSync(join(options.outDir!, suite.file), suiteText.trimStart());
        process.stdout.write(
          `\n${reportMarkdown(report)}${suiteText}\nWrote ${options.outDir}/results.json, results.md${suite ? `, ${suite.file}` : ''} and samples/.\n`,
        );
      } finally {
        bar?.stop();
        await model.release();
      }
    });
}
