// `mm1 quickstart`: the main job a new user runs. Pretrain the `tiny` recipe on the
// synthetic world with MM1's 45 : 45 : 10 mixture, evaluate 0- and 4-shot captioning, VQA
// and text tasks, evaluate the same model with blanked images as a baseline, and write a
// report. Re-running it reuses a finished model; an interrupted run resumes.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RgbImage } from '../data/document.js';
import { MM1_MIX } from '../data/mixture.js';
import { runEval, type EvalOptions } from '../eval/runner.js';
import { withBlankImages } from '../eval/blank_images.js';
import type { EvalReport } from '../eval/report.js';
import { writeReport } from '../eval/report.js';
import { loadModel } from '../model/infer/load.js';
import type { Mm1Model } from '../model/infer/api.js';
import { compare, quickstartReport, SAMPLE_TASKS, type ComparisonRow } from '../report/quickstart_report.js';
import { getRecipe } from '../model/build/recipes.js';
import { parsePretrainConfig, type PretrainConfig } from '../train/config.js';
import { readLog } from '../train/loop.js';
import { StoppedBySignal } from '../train/interrupt.js';
import { frozenEncoderTrain, QUICKSTART_TUNING } from '../train/presets.js';
import { pretrain } from '../train/pretrain.js';

/** The tasks whose prompts hold pictures, so blanking them can change an answer. */
export const QUICKSTART_PICTURE_TASKS = ['world-coco', 'world-vqav2', 'world-textvqa', 'world-gqa'];
/** Text alone (multiple choice, cloze): with images blanked their prompts are the very same
 *  tokens, so the blanked pass takes their scores from the model's pass instead of computing
 *  them again. */
export const QUICKSTART_TEXT_TASKS = ['world-mc', 'world-cloze'];
export const QUICKSTART_TASKS = [...QUICKSTART_PICTURE_TASKS, ...QUICKSTART_TEXT_TASKS];

/** What a quick start may set beyond step counts and seed (train/presets.ts QUICKSTART_TUNING). */
export interface QuickstartTuning {
  clipLr: number;
  lr: number;
  batchSize: number;
}

export interface QuickstartOptions {
  out: string;
  steps: number;
  /** CLIP-style encoder pretraining steps before multimodal pretraining. */
  clipSteps: number;
  /** Peak learning rate of multimodal pretraining; QUICKSTART_TUNING.lr when not given. */
  lr?: number;
  /** Peak learning rate of the CLIP stage; QUICKSTART_TUNING.clipLr when not given. */
  clipLr?: number;
  /** Sequences per pretraining step; QUICKSTART_TUNING.batchSize when not given. */
  batchSize?: number;
  /** Items per evaluation task. */
  evalLimit: number;
  shots: number[];
  seed: number;
  /** Seed of the evaluation items and shot choice; `seed` when not given. Holding it fixed
   *  compares runs of different training seeds on the same items. */
  evalSeed?: number;
  quiet?: boolean;
  command: string;
}

export interface QuickstartResult {
  rows: ComparisonRow[];
  reportHtml: string;
  trainSeconds: number;
  evalSeconds: number;
}

/**
 * Stage 1 trains the image encoder CLIP-style (MM1 starts from a CLIP-pretrained ViT; a ViT
 * trained from scratch through the captioning loss alone learns too slowly to ground words
 * in pictures within minutes — measured: no gap to blanked images after 1,200 steps). Stage 2
 * is MM1's multimodal pretraining with that encoder kept fixed, so every step goes to the
 * connector and the LLM (`mm1 pretrain` leaves it trainable by default, as MM1 does).
 */
export function quickstartConfig(steps: number, clipSteps: number, seed: number, tuning: QuickstartTuning = QUICKSTART_TUNING): PretrainConfig {
  return parsePretrainConfig({
    recipe: 'tiny',
    // Pictures are drawn at the encoder's side (48 px) rather than at 128 px and shrunk: the
    // data pipeline then costs ~7× less (bench/pipeline.ts) and keeps well ahead of the step.
    // The model directory records it, and evaluation renders its pictures at the same side.
    data: { mixture: MM1_MIX, seed, renderSize: getRecipe('tiny').model.vision.imageSize },
    encoder: { clipSteps, clipLr: tuning.clipLr },
    train: { ...frozenEncoderTrain('tiny'), batchSize: tuning.batchSize, lr: tuning.lr, steps, checkpointEvery: 100, seed },
  });
}

