// The MM1 benchmark model (recipe 'bench'): training-step throughput of the whole
// multimodal model (ViT + connector + LLM, forward + backward + AdamW in one graph) on
// batches of 8 × 256 tokens with one image at the start of each sequence, its model
// FLOP/s, and greedy decoding speed with the static KV cache vs a full re-run per token.
import { IGNORE_INDEX, type PackedBatch } from '../src/data/packed_batch.js';
import { initParams, type ParamValues } from '../src/engine/param_store.js';
import { Rng } from '../src/engine/rng.js';
import { TrainStep } from '../src/engine/train_step.js';
import type { ModelConfig } from '../src/model/build/config.js';
import { Generator } from '../src/model/infer/generate.js';
import { buildMultimodalTraining, modelTokensPerImage } from '../src/model/build/multimodal.js';
import { countGraphParams, getRecipe, recipeModel } from '../src/model/build/recipes.js';
import { median } from './engine.js';
import { measured } from './cpu_time.js';

const IMAGE_TOKEN = 3;

/** B sequences of T tokens: k image placeholders at the start, then random text with next-token targets;
 *  N image slots per row, of which the first holds the image. */
export function benchBatch(cfg: ModelConfig, B: number, T: number, rng: Rng, N = 1): PackedBatch {
  const k = modelTokensPerImage(cfg);
  const S = cfg.vision.imageSize;
  const V = cfg.llm.vocabSize;
  const b: PackedBatch = {
    B,
    T,
    N,
    tokensPerImage: k,
    tokens: new Int32Array(B * T),
    targets: new Int32Array(B * T).fill(IGNORE_INDEX),
    segments: new Int32Array(B * T).fill(1),
    positions: new Int32Array(B * T),
    imageTokenIndex: new Int32Array(B * T).fill(-1),
    images: Float32Array.from({ length: B * N * 3 * S * S }, () => rng.normal()),
    imageShape: [3, S, S],
    imageCount: new Int32Array(B).fill(1),
  };
  for (let r = 0; r < B; r++)
    for (let t = 0; t < T; t++) {
      const p = r * T + t;
      b.positions[p] = t;
      if (t < k) [b.tokens[p], b.imageTokenIndex[p]] = [IMAGE_TOKEN, r * N * k + t];
      else b.tokens[p] = 4 + rng.int(V - 4);
      if (t >= k && t + 1 < T) b.targets[p] = -1; // filled below with the next token
    }
  for (let p = 0; p < B * T; p++) if (b.targets[p] === -1) b.targets[p] = b.tokens[p + 1];
  return b;
}

/** Training FLOPs of one step: 6 per weight use (fwd 2 + bwd 4) plus attention's T² terms (fwd + bwd = 3 × 4·T²·D). */
function stepFlops(cfg: ModelConfig, params: Record<string, number>, B: number, T: number): number {
  const { vision: v, connector: c, llm } = cfg;
  const patches = (v.imageSize / v.patchSize) ** 2;
  const embed = llm.vocabSize * llm.width;
  const positionTable = patches * v.width;
  const lm = 6 * (params.llm - embed) * B * T + 12 * llm.depth * B * T * T * llm.width;
  const vit = 6 * (params.vision - positionTable) * B * patches + 12 * v.depth * B * patches * patches * v.width;
  const conn = 6 * params.connector * B * c.tokens;
  return lm + vit + conn;
}

/** The bench recipe's training step, built and ready: `time(n)` runs n steps on one fixed batch and returns each one's wall and CPU ms. */
export interface BenchTrainStep {
  cfg: ModelConfig;
  params: ParamValues;
  counts: Record<string, number>;
  /** Model FLOPs of one step (stepFlops). */
  flops: number;
  /** Tokens per step, B × T. */
  tokens: number;
  /** Wall and process-CPU ms of each of `steps` steps. */
  time(steps: number): Promise<{ wall: number[]; cpu: number[] }>;
  release(): Promise<void>;
}

