// Issue #13: is encoding the empty image slots worth skipping? Per config, two numbers:
// - empty: the share of image slots no image fills, 1 − Σ imageCount / (B·N), over the first
//   `batches` batches of the config's world stream (as pretraining builds it);
// - tower: the share of the step's kernel time (ONNX Runtime profiler, one intra-op thread) in
//   the image tower (ViT + connector forward) and in the connector's backward, told apart by
//   node: tower forward nodes are those the tower call added to the graph, tower backward nodes
//   the gradient nodes that read a tower tensor or a gradient already marked so.
// empty × tower bounds what skipping empty slots can save of the step (less with buckets).
// ONNX Runtime keeps the graph's node name as the prefix of a node it fused ('n686/MatmulTransposeFusion/'),
// so fused nodes count where their first node was built; nodes it made itself (no 'n<id>' prefix) count nowhere.
// MM1_ORT_THREADS=1 nice -n 10 node --import tsx bench/empty_slots.ts [batches=50] [steps=3] [config ...]
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PIPELINE_JOBS, pipelineStream, type PipelineJob } from './pipeline.js';
import type { ProfileEvent } from './profile_gemms.js';
import { median } from './engine.js';
import type { BatchStream } from '../src/data/batches.js';
import type { PackedBatch } from '../src/data/packed_batch.js';
import { Graph } from '../src/engine/graph.js';
import { initParams } from '../src/engine/param_store.js';
import { TrainStep } from '../src/engine/train_step.js';
import { batchFeeds } from '../src/model/build/batch_feeds.js';
import { freezeFilter } from '../src/model/build/components.js';
import type { ModelConfig } from '../src/model/build/config.js';
import { buildMultimodalTraining, mm1Tower, type ImageTower } from '../src/model/build/multimodal.js';
import { worldTokenizer } from '../src/train/world_data.js';

export interface SlotConfig {
  name: string;
  job: PipelineJob;
  model: ModelConfig;
  /** Picture side the config's world stream draws at. */
  renderSize: number;
}

const vocab = worldTokenizer(2).vocabSize;
const ablation = PIPELINE_JOBS[2].model(vocab);
/** Quick start, the ablation base run (64 px) and its 128-px variant (run record 79845fd9d58409cf). */
export const SLOT_CONFIGS: SlotConfig[] = [
  { name: 'quickstart', job: PIPELINE_JOBS[1], model: PIPELINE_JOBS[1].model(vocab), renderSize: 48 },
  { name: 'ablation-64', job: PIPELINE_JOBS[2], model: ablation, renderSize: 128 },
  { name: 'ablation-128', job: PIPELINE_JOBS[2], model: { ...ablation, vision: { ...ablation.vision, imageSize: 128 } }, renderSize: 128 },
];

/** The config's world stream (mixture 45/45/10, seed 0, world v2), as pretraining packs it. */
export const slotStream = (c: SlotConfig): BatchStream => pipelineStream(c.job, c.model, c.renderSize);

/** Filled slots per batch over the first `n` batches, and the first batch (for the profile). */
async function slotCounts(c: SlotConfig, n: number): Promise<{ filled: number[]; textRows: number; first: PackedBatch }> {
  const s = slotStream(c);
  const filled: number[] = [];
  let textRows = 0;
  let first: PackedBatch | null = null;
  for (let i = 0; i < n; i++) {
    const b = await s.next();
    first ??= b;
    filled.push(b.imageCount.reduce((a, v) => a + v, 0));
    textRows += b.imageCount.filter((v) => v === 0).length;
  }
  return { filled, textRows, first: first! };
}

