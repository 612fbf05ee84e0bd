// The training loop shared by pretraining and fine-tuning: schedule, steps, a JSONL log of
// every step, atomic checkpoints every N steps and at the end, exact resume (weights,
// optimiser state, step, data cursor), and SIGINT/SIGTERM that checkpoint before exiting.
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HostTensor } from '../engine/host_tensor.js';
import type { TrainStep } from '../engine/train_step.js';
import { checkpointPath, loadLatestGoodCheckpoint, pruneCheckpoints, saveCheckpoint, type LoadedCheckpoint } from '../engine/checkpoint.js';
import { learningRate, type LrSchedule } from './schedule.js';
import { progressBar } from './progress.js';
import { Interrupt } from './interrupt.js';

/** One batch of graph feeds, and how many real (non-padding) tokens it holds. */
export interface NextBatch {
  feeds: Record<string, HostTensor>;
  tokens: number;
}

/** A resumable stream of ready-to-feed batches. */
export interface FeedStream {
  next(): Promise<NextBatch> | NextBatch;
  /** JSON-serialisable position: restoring it continues the exact same stream. */
  cursor(): unknown;
  restore(cursor: unknown): void;
  /** The last batch's feeds are no longer read (its step has run): the stream may draw the next batch into their arrays. */
  done?(): void;
  /** Stop whatever draws batches ahead (prefetch.ts's worker thread); the run calls it when training ends. */
  close?(): void;
}

export interface LoopOptions {
  runDir: string;
  steps: number;
  schedule: LrSchedule;
  checkpointEvery: number;
  /** Keep this many newest checkpoints (default 2). */
  keep?: number;
  /** Saved in every checkpoint's state.json. */
  config: unknown;
  label?: string;
  quiet?: boolean;
  /** Stop after this step without finishing (tests use it to simulate a stop). */
  stopAfter?: number;
}

export interface StepRecord {
  step: number;
  loss: number;
  lr: number;
  grad_norm: number;
  tokens_per_s: number;
  [metric: string]: number;
}

export interface LoopResult {
  records: StepRecord[];
  resumedFrom: number;
  interrupted: boolean;
  /** The signal (SIGINT, SIGTERM) that stopped the run after a checkpoint, or null. */
  stoppedBy: NodeJS.Signals | null;
}

const LOG = 'log.jsonl';

/** Puts checkpoint `ck`'s weights, optimiser state and step into `ts` (runs here; the CLIP stage in clip_pretrain.ts). */
export function restoreTrainStep(ts: TrainStep, ck: LoadedCheckpoint): void {
  const dir = ck.dir;
  for (const name of ts.params.keys()) {
    const t = ck.model.tensors.get(name);
    if (!t) throw new Error(`resume: checkpoint ${dir} has no tensor '${name}'; it was made by a different model config — use a new --out directory`);
    ts.params.set(name, t);
  }
  for (const name of ts.state.keys()) {
    const t = ck.optimizer?.tensors.get(name);
    if (!t) throw new Error(`resume: checkpoint ${dir} has no optimiser state '${name}'; was it saved by another optimiser?`);
    ts.state.set(name, t);
  }
  ts.step = ck.state.step;
}

/** Restore the newest checkpoint of runDir into `ts` and `data`; returns its step (0 if none). */
export function resume(ts: TrainStep, data: FeedStream, runDir: string): number {
  const ck = loadLatestGoodCheckpoint(runDir, (message) => process.stderr.write(`mm1: ${message}\n`));
  if (!ck) return 0;
  restoreTrainStep(ts, ck);
  data.restore(ck.state.dataCursor);
  // Drop log lines past the checkpoint: those steps will be run again.
  const log = join(runDir, LOG);
  if (existsSync(log)) {
    const kept = readFileSync(log, 'utf8')
      .split('\n')
      .filter((l) => l && (JSON.parse(l) as StepRecord).step <= ck.state.step);
    writeFileSync(log, kept.map((l) => l + '\n').join(''));
  }
  return ck.state.step;
}

function save(ts: TrainStep, data: FeedStream, o: LoopOptions, metrics: Record<string, number>): void {
  const optimizer = new Map(ts.state);
  saveCheckpoint(checkpointPath(o.runDir, ts.step), {
    model: ts.params,
    optimizer,
    state: { step: ts.step, config: o.config, dataCursor: data.cursor(), rng: {}, metrics },
  });
  pruneCheckpoints(o.runDir, o.keep ?? 2);
}

export async function trainLoop(ts: TrainStep, data: FeedStream, o: LoopOptions): Promise<LoopResult> {
  mkdirSync(o.runDir, { recursive: true });
  const resumedFrom = resume(ts, data, o.runDir);
  const records: StepRecord[] = [];
  const bar = progressBar(o.label ?? 'train', o.steps, { quiet: o.quiet });
  const interrupt = new Interrupt();
  try {
    while (ts.step < o.steps) {
      const lr = learningRate(o.schedule, ts.step);
      const { feeds, tokens } = await data.next();
      const t0 = performance.now();
      const r = await ts.run(feeds, lr);
      const sec = (performance.now() - t0) / 1000;
      data.done?.();
      const record: StepRecord = { step: ts.step, loss: r.loss, lr, grad_norm: r.gradNorm, tokens_per_s: tokens / sec, ...r.metrics };
      records.push(record);
      appendFileSync(join(o.runDir, LOG), JSON.stringify(record) + '\n');
      bar.update(ts.step, { loss: r.loss, 'tok/s': record.tokens_per_s });
      const stopping = interrupt.requested || (o.stopAfter !== undefined && ts.step >= o.stopAfter);
      if (ts.step === o.steps || ts.step % o.checkpointEvery === 0 || stopping) save(ts, data, o, { loss: r.loss });
      if (stopping) break;
    }
  } finally {
    bar.stop();
    interrupt.dispose();
  }
  return { records, resumedFrom, interrupted: interrupt.requested, stoppedBy: interrupt.signal };
}

/** Every step's record from a run's log (for reports and resumed runs). */
export function readLog(runDir: string): StepRecord[] {
  const log = join(runDir, LOG);
  if (!existsSync(log)) return [];
  return readFileSync(log, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as StepRecord);
}
