// The decoder LLM (Llama / Qwen2 / SmolLM family): token embedding, depth × [RMSNorm →
// self-attention (RoPE, optional GQA) → residual, RMSNorm → SwiGLU → residual], final
// RMSNorm, LM head (its own [D, V] matrix, or the embedding table transposed when tied).
// It consumes input *embeddings* [B, T, D], not ids, so multimodal.ts can splice image
// tokens in. Parameter names mirror HF's LlamaForCausalLM under 'llm.' (no 'model.' level),
// so hf_llama.ts is a rename plus a transpose of the Linear weights.
import { Graph, type Tensor } from '../../engine/graph.js';
import * as op from '../../engine/ops/index.js';
import { packedCausalMask, selfAttention, type PastKv } from '../../nn/attention.js';
import { linear } from '../../nn/linear.js';
import { swiglu } from '../../nn/mlp.js';
import { rmsNormLayer } from '../../nn/norm.js';
import { ropeAt, ropeTables } from '../../nn/rope.js';
import type { LlmConfig } from './config.js';

/** A KV cache as the decoder sees it (kv_cache.ts): what each layer attends to besides the new tokens, and where their k/v go. */
export interface LayerCache {
  /** Cached keys/values of layer l [B, Hkv, Tp, Dh] with their mask, or null. */
  past(layer: number): PastKv | null;
  /** Receives layer l's keys/values of the new tokens [B, Hkv, T, Dh]. */
  put(layer: number, k: Tensor, v: Tensor): void;
}

export interface DecoderOptions {
  /** 'logits' (default) or 'hidden' (the final-normed hidden states). */
  output?: 'logits' | 'hidden';
  /** Flat row indices into [B*T] to keep before the head, e.g. each sequence's last token: out [R, V]. */
  rows?: Tensor;
  /** KV cache used by generation. */
  cache?: LayerCache;
}

export function headDim(cfg: LlmConfig): number {
  if (cfg.width % cfg.heads) throw new Error(`llm: width ${cfg.width} is not divisible by heads ${cfg.heads}`);
  const hd = cfg.width / cfg.heads;
  if (hd % 2) throw new Error(`llm: head size ${hd} must be even for RoPE; change width or heads`);
  return hd;
}

export function kvHeads(cfg: LlmConfig): number {
  const kv = cfg.kvHeads ?? cfg.heads;
  if (cfg.heads % kv) throw new Error(`llm: heads ${cfg.heads} must be a multiple of kvHeads ${kv}`);
  return kv;
}

/** One graph's LLM: declare it once, then embed ids and run the decoder. */
export class Llm {
  /** Token embedding table [V, D] ('llm.embed_tokens.weight'). */
  readonly table: Tensor;

  constructor(
    readonly g: Graph,
    readonly cfg: LlmConfig,
  ) {
    headDim(cfg);
    kvHeads(cfg);
    this.table = g.scope('llm', () => g.param('embed_tokens.weight', [cfg.vocabSize, cfg.width], { kind: 'normal', std: 0.02 }));
  }

  /** ids [...] int64 -> embeddings [..., D]. */
  embed(ids: Tensor): Tensor {
    return op.gather(this.table, ids, 0);
  }

  /**
   * x [B, T, D], positions [B, T] int64 (RoPE), mask additive and broadcastable to
   * [B, H, T, Tk] -> logits [B, T, V] (or [R, V] with `rows`), or hidden states.
   */
  forward(x: Tensor, positions: Tensor, mask: Tensor | null, opts: DecoderOptions = {}): Tensor {
    const { g, cfg } = this;
    const [b, t, d] = x.shape;
    if (x.rank !== 3 || d !== cfg.width) throw new Error(`llm: input embeddings must be [B, T, ${cfg.width}], got ${x.describe()}`);
    if (positions.rank !== 2 || positions.shape[0] !== b || positions.shape[1] !== t)
      throw new Error(`llm: positions must be [${b}, ${t}] to match the embeddings, got ${positions.describe()}`);
    return g.scope('llm', () => {
      // cos/sin gathered once for all layers: [B, 1, T, Dh].
      const rope = ropeAt(ropeTables(g, cfg.maxPositions, headDim(cfg), cfg.ropeTheta), positions);
      let h = x;
      for (let l = 0; l < cfg.depth; l++)
        g.scope(`layers.${l}`, () => {
          const a = selfAttention(g, 'self_attn', rmsNormLayer(g, 'input_layernorm', h, cfg.rmsNormEps), {
            heads: cfg.heads,
            kvHeads: cfg.kvHeads,
            bias: false,
            qkvBias: cfg.qkvBias,
            mask,
            rope,
            past: opts.cache?.past(l) ?? undefined,
            onKv: opts.cache ? (k, v) => opts.cache!.put(l, k, v) : undefined,
          });
          h = op.add(h, a);
          h = op.add(h, swiglu(g, 'mlp', rmsNormLayer(g, 'post_attention_layernorm', h, cfg.rmsNormEps), cfg.mlpHidden));
        });
      let out = rmsNormLayer(g, 'norm', h, cfg.rmsNormEps);
      out = op.reshape(out, [b * t, d]);
      if (opts.rows) out = op.gather(out, opts.rows, 0);
      if (opts.output === 'hidden') return opts.rows ? out : op.reshape(out, [b, t, d]);
      const logits = cfg.tieEmbeddings ? op.matmul(out, op.transposeLast2(this.table)) : linear(g, 'lm_head', out, cfg.vocabSize, { bias: false });
      return opts.rows ? logits : op.reshape(logits, [b, t, cfg.vocabSize]);
    });
  }
}

/**
 * A text-only LM training graph on packed sequences: inputs tokens, positions, segments [B, T]
 * and targets [B*T] (int64; -100 = no loss) -> mean next-token cross-entropy. For engine tests
 * and benchmarks of the decoder alone; the MM1 model's graph is buildMultimodalTraining.
 */
export function buildLmTraining(cfg: LlmConfig, B: number, T: number, name = 'lm'): { g: Graph; loss: Tensor } {
  const g = new Graph(name);
  const tokens = g.input('tokens', [B, T], 'int64');
  const targets = g.input('targets', [B * T], 'int64');
  const segments = g.input('segments', [B, T], 'int64');
  const positions = g.input('positions', [B, T], 'int64');
  const llm = new Llm(g, cfg);
  const logits = llm.forward(llm.embed(tokens), positions, packedCausalMask(segments)); // [B, T, V]
  return { g, loss: op.crossEntropy(op.reshape(logits, [B * T, cfg.vocabSize]), targets) };
}
