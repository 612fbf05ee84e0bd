// The one inference graph generation runs: S new tokens per row (with images spliced in
// when N > 0) are embedded and decoded, attending to each other and, with `past`, to the
// KV cache; it returns the logits of one chosen position per row and the new tokens' k/v.
// Prefill is S = padded prompt length without past; decode is S = 1 with past; the
// no-cache reference is a prefill over the whole sequence.
import { Graph, type Tensor } from '../../engine/graph.js';
import type { ModelConfig } from '../build/config.js';
import { kvCacheDims, stepCache } from './kv_cache.js';
import { Llm } from '../build/llm.js';
import { declareSpliceInputs, spliceEmbeddings, type ImageTower } from '../build/multimodal.js';

export interface StepShape {
  B: number;
  /** New tokens per row in this step. */
  S: number;
  /** Image slots per row (0 = text only). */
  N: number;
  /** Cache positions (Tmax). */
  maxLen: number;
  /** Whether the step attends to the cache (decode) or only to its own tokens (prefill). */
  past: boolean;
  /** Positions whose logits are returned (default B: one per row; B*S scores every position). */
  rows?: number;
}

export interface StepGraph {
  g: Graph;
  shape: StepShape;
  /** Data inputs in declaration order. */
  inputs: Tensor[];
  /** logits [rows, V]; new_k, new_v [L, B, Hkv, S, Dh]. */
  outputs: Record<string, Tensor>;
}

/**
 * Inputs: tokens/positions [B, S] int64, mask [B, 1, S, S] (additive, among the new tokens),
 * rows [B] int64 (flat indices into [B*S] whose logits to return); with images, images and
 * splice_index; with past, past_mask [B, 1, S, Tmax] and cache_k.{l}/cache_v.{l}.
 */
export function buildStepGraph(cfg: ModelConfig, shape: StepShape, tower: ImageTower): StepGraph {
  const { B, S, N, maxLen } = shape;
  const g = new Graph(`step_b${B}_s${S}_n${N}_t${maxLen}${shape.past ? '_past' : ''}`);
  const inp = declareSpliceInputs(g, cfg, { B, T: S, N });
  const positions = g.input('positions', [B, S], 'int64');
  const mask = g.input('mask', [B, 1, S, S]);
  const rows = g.input('rows', [shape.rows ?? B], 'int64');
  const kv = stepCache(g, kvCacheDims(cfg.llm, B, maxLen), S, shape.past);
  const llm = new Llm(g, cfg.llm);
  const x = spliceEmbeddings(g, cfg, llm, tower, inp);
  const logits = llm.forward(x, positions, mask, { rows, cache: kv.cache });
  const { k, v } = kv.outputs();
  return { g, shape, inputs: [...g.inputs], outputs: { logits, new_k: k, new_v: v } };
}
