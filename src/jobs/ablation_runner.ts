// The real ablation runner: one study run = CLIP-style encoder stage + multimodal
// pretraining on the synthetic world (+ SFT for the high-resolution study), then the
// standard evaluation, reduced to `<task>/<measure>` metrics by shot count (points), with
// every item's score kept (items.json) so claims can pair runs item by item.
// Each stage keeps its checkpoints in the run directory, so an interrupted run resumes.
// Runs with a fine-tuning stage pretrain in a directory shared by every run with the same
// pretraining (signal.sharedDir): the highres variants differ only in fine-tuning, so the
// study pretrains once instead of once per variant. Runs without one keep it in their own
// directory: two such runs with equal pretraining are the same run, shared by the run cache.
// The CLIP stage is shared the same way, more widely: it depends only on the encoder, its CLIP
// settings and the seed, so every connector and mixture variant of one seed trains the same
// encoder, once (signal.sharedDir('clip', ...)), and every variant starts from identical weights.
// The training seed (`seed`) draws initialisation, data order and the CLIP stage; the
// evaluation items and shots come from `eval.seed`, fixed per study, so every variant and
// seed is scored on the same items.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Mm1Model } from '../model/infer/api.js';
import { loadModel } from '../model/infer/load.js';
import { runEval } from '../eval/runner.js';
import type { EvalReport } from '../eval/report.js';
import { parsePretrainConfig as parseRunConfig } from '../train/config.js';
import { readLog } from '../train/loop.js';
import { pretrain } from '../train/pretrain.js';
import { resolveModelConfig } from '../train/model_setup.js';
import { frozenEncoderTrain } from '../train/presets.js';
import { stageIdentity } from '../train/settings_added.js';
import { parseSftConfig, sft } from '../train/sft.js';
import { worldTokenizer } from '../train/world_data.js';
import { STAGE_DONE_FILE } from '../ablate/run_one.js';
import type { AblationRunConfig, ItemScores, Metrics, RunResult, Runner, RunSignal, SharedStage } from '../ablate/runner.js';
import { evaluateSftSuite } from './sft_suite_eval.js';
import { RunWall } from './run_wall.js';

/**
 * The world tasks a run is evaluated on, and the metric name each reports under: names starting
 * with "text" count as text-only (avg/text), every other one as an image task (avg/image), so
 * the TextVQA analogue is "reading". One row per task; add a task by adding its row.
 */
const TASKS: readonly { task: string; metric: string; kind: 'image' | 'text' }[] = [
  { task: 'world-coco', metric: 'caption', kind: 'image' },
  { task: 'world-vqav2', metric: 'vqa', kind: 'image' },
  { task: 'world-textvqa', metric: 'reading', kind: 'image' },
  { task: 'world-gqa', metric: 'gqa', kind: 'image' },
  { task: 'world-nocaps', metric: 'nocaps', kind: 'image' },
  { task: 'world-textcaps', metric: 'caption-reading', kind: 'image' },
  { task: 'world-vizwiz', metric: 'vizwiz', kind: 'image' },
  { task: 'world-okvqa', metric: 'okvqa', kind: 'image' },
  { task: 'world-mc', metric: 'text-mc', kind: 'text' },
  { task: 'world-cloze', metric: 'text-cloze', kind: 'text' },
];

const get = (o: unknown, path: string): unknown =>
  path.split('.').reduce<unknown>((x, k) => (x && typeof x === 'object' ? (x as Record<string, unknown>)[k] : undefined), o);
const num = (o: unknown, path: string, dflt: number): number => Number(get(o, path) ?? dflt);

/**
 * The pretraining run config of one study run, in one place: what the study's config sets, and
 * the defaults for what it leaves out (every study sets seqLen / maxImages, see studies/base.ts).
 * The CLIP stage's other settings (`encoder.*`, e.g. clipTextCaptions) and the encoder's
 * treatment in pretraining (`train.freeze`, `train.lrScale`) pass through when a config sets
 * them (docs/reading.md's reading runs); a config that sets none gets the frozen-encoder run
 * every study has used, unchanged.
 */
