// Multi-head self-attention (optionally grouped-query, optionally rotary), and the
// additive masks for causal and packed (block-diagonal) sequences.
import type { Graph, Tensor } from '../engine/graph.js';
import * as op from '../engine/ops/index.js';
import { linear } from './linear.js';
import { applyRope } from './rope.js';

/** Keys/values of earlier tokens (a KV cache) [B, Hkv, Tp, Dh], and what each new token may see of them. */
export interface PastKv {
  k: Tensor;
  v: Tensor;
  /** Additive, broadcastable to [B, H, T, Tp]. */
  mask: Tensor | null;
}

export interface AttentionOptions {
  heads: number;
  /** Key/value heads for grouped-query attention (default: heads). */
  kvHeads?: number;
  bias?: boolean;
  /** Bias on q/k/v only, overriding `bias` there (Qwen2: q/k/v biases, no o_proj bias). */
  qkvBias?: boolean;
  /** Additive mask among the T tokens, broadcastable to [B, H, T, T] (0 keep, large negative drop), or null. */
  mask: Tensor | null;
  rope?: { cos: Tensor; sin: Tensor };
  /** Names of the projections: Llama/CLIP use q_proj/k_proj/v_proj/o_proj (CLIP: out_proj). */
  outName?: string;
  /** Cached keys/values the tokens also attend to (generation). */
  past?: PastKv;
  /** Receives the tokens' own keys/values [B, Hkv, T, Dh] after RoPE (to cache them). */
  onKv?: (k: Tensor, v: Tensor) => void;
}

const NEG = -1e9;

/** [B, T, H*Dh] -> [B, H, T, Dh] */
function splitHeads(x: Tensor, heads: number): Tensor {
  const [b, t, d] = x.shape;
  return op.transpose(op.reshape(x, [b, t, heads, d / heads]), [0, 2, 1, 3]);
}

/** x [B, T, D] -> [B, T, D]. */
export function selfAttention(g: Graph, name: string, x: Tensor, o: AttentionOptions): Tensor {
  const [b, t, d] = x.shape;
  const kvHeads = o.kvHeads ?? o.heads;
  if (d % o.heads || o.heads % kvHeads)
    throw new Error(`attention '${name}': width ${d} must divide into ${o.heads} heads, and heads into ${kvHeads} kv heads`);
  const hd = d / o.heads;
  return g.scope(name, () => {
    const qkvBias = o.qkvBias ?? o.bias;
    let q = splitHeads(linear(g, 'q_proj', x, d, { bias: qkvBias }), o.heads);
    let k = splitHeads(linear(g, 'k_proj', x, kvHeads * hd, { bias: qkvBias }), kvHeads);
    const v = splitHeads(linear(g, 'v_proj', x, kvHeads * hd, { bias: qkvBias }), kvHeads);
    if (o.rope) {
      q = applyRope(q, o.rope);
      k = applyRope(k, o.rope);
    }
    o.onKv?.(k, v);
    const ctx = attendBlocks(q, o.past ? [o.past, { k, v, mask: o.mask }] : [{ k, v, mask: o.mask }]);
    const merged = op.reshape(op.transpose(ctx, [0, 2, 1, 3]), [b, t, d]);
    return linear(g, o.outName ?? 'o_proj', merged, d, { bias: o.bias });
  });
}

/** softmax(q·kᵀ/√Dh + mask)·v for q [B, H, Tq, Dh], k/v [B, Hkv, Tk, Dh] (H a multiple of Hkv). */
export function attend(q: Tensor, k: Tensor, v: Tensor, mask: Tensor | null): Tensor {
  return attendBlocks(q, [{ k, v, mask }]);
}

/**
 * Attention over several key/value blocks [B, Hkv, Tk_i, Dh] (e.g. a KV cache and the new
 * tokens) with one softmax across all of them: q [B, H, Tq, Dh] -> [B, H, Tq, Dh].
 * Grouped-query attention folds the query heads that share a kv head into extra query rows
 * ([B, Hkv, rep·Tq, Dh]) instead of repeating k/v, so no key or value is ever copied.
 */
export function attendBlocks(q: Tensor, blocks: PastKv[]): Tensor {
  const [b, h, tq, hd] = q.shape;
  const hkv = blocks[0].k.shape[1];
  const rep = h / hkv;
  const qs = op.mul(rep === 1 ? q : op.reshape(q, [b, hkv, rep * tq, hd]), 1 / Math.sqrt(hd));
  const scores = blocks.map(({ k, mask }) => {
    const s = op.matmul(qs, op.transposeLast2(k)); // [B, Hkv, rep·Tq, Tk]
    if (!mask) return s;
    if (rep === 1) return op.add(s, mask);
    const tk = k.shape[2];
    // Heads sharing a kv head get the mask rows of their own head: view as [B, Hkv, rep, Tq, Tk].
    const m =
      mask.rank === 4
        ? op.reshape(mask, mask.shape[1] === 1 ? [mask.shape[0], 1, 1, mask.shape[2], mask.shape[3]] : [mask.shape[0], hkv, rep, mask.shape[2], mask.shape[3]])
        : mask;
    return op.reshape(op.add(op.reshape(s, [b, hkv, rep, tq, tk]), m), [b, hkv, rep * tq, tk]);
  });
  const probs = op.softmax(op.concat(scores, -1), -1);
  const parts =
    blocks.length === 1
      ? [probs]
      : op.split(
          probs,
          -1,
          blocks.map((x) => x.k.shape[2]),
        );
  const ctx = parts.map((p, i) => op.matmul(p, blocks[i].v)).reduce((a, c) => op.add(a, c));
  return rep === 1 ? ctx : op.reshape(ctx, [b, h, tq, hd]);
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
