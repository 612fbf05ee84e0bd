// The ablation base run with the reading encoder, through the studies' own runner (mm1Runner:
// CLIP stage, pretraining, the eight image and two text tasks on the studies' eval items), so
// its figures sit beside docs/results/default/seeds/report.md's. The arms differ only in how
// pretraining treats the encoder; they share one CLIP stage (same encoder, CLIP settings, seed).
// Each stage checkpoints, so a killed arm resumes where it stopped when run again.
// Usage (docs/reading.md, session 7):
//   node --import tsx experiments/reading/base_run.ts --arm frozen --root /work/runs/reader
//   node --import tsx experiments/reading/base_run.ts --arm lowlr --root /work/runs/reader
//   node --import tsx experiments/reading/base_run.ts --arm frozen --clip-steps 1600 --root /work/runs/reader-1600   (a new root: a run
//     directory holding other settings is refused on resume)
//   node --import tsx experiments/reading/base_run.ts --arm frozen --word-steps 800 --root /work/runs/reader-words-first   (session 8: word pairs
//     first, then the studies' 800 steps at share 0.5)
//   node --import tsx experiments/reading/base_run.ts --from-record docs/results/default/run-records/79845fd9d58409cf --arm unfrozen \
//     --stage /work/runs/ablate/cache/clip-667d0a5689e6b66a --root /work/runs/reading/s14   (session 14: a study's own run, its
//     config and seed as recorded, with only the arm changed, starting from that run's CLIP stage)
//   ... the same with --steps 3000   (session 15, item 8: the arm's pretraining 3× as long, the record's CLIP stage length kept;
//     the run directory is named for it)
import { parseArgs } from 'node:util';
import { cpSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { IMAGE_AVG, TEXT_AVG, withAverages } from '../../src/ablate/aggregate.js';
import { RunCache } from '../../src/ablate/cache.js';
import { mergeConfig, nested } from '../../src/ablate/config_paths.js';
import { withOverrides } from '../../src/ablate/studies/base.js';
import { mm1Runner, pretrainConfig } from '../../src/jobs/ablation_runner.js';
import { READING_ENCODER } from './reading_encoder.js';

/** How pretraining treats the encoder: frozen (the studies' default) or trained at a tenth of the LR (MM1 pretrains it unfrozen). */
const ARMS: Record<string, Record<string, unknown>> = {
  frozen: {},
  lowlr: { 'train.freeze': [], 'train.lrScale': { vision: 0.1 } },
  // Session 14: MM1 pretrains everything unfrozen; 0.3 × the peak LR (3e-3) is the encoder's own CLIP-stage rate, 1e-3.
  unfrozen: { 'train.freeze': [], 'train.lrScale': { vision: 0.3 } },
  // Session 14, item 7: the encoder at the LLM's own peak rate ("fully unfrozen" read literally).
  'unfrozen-full': { 'train.freeze': [], 'train.lrScale': { vision: 1 } },
};

const { values: a } = parseArgs({
  options: {
    arm: { type: 'string', default: 'frozen' },
    root: { type: 'string', default: 'runs/reading-base' },
    seed: { type: 'string', default: '0' },
    // The CLIP stage's length (default: the studies', 0.8 × the pretraining steps).
    'clip-steps': { type: 'string' },
    // A first part of the stage on word pairs alone, before --clip-steps on READING_ENCODER's pairs (encoder.clipWordSteps; session 8's C1).
    'word-steps': { type: 'string' },
    // A study's run record (docs/results/default/run-records/<key>): its config and seed as recorded, with only --arm applied (no READING_ENCODER).
    'from-record': { type: 'string' },
    // A finished CLIP stage (a directory holding settings.json) to start from instead of training one; its settings must be the run's, or the stage retrains.
    stage: { type: 'string' },
    // Pretraining steps (train.steps; the schedule's warm-up and cosine follow it), instead of the record's or the studies'.
    steps: { type: 'string' },
  },
});
const arm = ARMS[a.arm];
if (!arm) throw new Error(`base_run: --arm ${a.arm} is not one of ${Object.keys(ARMS).join(', ')}`);
// A run record is a cache run directory: RunCache.planned reads what it ran (config, seed) and its variant.
const record = a['from-record'] === undefined ? undefined : recordOf(resolve(a['from-record']));
const seed = record ? record.seed : Number(a.seed);
// The runner derives a CLIP stage's length from train.steps when a config leaves it out (0.8 ×), so a record
// re-run with --steps would silently get another stage: keep the record's own length unless --clip-steps says otherwise.
const recordClipSteps = record && a.steps !== undefined ? pretrainConfig(record.config, record.seed).encoder.clipSteps : undefined;
const clipSteps =
  a['clip-steps'] !== undefined
    ? { 'encoder.clipSteps': Number(a['clip-steps']) }
    : recordClipSteps !== undefined
      ? { 'encoder.clipSteps': recordClipSteps }
      : {};
const wordSteps = a['word-steps'] !== undefined ? { 'encoder.clipWordSteps': Number(a['word-steps']) } : {};
const trainSteps = a.steps === undefined ? undefined : Number(a.steps);
if (trainSteps !== undefined && !(Number.isInteger(trainSteps) && trainSteps > 0))
  throw new Error(`base_run: --steps ${a.steps} is not a whole number of pretraining steps above 0; e.g. --steps 3000`);
const steps = trainSteps === undefined ? {} : { 'train.steps': trainSteps };
const config = record
  ? { ...mergeConfig(record.config, nested({ ...clipSteps, ...wordSteps, ...steps, ...arm })), seed }
  : { ...withOverrides('default', { ...READING_ENCODER, ...clipSteps, ...wordSteps, ...steps, ...arm }), seed };
const stepsTag = trainSteps === undefined ? '' : `-steps${trainSteps}`;
const runDir = join(a.root, record ? `${record.variant}-${a.arm}${stepsTag}-seed${seed}` : `${a.arm}${stepsTag}-seed${seed}`);
mkdirSync(runDir, { recursive: true });
writeFileSync(join(runDir, 'config.json'), JSON.stringify(config, null, 2));
const cache = new RunCache(a.root);
const log = (m: string) => console.log(`${new Date().toISOString()} ${m}`);
if (existsSync(join(runDir, 'result.json'))) throw new Error(`base_run: ${runDir}/result.json exists: this arm is finished; remove it to run again`);
const sharedDir = (stage: string, inputs: unknown) => {
  const dir = cache.sharedDir(stage, inputs, 'reading-base');
  if (stage === 'clip' && a.stage !== undefined && !existsSync(join(dir, 'settings.json'))) {
    if (!existsSync(join(a.stage, 'settings.json'))) throw new Error(`base_run: --stage ${a.stage} holds no settings.json: give a finished CLIP stage`);
    cpSync(a.stage, dir, { recursive: true });
    log(`copied the CLIP stage ${a.stage} to ${dir}`);
  }
  return dir;
};
const result = await mm1Runner(config, runDir, { log, sharedDir });
writeFileSync(join(runDir, 'result.json'), JSON.stringify({ ...result, items: undefined }, null, 2));
writeFileSync(join(runDir, 'items.json'), JSON.stringify(result.items));
// The studies' averages: avg/image over the eight image tasks, avg/text over the two text ones.
const metrics = withAverages(result.metrics);
for (const key of [IMAGE_AVG, TEXT_AVG, ...Object.keys(result.metrics).sort()])
  console.log(
    `${key.padEnd(24)} ${Object.entries(metrics[key] ?? {})
      .map(([s, v]) => `${s}-shot ${v.toFixed(1)}`)
      .join('  ')}`,
  );
console.log(`wall ${result.wallSeconds.toFixed(0)} s`);

function recordOf(dir: string) {
  const { identity, about } = new RunCache(dirname(dir)).planned(basename(dir));
  if (typeof about.variant !== 'string') throw new Error(`base_run: ${dir}/config.json names no variant: is it a study run's record?`);
  return { variant: about.variant, seed: identity.seed, config: identity.config };
}