export function pretrainConfig(config: Record<string, unknown>, seed: number) {
  const steps = num(config, 'train.steps', 300);
  const encoder = (get(config, 'encoder') ?? {}) as Record<string, unknown>;
  const freeze = get(config, 'train.freeze');
  const lrScale = get(config, 'train.lrScale');
  return parseRunConfig(
    {
      recipe: 'tiny',
      model: get(config, 'model') ?? {},
      data: { mixture: get(config, 'data.mixture') ?? {}, seed, version: num(config, 'data.version', 1) },
      encoder: { ...encoder, clipSteps: num(config, 'encoder.clipSteps', Math.max(100, Math.round(steps * 0.8))) },
      train: {
        ...frozenEncoderTrain('tiny'),
        ...(freeze !== undefined ? { freeze } : {}),
        ...(lrScale !== undefined ? { lrScale } : {}),
        steps,
        seqLen: num(config, 'train.seqLen', 256),
        maxImages: num(config, 'train.maxImages', 8),
        warmupSteps: Math.min(30, Math.floor(steps / 5)),
        checkpointEvery: 100,
        seed,
      },
    },
    'ablation run config',
  );
}

/**
 * Everything the CLIP stage of a run depends on (what clipPretrain trains from): runs that agree
 * on it train the same encoder, so they share one stage directory in the run cache. Settings
 * added since stages were first cached are left out at their old value (stageIdentity), so an
 * mm1 that has them finds the stages an older one made.
 */
export function clipStageInputs(run: ReturnType<typeof pretrainConfig>) {
  const vision = resolveModelConfig(run, worldTokenizer(run.data.version).vocabSize).vision;
  return { recipe: run.recipe, vision, encoder: stageIdentity(run).encoder, seed: run.train.seed, renderSize: run.data.renderSize, version: run.data.version };
}

/**
 * Metrics, per-item scores and reduced shot counts from one evaluation (its samples files are in
 * `outDir`). Item keys are "<eval seed>/<item id>": world item ids name a position, not the
 * generated item, so runs evaluated with different eval seeds must not pair.
 */
function collect(into: Pick<Required<RunResult>, 'metrics' | 'items' | 'shotsUsed'>, report: EvalReport, outDir: string): void {
  for (const r of report.results) {
    const row = TASKS.find((t) => t.task === r.task);
    if (!row) throw new Error(`the evaluation returned task ${r.task}, which the runner's task table does not name`);
    const key = `${row.metric}/${r.metric.toLowerCase()}`;
    const shots = String(r.shots);
    (into.metrics[key] ??= {})[shots] = r.metrics[r.metric];
    if (r.effectiveShots.min < r.shots) (into.shotsUsed[key] ??= {})[shots] = r.effectiveShots.min;
    if (!r.samplesFile) throw new Error(`the evaluation of ${r.task} wrote no per-sample file; the runner needs one to keep item scores`);
    const byId: Record<string, number> = {};
    for (const line of readFileSync(join(outDir, r.samplesFile), 'utf8').split('\n')) {
      if (!line) continue;
      const s = JSON.parse(line) as { id: string; score: number };
      byId[`${report.seed}/${s.id}`] = s.score;
    }
    (into.items[key] ??= {})[shots] = byId;
  }
}

/** The shared stages a run asks for (Runner.sharedStages), as mm1Runner below asks for them. */
export function mm1SharedStages(config: AblationRunConfig): SharedStage[] {
  const run = pretrainConfig(config, Number(config.seed ?? 0));
  const clip = { stage: 'clip', inputs: clipStageInputs(run) };
  return get(config, 'sft.steps') === undefined ? [clip] : [{ stage: 'pretrain', inputs: stageIdentity(run) }, clip];
}

const trainAndEvaluate: Runner = async (config, runDir, signal) => {
  // Timed across attempts (run_wall.ts): a run resumed in a later session reports all of its time.
  const wall = new RunWall(runDir);
  try {
    return await trainAndEvaluateTimed(config, runDir, signal, wall);
  } finally {
    wall.stop();
  }
};