/** A finished model of this exact config, if the run directory has one. */
function finishedModel(out: string, config: PretrainConfig): string | null {
  const cfgPath = join(out, 'model', 'config.json');
  if (!existsSync(cfgPath)) return null;
  const saved = JSON.parse(readFileSync(cfgPath, 'utf8')) as { run?: unknown };
  return JSON.stringify(saved.run) === JSON.stringify(config) ? join(out, 'model') : null;
}

/** One evaluation pass over `tasks`, printing a line per task × shots as it finishes. */
async function evaluate(
  label: string,
  model: Mm1Model,
  tasks: readonly string[],
  outDir: string,
  o: QuickstartOptions,
  onQueries?: EvalOptions['onQueries'],
): Promise<EvalReport> {
  return runEval(model, {
    onQueries,
    tasks,
    shots: o.shots,
    limit: o.evalLimit,
    seed: o.evalSeed ?? o.seed,
    outDir,
    onWarning: () => {},
    onResult: (r) => {
      if (!o.quiet)
        process.stderr.write(`${label}: ${r.task} ${r.shots}-shot ${r.metric} ${r.metrics[r.metric].toFixed(1)} (n ${r.n}, ${r.seconds.toFixed(0)} s)\n`);
    },
  });
}

/** The blanked pass's report (eval/blank): its picture tasks, plus the model pass's results for
 *  the text-only tasks, whose prompts have nothing to blank; their samples stay in eval/model. */
function withTextResults(blank: EvalReport, seen: EvalReport): EvalReport {
  const text = seen.results.filter((r) => QUICKSTART_TEXT_TASKS.includes(r.task));
  return { ...blank, results: [...blank.results, ...text.map((r) => ({ ...r, samplesFile: r.samplesFile && join('..', 'model', r.samplesFile) }))] };
}

/** Keeps the in-memory pictures of the tasks the report shows samples of, as the eval loads them. */
function collectSamplePictures(into: Map<string, RgbImage>): EvalOptions['onQueries'] {
  return (taskName, queries) => {
    if (!SAMPLE_TASKS.includes(taskName)) return;
    for (const q of queries) if ('image' in q && !('path' in q.image) && !('key' in q.image)) into.set(q.id, q.image);
  };
}

export async function quickstart(o: QuickstartOptions): Promise<QuickstartResult> {
  mkdirSync(o.out, { recursive: true });
  const { clipLr = QUICKSTART_TUNING.clipLr, lr = QUICKSTART_TUNING.lr, batchSize = QUICKSTART_TUNING.batchSize } = o;
  const config = quickstartConfig(o.steps, o.clipSteps, o.seed, { clipLr, lr, batchSize });
  const t0 = Date.now();
  let modelDir = finishedModel(o.out, config);
  if (modelDir) process.stderr.write(`mm1: ${modelDir} is already trained with these settings; evaluating it\n`);
  else {
    const r = await pretrain({ config, out: o.out, resume: true, quiet: o.quiet });
    if (!r.modelDir) {
      const message = `training stopped at step ${r.records.at(-1)?.step ?? 0} of ${o.steps}; run the same command again to resume`;
      throw r.stoppedBy ? new StoppedBySignal(r.stoppedBy, message) : new Error(message);
    }
    modelDir = r.modelDir;
  }
  const trainSeconds = (Date.now() - t0) / 1000;

  const t1 = Date.now();
  // Multiple choice scores each shared prompt once (shared_prompt_score.ts): the same answers
  // in under half the time; the quick start need not repeat the studies' numbers bit for bit.
  const model = await loadModel(modelDir, { sharePrompts: true });
  try {
    const evalDir = join(o.out, 'eval');
    const pictures = new Map<string, RgbImage>();
    const seen = await evaluate('eval', model, QUICKSTART_TASKS, join(evalDir, 'model'), o, collectSamplePictures(pictures));
    const blank = withTextResults(await evaluate('eval, images blanked', withBlankImages(model), QUICKSTART_PICTURE_TASKS, join(evalDir, 'blank'), o), seen);
    writeReport(join(evalDir, 'blank'), blank);
    const evalSeconds = (Date.now() - t1) / 1000;
    const { html, markdown } = await quickstartReport({
      command: o.command,
      recipe: config.recipe,
      params: model.info.params,
      trainSeconds,
      evalSeconds,
      steps: readLog(o.out),
      model: seen,
      blank,
      modelEvalDir: join(evalDir, 'model'),
      blankEvalDir: join(evalDir, 'blank'),
      images: pictures,
    });
    const reportHtml = join(o.out, 'report.html');
    writeFileSync(reportHtml, html);
    writeFileSync(join(o.out, 'report.md'), markdown);
    return { rows: compare(seen, blank), reportHtml, trainSeconds, evalSeconds };
  } finally {
    await model.release();
  }
}
