// Is a pretraining run with `encoder.clipSteps: 0` and `train.freeze: ["vision"]` fed an
// untrained encoder? `mm1 pretrain` skips the CLIP stage when clipSteps is 0 (train/pretrain.ts:
// no <out>/clip is read or written), so the encoder is the training graph's own initialisation
// (run_training.ts: initParams(graph, train.seed)), and the freeze keeps it. This checks both on
// a checkpoint the run wrote: every vision.* tensor against that initialisation, bit for bit. It
// also says whether the CLIP stage of the same config would have started from the same tower
// (its graph's initParams at the stage's seed), i.e. whether "untrained" here is also "the
// stage's step 0". Used for docs/reading.md, session 10, arm 1.
// Usage:
//   node --import tsx experiments/reading/untrained_check.ts --run <mm1 pretrain --out dir> [--step 100]
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkpointPath, loadCheckpoint } from '../../src/engine/checkpoint.js';
import { initParams, type ParamValues } from '../../src/engine/param_store.js';
import { buildMultimodalTraining } from '../../src/model/build/multimodal.js';
import { parsePretrainConfig } from '../../src/train/config.js';
import { clipStageGraph, clipStageParts, clipStageSettings } from '../../src/train/clip_stage.js';
import { resolveModelConfig } from '../../src/train/model_setup.js';
import { worldTokenizer } from '../../src/train/world_data.js';

const { values: a } = parseArgs({ options: { run: { type: 'string' }, step: { type: 'string', default: '100' } } });
if (!a.run) throw new Error('untrained_check: give --run, the output directory of an `mm1 pretrain` run with encoder.clipSteps 0');
const config = parsePretrainConfig(JSON.parse(readFileSync(join(a.run, 'run.json'), 'utf8')), join(a.run, 'run.json'));
const tokenizer = worldTokenizer(config.data.version);
const model = resolveModelConfig(config, tokenizer.vocabSize);
const { train } = config;
const fresh = initParams(buildMultimodalTraining(model, { B: train.batchSize, T: train.seqLen, N: train.maxImages }).g, train.seed);
const ckpt = loadCheckpoint(checkpointPath(a.run, Number(a.step))).model.tensors;
const stage = clipStageParts(
  clipStageSettings({ ...config, encoder: { ...config.encoder, clipSteps: Math.max(1, config.encoder.clipSteps) } }, model.vision, tokenizer),
)[0];
const stageStart = initParams(clipStageGraph(stage).g, stage.seed);

/** How many of the vision.* tensors in `a` are bit-identical to `b`'s, and the largest |a − b| of the others. */
function compare(x: ParamValues | Map<string, { data: unknown; shape: number[] }>, y: ParamValues): string {
  const names = [...fresh.keys()].filter((n) => n.startsWith('vision.'));
  let same = 0;
  let maxDiff = 0;
  for (const n of names) {
    const u = x.get(n)?.data as Float32Array | undefined;
    const v = y.get(n)?.data as Float32Array | undefined;
    if (!u || !v)
      throw new Error(`untrained_check: tensor ${n} is missing from ${!u ? 'the first' : 'the second'} set; were both built from this run's config?`);
    let d = 0;
    for (let i = 0; i < u.length; i++) d = Math.max(d, Math.abs(u[i] - v[i]));
    if (d === 0) same++;
    maxDiff = Math.max(maxDiff, d);
  }
  return `${same} of ${names.length} vision.* tensors bit-identical (max |diff| ${maxDiff.toExponential(2)})`;
}

console.log(
  `run ${a.run}: encoder.clipSteps ${config.encoder.clipSteps}, train.freeze [${train.freeze.join(', ')}], vision ${JSON.stringify(config.model.vision)}`,
);
console.log(`checkpoint step ${a.step} vs the training graph's initialisation (seed ${train.seed}): ${compare(ckpt, fresh)}`);
console.log(`the CLIP stage's starting tower (seed ${stage.seed}) vs the training graph's initialisation: ${compare(stageStart, fresh)}`);
