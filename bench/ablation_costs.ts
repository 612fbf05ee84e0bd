// What each ablation variant's stages cost relative to the base run: seconds per pretraining
// step (data vs ONNX) and per CLIP step (data vs ONNX), measured one variant after another in
// one process, printed as ratios to the base run's. src/ablate/estimate.ts fits its factors to
// these; rerun this when the model, the data pipeline or the studies change. Not part of
// `npm run bench` (about a minute per variant on an idle machine).
// Alone: node --import tsx bench/ablation_costs.ts [variant ids, default: one per distinct cost]
import { loadavg } from 'node:os';
import { flatten } from '../src/ablate/config_paths.js';
import { findStudy } from '../src/ablate/studies/index.js';
import { BatchStream } from '../src/data/batches.js';
import { clipImageSlots } from '../src/data/subimage.js';
import { initParams } from '../src/engine/param_store.js';
import { TrainStep } from '../src/engine/train_step.js';
import { batchFeeds } from '../src/model/build/batch_feeds.js';
import { buildClip } from '../src/model/build/clip.js';
import { freezeFilter } from '../src/model/build/components.js';
import { buildMultimodalTraining } from '../src/model/build/multimodal.js';
import { CAPTION_LEN, clipBatch } from '../src/train/clip_data.js';
import { parsePretrainConfig } from '../src/train/config.js';
import { resolveModelConfig } from '../src/train/model_setup.js';
import { frozenEncoderTrain } from '../src/train/presets.js';
import { worldSources, worldTokenizer } from '../src/train/world_data.js';

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

interface Cost {
  data: number;
  onnx: number;
}

async function timeSteps(ts: TrainStep, next: () => Promise<Record<string, unknown>> | Record<string, unknown>, n: number): Promise<Cost> {
  await ts.run((await next()) as never, 1e-3); // warm-up: first-run allocations
  let data = 0;
  let onnx = 0;
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const feeds = await next();
    const t1 = performance.now();
    await ts.run(feeds as never, 1e-3);
    data += t1 - t0;
    onnx += performance.now() - t1;
  }
  return { data: data / n / 1000, onnx: onnx / n / 1000 };
}

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
  const { batchSize: B, seqLen: T, maxImages: N } = run.train;
  const net = buildMultimodalTraining(model, { B, T, N });
  const ts = await TrainStep.create(net.g, net.loss, initParams(net.g, 0), {
    optimizer: { kind: 'adamw', weightDecay: 0.1 },
    trainable: freezeFilter(run.train.freeze),
    clipNorm: 1,
  });
  const stream = new BatchStream(tokenizer, worldSources(run.data), {
    B,
    T,
    N,
    tokensPerCrop: model.connector.tokens,
    images: clipImageSlots({ resolution: model.vision.imageSize, grid: model.subImageGrid }),
    seed: 0,
  });
  const pretrain = await timeSteps(ts, async () => batchFeeds(await stream.next(), model), STEPS).finally(() => ts.release());
  const CB = run.encoder.clipBatchSize;
  const clipNet = buildClip(model.vision, { B: CB, L: CAPTION_LEN, vocabSize: tokenizer.vocabSize, embed: 64 });
  const cs = await TrainStep.create(clipNet.g, clipNet.loss, initParams(clipNet.g, 0), {
    optimizer: { kind: 'adamw', weightDecay: 0.1 },
    clipNorm: 1,
    metrics: { accuracy: clipNet.accuracy },
  });
  const o = { tokenizer, imageSize: model.vision.imageSize, renderSize: run.data.renderSize, seed: 0, textShare: 0, version: 2 as const };
  let at = 0;
  const clip = await timeSteps(cs, () => clipBatch(o, at++ * CB, CB), STEPS).finally(() => cs.release());
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