/** Kernel ms a step: all, tower forward, tower backward (one intra-op thread, profiled). */
async function towerShare(c: SlotConfig, batch: PackedBatch, steps: number) {
  const tower = new Set<number>(); // ids of tensors on the image side
  const fwd = new Set<string>();
  const bwd = new Set<string>();
  const inner = mm1Tower(c.model);
  const wrapped: ImageTower = (g, px) => {
    const lo = g.nodes.length;
    const out = inner(g, px);
    for (const n of g.nodes.slice(lo)) {
      fwd.add(`n${n.id}`);
      for (const o of n.outputs) tower.add(o.id);
    }
    return out;
  };
  const original = Graph.prototype.node;
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = Infinity; // a rule's nodes sit deep under autodiff.ts
  Graph.prototype.node = function (this: Graph, ...args: Parameters<Graph['node']>) {
    const out = original.apply(this, args);
    const reads = args[1].some((t) => t && (tower.has(t.id) || (t.kind === 'param' && /^(vision|connector)\./.test(t.name))));
    if (reads && (new Error().stack ?? '').includes('autodiff.ts')) {
      bwd.add(`n${this.nodes.length - 1}`);
      for (const o of out) tower.add(o.id);
    }
    return out;
  };
  const net = buildMultimodalTraining(c.model, { B: c.job.B, T: c.job.T, N: c.job.N }, wrapped);
  const dir = mkdtempSync(join(tmpdir(), 'mm1-empty-slots-'));
  let ts: TrainStep;
  try {
    ts = await TrainStep.create(net.g, net.loss, initParams(net.g, 1), {
      optimizer: { kind: 'adamw', weightDecay: 0.1 },
      trainable: freezeFilter(c.job.freeze),
      clipNorm: 1,
      profilePrefix: join(dir, 'profile'),
      threads: 1,
    });
  } finally {
    Graph.prototype.node = original;
    Error.stackTraceLimit = limit;
  }
  const feeds = batchFeeds(batch, c.model);
  const WARM_UP = 2;
  for (let i = 0; i < steps + WARM_UP; i++) await ts.run(feeds, 1e-4);
  ts.endProfiling();
  await ts.release();
  const events = JSON.parse(readFileSync(join(dir, readdirSync(dir)[0]), 'utf8')) as ProfileEvent[];
  rmSync(dir, { recursive: true });
  const runs = events.filter((e) => e.name === 'model_run').slice(WARM_UP);
  const kernels = events.filter((e) => e.ts >= runs[0].ts && e.cat === 'Node' && e.name.endsWith('_kernel_time'));
  const ms = (pick: (node: string) => boolean) =>
    kernels.filter((e) => pick(/^n\d+/.exec(e.name)?.[0] ?? '')).reduce((a, e) => a + e.dur, 0) / 1000 / runs.length;
  return {
    kernel: ms(() => true),
    forward: ms((n) => fwd.has(n)),
    backward: ms((n) => bwd.has(n)),
    run: median(runs.map((e) => e.dur / 1000)),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [batchesArg, stepsArg, ...names] = process.argv.slice(2);
  const n = Number(batchesArg ?? 50);
  const steps = Number(stepsArg ?? 3);
  for (const c of SLOT_CONFIGS.filter((x) => !names.length || names.includes(x.name))) {
    const { filled, textRows, first } = await slotCounts(c, n);
    const slots = c.job.B * c.job.N;
    const empty = 1 - filled.reduce((a, v) => a + v, 0) / (slots * n);
    const t = await towerShare(c, first, steps);
    const share = (t.forward + t.backward) / t.kernel;
    console.log(
      JSON.stringify({
        config: c.name,
        image_size: c.model.vision.imageSize,
        batches: n,
        empty_slot_share: +empty.toFixed(4),
        filled_per_batch: { min: Math.min(...filled), median: median(filled), max: Math.max(...filled), of: slots },
        text_only_rows: +(textRows / (n * c.job.B)).toFixed(4),
        kernel_ms: +t.kernel.toFixed(1),
        ort_run_ms: +t.run.toFixed(1),
        tower_forward_ms: +t.forward.toFixed(1),
        tower_backward_ms: +t.backward.toFixed(1),
        tower_share: +share.toFixed(4),
        empty_times_tower: +(empty * share).toFixed(4),
      }),
    );
  }
}
