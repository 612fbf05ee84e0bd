// Contrastive (CLIP-style) pretraining of the image encoder on world image–caption pairs (or
// on the caption shards of a file data config, train/file_clip_data.ts):
// the first stage of MM1's recipe, where the encoder comes CLIP-pretrained (model/build/clip.ts).
// Returns the trained `vision.*` weights, saved to <out>/vision.safetensors so a resumed
// run does not train them again. On world pairs the stage also checkpoints every
// `checkpointEvery` steps (<out>/checkpoints/step-N: weights, AdamW state, step), so a stage
// stopped partway — a long 128-px stage outlives a session — resumes where it stopped and
// ends with the same weights bit for bit: world batches are a function of the step, not of a
// stream position. A stage on files (`pairs`) reads a stream without a saved cursor and
// starts over.
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { atomicWriteFile } from '../engine/atomic_write.js';
import { join } from 'node:path';
import { checkpointPath, loadLatestGoodCheckpoint, pruneCheckpoints, saveCheckpoint } from '../engine/checkpoint.js';
import type { HostTensor } from '../engine/host_tensor.js';
import { initParams, type ParamValues } from '../engine/param_store.js';
import { readSafetensors, writeSafetensors } from '../engine/safetensors.js';
import { TrainStep } from '../engine/train_step.js';
import { clipBatch } from './clip_data.js';
import { checkClipStage, clipSchedule, clipStageGraph, clipStageParts, type ClipStageSettings, clipStepOptions, clipWorldData } from './clip_stage.js';
import { restoreTrainStep } from './loop.js';
import { learningRate } from './schedule.js';
import { progressBar } from './progress.js';

export interface ClipOptions extends ClipStageSettings {
  out: string;
  quiet?: boolean;
  /** Pairs from elsewhere than the world (train/file_clip_data.ts: the caption shards); `id` names them in the stage's settings. */
  pairs?: ClipPairBatches;
  /** Steps between checkpoints on world pairs (default 100; 0: none). */
  checkpointEvery?: number;
  /** Stop after this many steps with a checkpoint and no finished stage (tests; splitting a stage). */
  stopAfter?: number;
  /**
   * Start from these weights instead of the seed's initialisation: a finished stage's towers,
   * for a curriculum whose second part trains on other pairs (experiments/reading/probe.ts
   * --init-dir). Every parameter of the stage must be there with its shape; `id` names the
   * weights in the stage's settings, so a stage from other weights is not mistaken for it.
   */
  init?: { id: string; params: ParamValues };
}

/** Batches of image–caption pairs read in order, for a stage trained on files. */
export interface ClipPairBatches {
  id: string;
  next(B: number): Promise<Record<string, HostTensor>>;
}

export interface ClipResult {
  vision: ParamValues;
  /** The caption tower and projections (`clip.*`), kept for probes (docs/reading.md); saved to text_tower.safetensors. */
  textTower: ParamValues;
  /** In-batch image→caption retrieval accuracy over the last 10 steps (chance = 1/B). */
  accuracy: number;
  losses: number[];
  /** Set when `stopAfter` stopped the stage before its last step (then `vision` is empty). */
  stoppedAt?: number;
}

