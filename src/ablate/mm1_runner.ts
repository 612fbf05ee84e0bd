// The real ablation runner: one study run = CLIP-style encoder stage + multimodal
// pretraining on the synthetic world (+ SFT for the high-resolution study), then the
// standard evaluation, reduced to `<task>/<measure>` metrics by shot count (points).
// Each stage keeps its checkpoints in the run directory, so an interrupted run resumes.
// Runs with a fine-tuning stage pretrain in a directory shared by every run with the same
// pretraining (signal.sharedDir): the highres variants differ only in fine-tuning, so the
// study pretrains once instead of once per variant. Runs without one keep it in their own
// directory: two such runs with equal pretraining are the same run, shared by the run cache.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Mm1Model } from '../model/api.js';
import { loadModel } from '../model/load.js';
import { runEval } from '../eval/runner.js';
import type { EvalReport } from '../eval/report.js';
import { parseRunConfig } from '../train/config.js';
import { readLog } from '../train/loop.js';
import { pretrain } from '../train/pretrain.js';
import { parseSftConfig, sft } from '../train/sft.js';
import type { Metrics, Runner } from './runner.js';

/** World tasks and the metric names the claims read: names starting with "text" count as text-only, so the TextVQA analogue is "reading". */
const IMAGE_TASKS: Record<string, string> = { 'world-coco': 'caption', 'world-vqav2': 'vqa', 'world-textvqa': 'reading', 'world-gqa': 'gqa' };
const TEXT_TASKS: Record<string, string> = { 'world-mc': 'text-mc', 'world-cloze': 'text-cloze' };

const get = (o: unknown, path: string): unknown => path.split('.').reduce<unknown>((x, k) => (x && typeof x === 'object' ? (x as Record<string, unknown>)[k] : undefined), o);

function addMetrics(into: Metrics, report: EvalReport, names: Record<string, string>): void {
  for (const r of report.results) {
    const key = `${names[r.task]}/${r.metric.toLowerCase()}`;
    (into[key] ??= {})[String(r.shots)] = r.metrics[r.metric];
  }
}

export const mm1Runner: Runner = async (config, runDir, signal) => {
  const t0 = Date.now();
  const seed = Number(config.seed ?? 0);
  const steps = Number(get(config, 'train.steps') ?? 300);
  const run = parseRunConfig({
    recipe: 'tiny',
    model: get(config, 'model') ?? {},
    data: { mixture: get(config, 'data.mixture') ?? {}, seed },
    encoder: { clipSteps: Number(get(config, 'encoder.clipSteps') ?? Math.max(100, Math.round(steps * 0.8))) },
    train: { steps, batchSize: 16, seqLen: 256, maxImages: 8, lr: 3e-3, warmupSteps: Math.min(30, Math.floor(steps / 5)), checkpointEvery: 100, seed, freeze: ['vision'] },
  }, 'ablation run config');
  const sftSteps = get(config, 'sft.steps');
  const preOut = sftSteps === undefined ? join(runDir, 'pretrain') : signal.sharedDir('pretrain', run);
  let modelDir = join(preOut, 'model');
  let finalLoss: number | undefined;
  if (existsSync(join(modelDir, 'config.json'))) {
    signal.log(`reusing the pretrained model in ${modelDir}`);
    finalLoss = readLog(preOut).at(-1)?.loss;
  } else {
    signal.log(`pretraining ${steps} steps (CLIP stage ${run.encoder.clipSteps})`);
    const pre = await pretrain({ config: run, out: preOut, resume: true, quiet: true });
    if (!pre.modelDir) throw new Error(`pretraining stopped at step ${pre.records.at(-1)?.step}; rerun the study to resume`);
    modelDir = pre.modelDir;
    finalLoss = pre.records.at(-1)?.loss;
  }
  if (sftSteps !== undefined) {
    signal.log(`fine-tuning ${sftSteps} steps`);
    const s = await sft({
      config: parseSftConfig({
        init: modelDir,
        imageSize: get(config, 'sft.imageSize'),
        subImageGrid: get(config, 'sft.subImageGrid') ?? 0,
        data: { source: 'world', seed, renderSize: 128 },
        train: { steps: Number(sftSteps), batchSize: 16, seqLen: 256, maxImages: 4, lr: 1e-3, warmupSteps: 10, checkpointEvery: 100, seed },
      }),
      out: join(runDir, 'sft'),
      resume: true,
      quiet: true,
    });
    if (!s.modelDir) throw new Error('fine-tuning stopped early; rerun the study to resume');
    modelDir = s.modelDir;
  }
  const shots = (get(config, 'eval.shots') as number[] | undefined) ?? [0, 4, 8];
  const model: Mm1Model = await loadModel(modelDir);
  const metrics: Metrics = {};
  const warnings: string[] = [];
  try {
    const common = {
      shots,
      seed,
      onWarning: (m: string) => {
        warnings.push(m);
        signal.log(m);
      },
    };
    addMetrics(metrics, await runEval(model, { ...common, tasks: Object.keys(IMAGE_TASKS), limit: Number(get(config, 'eval.examplesPerTask') ?? 100), outDir: join(runDir, 'eval', 'image') }), IMAGE_TASKS);
    addMetrics(metrics, await runEval(model, { ...common, tasks: Object.keys(TEXT_TASKS), limit: Number(get(config, 'eval.textExamples') ?? 200), outDir: join(runDir, 'eval', 'text') }), TEXT_TASKS);
  } finally {
    await model.release();
  }
  return {
    metrics,
    wallSeconds: (Date.now() - t0) / 1000,
    extra: { params: model.info.params, ...(finalLoss !== undefined ? { finalLoss } : {}) },
    ...(warnings.length > 0 ? { warnings } : {}),
  };
};
