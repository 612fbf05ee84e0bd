// Multi-head self-attention (optionally grouped-query, optionally rotary), and the
// additive masks for causal and packed (block-diagonal) sequences.
import type { Graph, Tensor } from '../engine/graph.js';
import * as op from '../engine/ops/index.js';
import { linear } from './linear.js';
import { applyRope } from './rope.js';

export interface AttentionOptions {
  heads: number;
  /** Key/value heads for grouped-query attention (default: heads). */
  kvHeads?: number;
  bias?: boolean;
  /** Bias on q/k/v only, overriding `bias` there (Qwen2: q/k/v biases, no o_proj bias). */
  qkvBias?: boolean;
  /** Additive mask broadcastable to [B, H, T, T] (0 keep, large negative drop), or null. */
  mask: Tensor | null;
  rope?: { cos: Tensor; sin: Tensor };
  /** Names of the projections: Llama/CLIP use q_proj/k_proj/v_proj/o_proj (CLIP: out_proj). */
  outName?: string;
  /**
   * Replace the keys/values attended over, after RoPE and before GQA repetition: a KV cache
   * stores the new k/v [B, Hkv, T, Dh] and returns everything cached [B, Hkv, Tk, Dh].
   */
  kv?: (k: Tensor, v: Tensor) => { k: Tensor; v: Tensor };
}

const NEG = -1e9;

/** [B, T, H*Dh] -> [B, H, T, Dh] */
export function splitHeads(x: Tensor, heads: number): Tensor {
  const [b, t, d] = x.shape;
  return op.transpose(op.reshape(x, [b, t, heads, d / heads]), [0, 2, 1, 3]);
}

/** Repeat each key/value head `rep` times: [B, Hkv, T, Dh] -> [B, Hkv*rep, T, Dh]. */
export function repeatKv(x: Tensor, rep: number): Tensor {
  if (rep === 1) return x;
  const [b, h, t, d] = x.shape;
  return op.reshape(op.expand(op.reshape(x, [b, h, 1, t, d]), [b, h, rep, t, d]), [b, h * rep, t, d]);
}

/** x [B, T, D] -> [B, T, D]. */
export function selfAttention(g: Graph, name: string, x: Tensor, o: AttentionOptions): Tensor {
  const [b, t, d] = x.shape;
  const kvHeads = o.kvHeads ?? o.heads;
  if (d % o.heads || o.heads % kvHeads) throw new Error(`attention '${name}': width ${d} must divide into ${o.heads} heads, and heads into ${kvHeads} kv heads`);
  const hd = d / o.heads;
  return g.scope(name, () => {
    const qkvBias = o.qkvBias ?? o.bias;
    let q = splitHeads(linear(g, 'q_proj', x, d, { bias: qkvBias }), o.heads);
    let k = splitHeads(linear(g, 'k_proj', x, kvHeads * hd, { bias: qkvBias }), kvHeads);
    let v = splitHeads(linear(g, 'v_proj', x, kvHeads * hd, { bias: qkvBias }), kvHeads);
    if (o.rope) {
      q = applyRope(q, o.rope);
      k = applyRope(k, o.rope);
    }
    if (o.kv) ({ k, v } = o.kv(k, v));
    k = repeatKv(k, o.heads / kvHeads);
    v = repeatKv(v, o.heads / kvHeads);
    const ctx = attend(q, k, v, o.mask);
    const merged = op.reshape(op.transpose(ctx, [0, 2, 1, 3]), [b, t, d]);
    return linear(g, o.outName ?? 'o_proj', merged, d, { bias: o.bias });
  });
}

/** softmax(q·kᵀ/√Dh + mask)·v for q [B, H, Tq, Dh], k/v [B, H, Tk, Dh]. */
export function attend(q: Tensor, k: Tensor, v: Tensor, mask: Tensor | null): Tensor {
  const hd = q.shape[q.rank - 1];
  let scores = op.matmul(op.mul(q, 1 / Math.sqrt(hd)), op.transposeLast2(k));
  if (mask) scores = op.add(scores, mask);
  return op.matmul(op.softmax(scores, -1), v);
}

/**
 * Causal, block-diagonal additive mask [B, 1, T, T] for packed sequences: position i sees
 * j ≤ i in the same document (segments [B, T] int64, equal ids = same document).
 */
export function packedCausalMask(segments: Tensor): Tensor {
  const g = segments.graph;
  const [b, t] = segments.shape;
  const same = op.equal(op.reshape(segments, [b, 1, t, 1]), op.reshape(segments, [b, 1, 1, t]));
  const tri = new Uint8Array(t * t);
  for (let i = 0; i < t; i++) for (let j = 0; j <= i; j++) tri[i * t + j] = 1;
  const causal = g.constant({ dtype: 'bool', shape: [t, t], data: tri }, 'causal');
  return op.where(op.logicalAnd(same, causal), 0, NEG);
}
