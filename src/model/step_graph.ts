// The one inference graph generation runs: S new tokens per row (with images spliced in
// when N > 0) are embedded, their k/v written into the static cache at the given slots,
// and the logits of one chosen position per row returned. Prefill is S = padded prompt
// length; decode is S = 1; the no-cache reference is a prefill over the whole sequence.
import { Graph, type Tensor } from '../engine/graph.js';
import type { ModelConfig } from './config.js';
import { kvCacheDims, staticKvCache } from './kv_cache.js';
import { Llm } from './llm.js';
import { declareSpliceInputs, spliceEmbeddings, type ImageTower } from './multimodal.js';

export interface StepShape {
  B: number;
  /** New tokens per row in this step. */
  S: number;
  /** Image slots per row (0 = text only). */
  N: number;
  /** Cache positions (Tmax). */
  maxLen: number;
}

export interface StepGraph {
  g: Graph;
  shape: StepShape;
  /** Data inputs in feed order (tokens, [images, splice_index], positions, slots, mask, last_rows, cache_k, cache_v). */
  inputs: Tensor[];
  /** logits [B, V], new_cache_k, new_cache_v. */
  outputs: Record<string, Tensor>;
}

/**
 * Inputs: tokens/positions/slots [B, S] int64, mask [B, 1, S, Tmax] float32 (additive),
 * last_rows [B] int64 (flat index into [B*S] whose logits to return), cache_k/cache_v.
 */
export function buildStepGraph(cfg: ModelConfig, shape: StepShape, tower: ImageTower): StepGraph {
  const { B, S, N, maxLen } = shape;
  const g = new Graph(`step_b${B}_s${S}_n${N}_t${maxLen}`);
  const inp = declareSpliceInputs(g, cfg, shape.N > 0 ? { B, T: S, N } : { B, T: S, N: 0 });
  const positions = g.input('positions', [B, S], 'int64');
  const slots = g.input('slots', [B, S], 'int64');
  const mask = g.input('mask', [B, 1, S, maxLen]);
  const lastRows = g.input('last_rows', [B], 'int64');
  const cache = staticKvCache(g, kvCacheDims(cfg.llm, B, maxLen), slots);
  const llm = new Llm(g, cfg.llm);
  const x = spliceEmbeddings(g, cfg, llm, tower, inp);
  const logits = llm.forward(x, positions, mask, { rows: lastRows, kv: cache.kv });
  const { k, v } = cache.outputs();
  return { g, shape, inputs: [...g.inputs], outputs: { logits, new_cache_k: k, new_cache_v: v } };
}