/** The bench recipe's step (AdamW, clipping, images), on `threads` ONNX Runtime threads (default ortThreads()). */
export async function benchTrainStep(opts: { threads?: number } = {}): Promise<BenchTrainStep> {
  const cfg = recipeModel('bench');
  const t = getRecipe('bench').train;
  const B = t.batchSize,
    T = t.seqLen;
  const m = buildMultimodalTraining(cfg, { B, T, N: t.maxImages });
  const params = initParams(m.g, 1);
  const ts = await TrainStep.create(m.g, m.loss, params, {
    optimizer: { kind: 'adamw', weightDecay: t.weightDecay },
    clipNorm: t.clipNorm,
    threads: opts.threads,
  });
  const feeds = m.feeds(benchBatch(cfg, B, T, new Rng(2)));
  const counts = countGraphParams(m.g);
  const time = async (steps: number) => {
    const wall: number[] = [];
    const cpu: number[] = [];
    for (let i = 0; i < steps; i++) {
      const { wallMs, cpuMs } = await measured(() => ts.run(feeds, 1e-4));
      wall.push(wallMs);
      cpu.push(cpuMs);
    }
    return { wall, cpu };
  };
  return { cfg, params, counts, flops: stepFlops(cfg, counts, B, T), tokens: B * T, time, release: () => ts.release() };
}

async function trainBench(steps: number) {
  const s = await benchTrainStep();
  await s.time(2);
  const ms = (await s.time(steps)).wall;
  await s.release();
  return { ...s, step: median(ms), best: Math.min(...ms) };
}

async function decodeBench(cfg: ModelConfig, params: ParamValues, newTokens: number, batch: number) {
  const gen = new Generator(cfg, params, { imageToken: IMAGE_TOKEN, maxLen: 128 });
  const rng = new Rng(3);
  const k = modelTokensPerImage(cfg);
  const S = cfg.vision.imageSize;
  const prompts = Array.from({ length: batch }, () => ({
    tokens: [1, ...new Array(k).fill(IMAGE_TOKEN), ...Array.from({ length: 15 }, () => 4 + rng.int(100))],
    images: [Float32Array.from({ length: 3 * S * S }, () => rng.normal())],
  }));
  const rate = async (useCache: boolean) => {
    const out = await gen.generate(prompts, { maxNewTokens: newTokens, useCache }); // compiles the graphs
    const seconds: number[] = [];
    for (let i = 0; i < 3; i++) {
      const t0 = performance.now();
      await gen.generate(prompts, { maxNewTokens: newTokens, useCache });
      seconds.push((performance.now() - t0) / 1000);
    }
    return { tokensPerS: (batch * newTokens) / median(seconds), tokens: out.map((o) => o.tokens) };
  };
  const cached = await rate(true);
  const full = await rate(false);
  await gen.release();
  const same = JSON.stringify(cached.tokens) === JSON.stringify(full.tokens);
  return {
    batch,
    new_tokens: newTokens,
    kv_cache_tokens_per_s: Math.round(cached.tokensPerS),
    no_cache_tokens_per_s: Math.round(full.tokensPerS),
    speedup: +(cached.tokensPerS / full.tokensPerS).toFixed(2),
    same_tokens: same,
  };
}

export async function benchModel(): Promise<object> {
  const tr = await trainBench(8);
  const round = (x: number, d = 1) => +x.toFixed(d);
  return {
    recipe: 'bench',
    params: tr.counts,
    train_step_ms: round(tr.step),
    train_step_ms_best: round(tr.best),
    train_steps_timed: 8,
    train_tokens_per_s: Math.round(tr.tokens / (tr.step / 1000)),
    model_gflop_per_step: round(tr.flops / 1e9, 2),
    model_gflops: round(tr.flops / (tr.step / 1000) / 1e9),
    greedy_decode: [await decodeBench(tr.cfg, tr.params, 64, 1), await decodeBench(tr.cfg, tr.params, 64, 8)],
  };
}
