// Where the quick start's training time goes: one CLIP-stage step and one pretraining step of
// the quick start's own config (jobs/quickstart.ts), each split into data (render, tokenise,
// pack, preprocess) and the ONNX step, measured in one process one after the other, then
// scaled by each stage's step count. Ratios between the parts hold on a busy machine; the
// seconds do not. Not part of `npm run bench`.
// Alone: node --import tsx bench/quickstart_phases.ts [timed steps] [clip steps] [pretraining steps] [batch size]
import { quickstartConfig } from '../src/jobs/quickstart.js';
import { resolveModelConfig } from '../src/train/model_setup.js';
import { QUICKSTART_STEPS, QUICKSTART_TUNING } from '../src/train/presets.js';
import { worldTokenizer } from '../src/train/world_data.js';
import { clipStepCost, pretrainStepCost, type Cost } from './stage_costs.js';

export async function quickstartPhases(
  timed = 6,
  clipSteps: number = QUICKSTART_STEPS.clip,
  steps: number = QUICKSTART_STEPS.pretrain,
  batchSize: number = QUICKSTART_TUNING.batchSize,
) {
  const run = quickstartConfig(steps, clipSteps, 0, { ...QUICKSTART_TUNING, batchSize });
  const tokenizer = worldTokenizer(run.data.version);
  const model = resolveModelConfig(run, tokenizer.vocabSize);
  const ms = (c: Cost) => ({ data_ms: +(c.data * 1000).toFixed(1), onnx_ms: +(c.onnx * 1000).toFixed(1) });
  const pretrain = ms(await pretrainStepCost(run, model, tokenizer, timed));
  const clip = ms(await clipStepCost(run, model, tokenizer, timed));
  const stage = (c: typeof clip, n: number) => (n * (c.data_ms + c.onnx_ms)) / 1000;
  const clipS = stage(clip, clipSteps);
  const preS = stage(pretrain, steps);
  return {
    clip: { steps: clipSteps, per_step: clip, data_share: +(clip.data_ms / (clip.data_ms + clip.onnx_ms)).toFixed(2) },
    pretrain: { steps, batch_size: batchSize, per_step: pretrain, data_share: +(pretrain.data_ms / (pretrain.data_ms + pretrain.onnx_ms)).toFixed(2) },
    clip_share_of_training: +(clipS / (clipS + preS)).toFixed(2),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [timed, clip, steps, batch] = process.argv.slice(2).map(Number);
  const phases = await quickstartPhases(timed || 6, clip || QUICKSTART_STEPS.clip, steps || QUICKSTART_STEPS.pretrain, batch || QUICKSTART_TUNING.batchSize);
  console.log(JSON.stringify(phases, null, 2));
}
