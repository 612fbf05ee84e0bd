// What each ablation variant's stages cost relative to the base run: seconds per pretraining
// step (data vs ONNX) and per CLIP step (data vs ONNX), measured one variant after another in
// one process, printed as ratios to the base run's. src/ablate/estimate.ts fits its factors to
// these; rerun this when the model, the data pipeline or the studies change. Not part of
// `npm run bench` (about a minute per variant on an idle machine).
// Alone: node --import tsx bench/ablation_costs.ts [variant ids, default: one per distinct cost]
import { loadavg } from 'node:os';
import { flatten } from '../src/ablate/config_paths.js';
import { findStudy } from '../src/ablate/studies/index.js';
import { parsePretrainConfig } from '../src/train/config.js';
import { resolveModelConfig } from '../src/train/model_setup.js';
import { frozenEncoderTrain } from '../src/train/presets.js';
import { worldTokenizer } from '../src/train/world_data.js';
import { clipStepCost, pretrainStepCost, type Cost } from './stage_costs.js';

/** [study, variant]: the base run, then one variant per distinct cost (token count, resolution, encoder size). */
const VARIANTS: [string, string][] = [
  ['seeds', 'base'],
  ['connector', 'cabstractor-4'],
  ['connector', 'cabstractor-64'],
  ['encoder', 'res32-small'],
  ['encoder', 'res32-large'],
  ['encoder', 'res128-small'],
  ['encoder', 'res128-large'],
];
const STEPS = 4;

async function measure(study: string, id: string): Promise<{ pretrain: Cost; clip: Cost }> {
  const variant = findStudy(study)
    .variants('default')
    .find((v) => v.id === id);
  if (!variant) throw new Error(`study '${study}' has no variant '${id}'`);
  const c = flatten(variant.config) as Record<string, number>;
  const tokenizer = worldTokenizer(2);
  const run = parsePretrainConfig(
    {
      recipe: 'tiny',
      model: variant.config.model,
      data: { mixture: (variant.config.data as { mixture: unknown }).mixture, seed: 0, version: 2 },
      train: { ...frozenEncoderTrain('tiny'), steps: 1000, seqLen: c['train.seqLen'], maxImages: c['train.maxImages'], seed: 0 },
    },
    `${id} config`,
  );
  const model = resolveModelConfig(run, tokenizer.vocabSize);
  const pretrain = await pretrainStepCost(run, model, tokenizer, STEPS);
  const clip = await clipStepCost(run, model, tokenizer, STEPS);
  return { pretrain, clip };
}

const wanted = process.argv.slice(2);
const rows = VARIANTS.filter(([, id]) => wanted.length === 0 || id === 'base' || wanted.includes(id));
const out: Record<string, unknown> = { load_average_1min_at_start: +loadavg()[0].toFixed(1) };
let base: { pretrain: Cost; clip: Cost } | undefined;
for (const [study, id] of rows) {
  const m = await measure(study, id);
  base ??= m;
  const r = (x: number, y: number) => +(x / y).toFixed(2);
  out[id] = {
    seconds: m,
    // Ratios to the base run's step: what estimate.ts fits.
    pretrain_onnx_ratio: r(m.pretrain.onnx, base.pretrain.onnx),
    pretrain_data_ratio: r(m.pretrain.data, base.pretrain.data),
    clip_onnx_ratio: r(m.clip.onnx, base.clip.onnx),
    clip_data_ratio: r(m.clip.data, base.clip.data),
    clip_step_over_pretrain_step: r(m.clip.data + m.clip.onnx, m.pretrain.data + m.pretrain.onnx),
  };
}
out.load_average_1min_at_end = +loadavg()[0].toFixed(1);
process.stdout.write(JSON.stringify(out, null, 2) + '\n');
