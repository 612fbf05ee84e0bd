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
import { parseArgs } from 'node:util';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { IMAGE_AVG, TEXT_AVG, withAverages } from '../../src/ablate/aggregate.js';
import { RunCache } from '../../src/ablate/cache.js';
import { withOverrides } from '../../src/ablate/studies/base.js';
import { mm1Runner } from '../../src/jobs/ablation_runner.js';
import { READING_ENCODER } from './reading_encoder.js';

/** How pretraining treats the encoder: frozen (the studies' default) or trained at a tenth of the LR (MM1 pretrains it unfrozen). */
const ARMS: Record<string, Record<string, unknown>> = {
  frozen: {},
  lowlr: { 'train.freeze': [], 'train.lrScale': { vision: 0.1 } },
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
  },
});
const arm = ARMS[a.arm];
if (!arm) throw new Error(`base_run: --arm ${a.arm} is not one of ${Object.keys(ARMS).join(', ')}`);
const seed = Number(a.seed);
const clipSteps = a['clip-steps'] !== undefined ? { 'encoder.clipSteps': Number(a['clip-steps']) } : {};
const wordSteps = a['word-steps'] !== undefined ? { 'encoder.clipWordSteps': Number(a['word-steps']) } : {};
const config = { ...withOverrides('default', { ...READING_ENCODER, ...clipSteps, ...wordSteps, ...arm }), seed };
const runDir = join(a.root, `${a.arm}-seed${seed}`);
mkdirSync(runDir, { recursive: true });
writeFileSync(join(runDir, 'config.json'), JSON.stringify(config, null, 2));
const cache = new RunCache(a.root);
const log = (m: string) => console.log(`${new Date().toISOString()} ${m}`);
if (existsSync(join(runDir, 'result.json'))) throw new Error(`base_run: ${runDir}/result.json exists: this arm is finished; remove it to run again`);
const result = await mm1Runner(config, runDir, { log, sharedDir: (stage, inputs) => cache.sharedDir(stage, inputs, 'reading-base') });
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