export async function clipPretrain(o: ClipOptions): Promise<ClipResult> {
  if (o.wordSteps !== undefined) return clipInParts(o);
  const file = join(o.out, 'vision.safetensors');
  const towerFile = join(o.out, 'text_tower.safetensors');
  const textShare = o.textShare ?? 0;
  const pool = o.pool ?? 'mean';
  const hardNegatives = o.hardNegatives ?? 1;
  const textCaptions = o.textCaptions ?? 'world';
  checkClipStage(o, o.pairs !== undefined);
  const settings = JSON.stringify({
    vision: o.vision,
    steps: o.steps,
    batchSize: o.batchSize,
    lr: o.lr,
    seed: o.seed,
    renderSize: o.renderSize,
    worldVersion: o.worldVersion ?? 1,
    ...(textShare > 0 ? { textShare } : {}),
    ...(pool !== 'mean' ? { pool } : {}),
    ...(hardNegatives > 1 ? { hardNegatives } : {}),
    ...(textCaptions !== 'world' ? { textCaptions } : {}),
    ...(o.pairs ? { pairs: o.pairs.id } : {}),
    ...(o.init ? { init: o.init.id } : {}),
  });
  const stamp = join(o.out, 'settings.json');
  if (existsSync(file) && existsSync(stamp) && readFileSync(stamp, 'utf8') === settings)
    return {
      vision: readSafetensors(file).tensors,
      textTower: existsSync(towerFile) ? readSafetensors(towerFile).tensors : new Map(),
      accuracy: NaN,
      losses: [],
    };
  const data = clipWorldData(o);
  const net = clipStageGraph(o);
  const ts = await TrainStep.create(net.g, net.loss, startingWeights(initParams(net.g, o.seed), o.init), clipStepOptions(net));
  const every = o.pairs ? 0 : (o.checkpointEvery ?? 100);
  const resumedFrom = every > 0 ? resumeClip(ts, o.out, settings) : 0;
  const bar = progressBar('clip', o.steps, { quiet: o.quiet });
  const losses: number[] = [];
  const acc: number[] = [];
  const stopAt = Math.min(o.steps, o.stopAfter ?? o.steps);
  try {
    const schedule = clipSchedule(o);
    let spent: Record<string, HostTensor> | undefined; // the last step's feeds, drawn into once it has run
    for (let s = resumedFrom; s < stopAt; s++) {
      const feeds = o.pairs ? await o.pairs.next(o.batchSize) : clipBatch(data, s * o.batchSize, o.batchSize, spent);
      const r = await ts.run(feeds, learningRate(schedule, s));
      spent = feeds;
      losses.push(r.loss);
      acc.push(r.metrics.accuracy);
      bar.update(s + 1, { loss: r.loss, acc: r.metrics.accuracy });
      if (every > 0 && (ts.step % every === 0 || ts.step === stopAt) && ts.step < o.steps) {
        saveCheckpoint(checkpointPath(o.out, ts.step), {
          model: ts.params,
          optimizer: new Map(ts.state),
          state: { step: ts.step, config: JSON.parse(settings) as unknown, dataCursor: null, rng: {}, metrics: { loss: r.loss, accuracy: r.metrics.accuracy } },
        });
        pruneCheckpoints(o.out, 1);
      }
    }
  } finally {
    bar.stop();
    await ts.release();
  }
  if (stopAt < o.steps) return { vision: new Map(), textTower: new Map(), accuracy: NaN, losses, stoppedAt: stopAt };
  const vision: ParamValues = new Map([...ts.params].filter(([name]) => name.startsWith('vision.')));
  const textTower: ParamValues = new Map([...ts.params].filter(([name]) => name.startsWith('clip.')));
  mkdirSync(o.out, { recursive: true });
  writeSafetensors(file, vision, { format: 'pt', producer: 'mm1 clip' });
  writeSafetensors(towerFile, textTower, { format: 'pt', producer: 'mm1 clip' });
  atomicWriteFile(stamp, settings);
  rmSync(join(o.out, 'checkpoints'), { recursive: true, force: true }); // the finished stage is the files above
  const last = acc.slice(-10);
  return { vision, textTower, accuracy: last.reduce((a, b) => a + b, 0) / last.length, losses };
}

/**
 * A stage with a first part on word pairs (clip_stage.ts clipStageParts): the first part is a
 * stage of its own in <out>/word-first (its own checkpoints and settings, so either part resumes
 * or is reused alone), the second starts from its towers and finishes in <out>.
 */
async function clipInParts(o: ClipOptions): Promise<ClipResult> {
  checkClipStage(o, o.pairs !== undefined);
  const [first, second] = clipStageParts(o);
  const word = await clipPretrain({ ...o, ...first, wordSteps: undefined, out: join(o.out, 'word-first') });
  if (word.stoppedAt !== undefined) return word;
  const init = { id: `word-first ${first.steps} steps`, params: new Map([...word.vision, ...word.textTower]) };
  const rest = await clipPretrain({ ...o, ...second, wordSteps: undefined, init, out: o.out });
  return { ...rest, losses: [...word.losses, ...rest.losses] };
}

/** The seed's initial weights, or `init`'s in their place (every one of them, shapes checked). */
function startingWeights(fresh: ParamValues, init: ClipOptions['init']): ParamValues {
  if (!init) return fresh;
  const start: ParamValues = new Map();
  for (const [name, t] of fresh) {
    const given = init.params.get(name);
    if (!given || given.shape.join() !== t.shape.join())
      throw new Error(
        `clip: the starting weights ${init.id} ${given ? `give ${name} the shape [${given.shape.join(', ')}]` : `lack ${name}`}, the stage needs [${t.shape.join(', ')}]; start from a stage with the same encoder and pool settings`,
      );
    start.set(name, given);
  }
  return start;
}

/** Restores the newest checkpoint of a stage stopped partway; returns its step (0 if none). */
function resumeClip(ts: TrainStep, out: string, settings: string): number {
  const ck = loadLatestGoodCheckpoint(out, (m) => process.stderr.write(`mm1: ${m}\n`));
  // None, or a checkpoint of other settings (another seed, step count, ...): not this stage's, start over.
  if (!ck || JSON.stringify(ck.state.config) !== settings) return 0;
  restoreTrainStep(ts, ck);
  return ck.state.step;
}
