// `mm1 quickstart`: the main job (see jobs/quickstart.ts).
import { Option, type Command } from 'commander';
import { numberIn, wholeNumber, wholeNumberList } from '../flags.js';
import { quickstart, type QuickstartOptions } from '../../jobs/quickstart.js';
import { MM1_MIX } from '../../data/mixture.js';
import { FROZEN_ENCODER_OVERRIDES, QUICKSTART_STEPS, QUICKSTART_TUNING } from '../../train/presets.js';
import { comparisonMarkdown } from '../../report/quickstart_report.js';
import { withDevice } from '../device_flag.js';

export function register(program: Command): void {
  withDevice(program.command('quickstart'))
    .description(
      'Pretrain a tiny MM1-style model on the synthetic world — a CLIP-style encoder stage, then multimodal pretraining ' +
        `on the ${MM1_MIX.interleaved}:${MM1_MIX.caption}:${MM1_MIX.text} interleaved:caption:text mixture — evaluate it ` +
        '0- and 4-shot on captioning, VQA and text tasks against the same model with images blanked, and write ' +
        'an HTML report. About 4 minutes on 2 idle CPU cores. Ctrl-C saves a checkpoint; run again to resume.',
    )
    .option('--out <dir>', 'run directory (checkpoints, log.jsonl, model/, eval/, report.html)', 'runs/quickstart')
    .option(
      '--steps <n>',
      `multimodal pretraining steps (--batch-size sequences of ${FROZEN_ENCODER_OVERRIDES.seqLen} tokens each)`,
      wholeNumber(1),
      QUICKSTART_STEPS.pretrain,
    )
    .option('--clip-steps <n>', 'stage 1: CLIP-style image-encoder pretraining steps (64 image–caption pairs each)', wholeNumber(0), QUICKSTART_STEPS.clip)
    .addOption(
      new Option('--lr <x>', `peak learning rate of multimodal pretraining (warmup ${FROZEN_ENCODER_OVERRIDES.warmupSteps} steps, cosine to a tenth)`)
        .argParser(numberIn(0, Infinity, true))
        .default(QUICKSTART_TUNING.lr, String(QUICKSTART_TUNING.lr)),
    )
    .option('--batch-size <n>', 'sequences per multimodal pretraining step', wholeNumber(1), QUICKSTART_TUNING.batchSize)
    .addOption(
      new Option('--clip-lr <x>', 'peak learning rate of the CLIP stage (warmup 20 steps, cosine to a tenth)')
        .argParser(numberIn(0, Infinity, true))
        .default(QUICKSTART_TUNING.clipLr, String(QUICKSTART_TUNING.clipLr)),
    )
    .option('--eval-limit <n>', 'items per evaluation task', wholeNumber(1), 100)
    .addOption(new Option('--shots <list>', 'few-shot settings to evaluate').argParser(wholeNumberList(0)).default([0, 4], '0,4'))
    .option('--seed <n>', 'seed for data, initialisation and evaluation', wholeNumber(0), 0)
    .option('--eval-seed <n>', 'seed of the evaluation items alone (default: --seed); fix it to compare training seeds on the same items', wholeNumber(0))
    .option('-q, --quiet', 'no progress output')
    .addHelpText(
      'after',
      `
Example:
  mm1 quickstart                     # the default run, report in runs/quickstart/report.html
  mm1 quickstart --clip-steps 100 --steps 100 --eval-limit 20 --out runs/smoke   # a 1-minute smoke run
  mm1 quickstart --steps 720 --batch-size 8 --lr 5e-3 --out runs/qs3   # ~3 minutes: captioning as good,
                                     # GQA a few points and the text tasks 10-30 points lower (docs/performance.md)

What you should see: the loss falling from ~5.4, and the trained model far above the
blanked-image baseline on VQA and captioning.`,
    )
    .action(async (f: Omit<QuickstartOptions, 'command'>) => {
      const r = await quickstart({ ...f, command: `mm1 ${process.argv.slice(2).join(' ')}` });
      process.stdout.write(
        `\n${comparisonMarkdown(r.rows)}\ntraining ${r.trainSeconds.toFixed(0)} s, evaluation ${r.evalSeconds.toFixed(0)} s\nreport: ${r.reportHtml}\n`,
      );
    });
}
