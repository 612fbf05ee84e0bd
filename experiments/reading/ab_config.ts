// The pretraining config of a 200-step A/B arm (docs/reading.md, sessions 9–11): the studies'
// base config at default scale + the reading encoder + a word-first CLIP part, turned into a
// `mm1 pretrain --config` file by the ablation runner's own pretrainConfig, so an arm is the
// pretraining the words-first base run did, with only the flags' change. Sessions 9–10 took this
// file from the words-first run's directory (`pretrain/run.json`); the machine reset lost it, and
// this makes it again from the code that made it.
// Usage:
//   node --import tsx experiments/reading/ab_config.ts [--pool max|mean] [--word-steps 800] [--seed 0] > arm.json
import { parseArgs } from 'node:util';
import { withOverrides } from '../../src/ablate/studies/base.js';
import { pretrainConfig } from '../../src/jobs/ablation_runner.js';
import { CLIP_POOLS } from '../../src/model/build/clip.js';
import { READING_ENCODER } from './reading_encoder.js';

const { values: a } = parseArgs({
  options: {
    pool: { type: 'string', default: READING_ENCODER['encoder.clipPool'] },
    'word-steps': { type: 'string', default: '800' },
    seed: { type: 'string', default: '0' },
  },
});
if (!(CLIP_POOLS as readonly string[]).includes(a.pool)) throw new Error(`ab_config: --pool ${a.pool} is not one of ${CLIP_POOLS.join(', ')}`);
const wordSteps = Number(a['word-steps']);
if (!Number.isInteger(wordSteps) || wordSteps < 0)
  throw new Error(`ab_config: --word-steps ${a['word-steps']} is not a whole number ≥ 0; 0 leaves the word-first part out`);
const overrides = { ...READING_ENCODER, 'encoder.clipPool': a.pool, ...(wordSteps > 0 ? { 'encoder.clipWordSteps': wordSteps } : {}) };
const seed = Number(a.seed);
console.log(JSON.stringify(pretrainConfig({ ...withOverrides('default', overrides), seed }, seed), null, 2));