const trainAndEvaluateTimed = async (config: AblationRunConfig, runDir: string, signal: RunSignal, wall: RunWall): Promise<RunResult> => {
  const seed = Number(config.seed ?? 0);
  const run = pretrainConfig(config, seed);
  const steps = run.train.steps;
  const sftSteps = get(config, 'sft.steps');
  const preOut = sftSteps === undefined ? join(runDir, 'pretrain') : signal.sharedDir('pretrain', stageIdentity(run));
  let modelDir = join(preOut, 'model');
  let finalLoss: number | undefined;
  if (existsSync(join(modelDir, 'config.json'))) {
    signal.log(`reusing the pretrained model in ${modelDir}`);
    finalLoss = readLog(preOut).at(-1)?.loss;
  } else {
    const clipOut = signal.sharedDir('clip', clipStageInputs(run));
    const clipDone = existsSync(join(clipOut, STAGE_DONE_FILE.clip));
    signal.log(`pretraining ${steps} steps (CLIP stage ${run.encoder.clipSteps}: ${clipDone ? 'reusing' : 'training'} ${clipOut})`);
    const pre = await pretrain({ config: run, out: preOut, clipOut, resume: true, quiet: true });
    if (!pre.modelDir) throw new Error(`pretraining stopped at step ${pre.records.at(-1)?.step}; rerun the study to resume`);
    modelDir = pre.modelDir;
    finalLoss = pre.records.at(-1)?.loss;
  }
  // sft.steps 0: not fine-tuned, but pretrained in the directory its fine-tuned twin shares (studies/sft_suite.ts).
  if (sftSteps !== undefined && Number(sftSteps) > 0) {
    signal.log(`fine-tuning ${sftSteps} steps`);
    const s = await sft({
      config: parseSftConfig({
        init: modelDir,
        imageSize: get(config, 'sft.imageSize'),
        subImageGrid: get(config, 'sft.subImageGrid') ?? 0,
        data: { source: 'world', seed, renderSize: 128, version: run.data.version },
        train: {
          steps: Number(sftSteps),
          batchSize: 16,
          seqLen: num(config, 'sft.seqLen', 256),
          maxImages: num(config, 'sft.maxImages', 4),
          lr: 1e-3,
          warmupSteps: 10,
          checkpointEvery: 100,
          seed,
        },
      }),
      out: join(runDir, 'sft'),
      resume: true,
      quiet: true,
    });
    if (!s.modelDir) throw new Error('fine-tuning stopped early; rerun the study to resume');
    modelDir = s.modelDir;
  }
  const shots = (get(config, 'eval.shots') as number[] | undefined) ?? [0, 4, 8];
  const evalSeed = num(config, 'eval.seed', 0);
  // eval.highResLast: MM1's mixed-resolution few-shot for a sub-image model (only the last N pictures full sets).
  const highResLast = get(config, 'eval.highResLast') as number | undefined;
  const model: Mm1Model = await loadModel(modelDir, highResLast === undefined ? {} : { highResLast });
  const out = { metrics: {} as Metrics, items: {} as ItemScores, shotsUsed: {} as Record<string, Record<string, number>> };
  const warnings: string[] = [];
  try {
    const common = {
      shots,
      seed: evalSeed,
      // Evaluated on the world it was trained on (the eval's own default is v2).
      worldVersion: run.data.version,
      onWarning: (m: string) => {
        warnings.push(m);
        signal.log(m);
      },
    };
    if (get(config, 'eval.suite') === 'sft') {
      Object.assign(out, await evaluateSftSuite(model, { ...common, limit: num(config, 'eval.examplesPerTask', 100), outDir: join(runDir, 'eval', 'sft') }));
    } else
      for (const kind of ['image', 'text'] as const) {
        const outDir = join(runDir, 'eval', kind);
        const limit = kind === 'image' ? num(config, 'eval.examplesPerTask', 100) : num(config, 'eval.textExamples', 200);
        // 0 leaves the kind out: studies whose claims read no text task (as MM1 reports none for them) skip its cost.
        if (limit === 0) continue;
        collect(out, await runEval(model, { ...common, tasks: TASKS.filter((t) => t.kind === kind).map((t) => t.task), limit, outDir }), outDir);
      }
  } finally {
    await model.release();
  }
  return {
    metrics: out.metrics,
    wallSeconds: wall.seconds,
    extra: {
      params: model.info.params,
      contextLength: model.info.contextLength,
      evalSeed,
      attempts: wall.attempts,
      ...(finalLoss !== undefined ? { finalLoss } : {}),
    },
    items: out.items,
    ...(Object.keys(out.shotsUsed).length > 0 ? { shotsUsed: out.shotsUsed } : {}),
    ...(warnings.length > 0 ? { warnings } : {}),
  };
};

export const mm1Runner: Runner = Object.assign(trainAndEvaluate, { sharedStages: mm1SharedStages });
