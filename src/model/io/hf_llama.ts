// Hugging Face Llama / Qwen2 / SmolLM checkpoints <-> the mm1 LLM. mm1 names are HF's
// under 'llm.' without the 'model.' level; Linear weights are stored [in, out] in mm1 and
// [out, in] in HF, so they are transposed once here. Pure functions over tensor maps:
// reading and writing .safetensors files is engine/safetensors.ts's job.
import { formatIssues } from '../../schema/format_issues.js';
import { z } from 'zod';
import { sameShape, shapeString, type HostTensor } from '../../engine/host_tensor.js';
import type { ParamValues } from '../../engine/param_store.js';
import { LlmConfigSchema, type LlmConfig } from '../build/config.js';
import { headDim, kvHeads } from '../build/llm.js';

const HfLlamaConfig = z.looseObject({
  model_type: z.string().optional(),
  hidden_size: z.number().int().positive(),
  intermediate_size: z.number().int().positive(),
  num_hidden_layers: z.number().int().positive(),
  num_attention_heads: z.number().int().positive(),
  num_key_value_heads: z.number().int().positive().optional(),
  vocab_size: z.number().int().positive(),
  rms_norm_eps: z.number().positive().default(1e-6),
  rope_theta: z.number().positive().default(10000),
  max_position_embeddings: z.number().int().positive().default(2048),
  tie_word_embeddings: z.boolean().default(false),
  hidden_act: z.string().default('silu'),
  attention_bias: z.boolean().default(false),
  mlp_bias: z.boolean().default(false),
  use_sliding_window: z.boolean().default(false),
  rope_scaling: z.unknown().optional(),
  head_dim: z.number().int().positive().optional(),
});

/** rope_scaling values that leave RoPE unchanged: absent, null, the 'default' type, or linear/dynamic with factor 1. */
function ropeScalingIsNone(v: unknown): boolean {
  if (v === undefined || v === null) return true;
  if (typeof v !== 'object') return false;
  const r = v as { type?: unknown; rope_type?: unknown; factor?: unknown };
  const kind = r.rope_type ?? r.type;
  return kind === 'default' || ((kind === 'linear' || kind === 'dynamic') && r.factor === 1);
}

/** config.json of a LlamaForCausalLM / Qwen2ForCausalLM -> LlmConfig (refusing what mm1 cannot run). */
export function llmConfigFromHf(json: unknown, source = 'config.json'): LlmConfig {
  const r = HfLlamaConfig.safeParse(json);
  if (!r.success) throw new Error(`${source}: not a Llama/Qwen2 config:\n${formatIssues(r.error.issues)}`);
  const c = r.data;
  const unsupported = (what: string) => new Error(`${source}: ${what} is not supported by the mm1 LLM`);
  if (c.hidden_act !== 'silu') throw unsupported(`hidden_act '${c.hidden_act}' (only 'silu')`);
  if (!ropeScalingIsNone(c.rope_scaling))
    throw unsupported(
      `rope_scaling ${JSON.stringify(c.rope_scaling)} (only null or {"rope_type": "default"}, which change nothing; long-context RoPE variants are not implemented)`,
    );
  if (c.attention_bias) throw unsupported('attention_bias (o_proj bias)');
  if (c.mlp_bias) throw unsupported('mlp_bias');
  if (c.use_sliding_window) throw unsupported('use_sliding_window');
  if (c.head_dim !== undefined && c.head_dim !== c.hidden_size / c.num_attention_heads)
    throw unsupported(`head_dim ${c.head_dim} ≠ hidden_size / num_attention_heads`);
  return LlmConfigSchema.parse({
    vocabSize: c.vocab_size,
    width: c.hidden_size,
    depth: c.num_hidden_layers,
    heads: c.num_attention_heads,
    kvHeads: c.num_key_value_heads,
    mlpHidden: c.intermediate_size,
    maxPositions: c.max_position_embeddings,
    ropeTheta: c.rope_theta,
    rmsNormEps: c.rms_norm_eps,
    tieEmbeddings: c.tie_word_embeddings,
    qkvBias: c.model_type === 'qwen2',
  });
}

/** LlmConfig -> config.json fields (Qwen2 when the model has q/k/v biases, else Llama). */
export function llmConfigToHf(cfg: LlmConfig): Record<string, unknown> {
  const qwen = cfg.qkvBias;
  return {
    architectures: [qwen ? 'Qwen2ForCausalLM' : 'LlamaForCausalLM'],
    model_type: qwen ? 'qwen2' : 'llama',
    hidden_size: cfg.width,
    intermediate_size: cfg.mlpHidden,
    num_hidden_layers: cfg.depth,
    num_attention_heads: cfg.heads,
    num_key_value_heads: kvHeads(cfg),
    vocab_size: cfg.vocabSize,
    rms_norm_eps: cfg.rmsNormEps,
    rope_theta: cfg.ropeTheta,
    max_position_embeddings: cfg.maxPositions,
    tie_word_embeddings: cfg.tieEmbeddings,
    hidden_act: 'silu',
    torch_dtype: 'float32',
  };
}

interface Entry {
  hf: string;
  mm1: string;
  /** Shape in the HF file. */
  shape: number[];
  /** [out, in] in HF, [in, out] in mm1. */
  transpose: boolean;
}

/** Every LLM tensor: HF name, mm1 name, HF shape, whether it is a transposed Linear weight. */
export function hfLlamaEntries(cfg: LlmConfig): Entry[] {
  const d = cfg.width;
  const kv = kvHeads(cfg) * headDim(cfg);
  const e: Entry[] = [{ hf: 'model.embed_tokens.weight', mm1: 'llm.embed_tokens.weight', shape: [cfg.vocabSize, d], transpose: false }];
  const lin = (hf: string, out: number, inp: number) => e.push({ hf: `model.${hf}.weight`, mm1: `llm.${hf}.weight`, shape: [out, inp], transpose: true });
  const vec = (hf: string, n: number) => e.push({ hf: `model.${hf}`, mm1: `llm.${hf}`, shape: [n], transpose: false });
  for (let i = 0; i < cfg.depth; i++) {
    const l = `layers.${i}`;
    lin(`${l}.self_attn.q_proj`, d, d);
    lin(`${l}.self_attn.k_proj`, kv, d);
    lin(`${l}.self_attn.v_proj`, kv, d);
    if (cfg.qkvBias) {
      vec(`${l}.self_attn.q_proj.bias`, d);
      vec(`${l}.self_attn.k_proj.bias`, kv);
      vec(`${l}.self_attn.v_proj.bias`, kv);
    }
    lin(`${l}.self_attn.o_proj`, d, d);
    lin(`${l}.mlp.gate_proj`, cfg.mlpHidden, d);
    lin(`${l}.mlp.up_proj`, cfg.mlpHidden, d);
    lin(`${l}.mlp.down_proj`, d, cfg.mlpHidden);
    vec(`${l}.input_layernorm.weight`, d);
    vec(`${l}.post_attention_layernorm.weight`, d);
  }
  vec('norm.weight', d);
  if (!cfg.tieEmbeddings) e.push({ hf: 'lm_head.weight', mm1: 'llm.lm_head.weight', shape: [cfg.vocabSize, d], transpose: true });
  return e;
}

/** [r, c] -> [c, r], as float32. */
function transpose2d(t: HostTensor): HostTensor {
  const [r, c] = t.shape;
  const out = new Float32Array(r * c);
  const src = t.data as Float32Array;
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = src[i * c + j];
  return { dtype: 'float32', shape: [c, r], data: out };
}

/** Tensors that loaders may find in HF files and that carry nothing to import. */
const IGNORABLE = /rotary_emb\.inv_freq$/;

/** HF tensors -> mm1 parameter values under 'llm.'. Every problem is reported at once, by name. */
export function importHfLlm(hf: Map<string, HostTensor>, cfg: LlmConfig, source = 'HF checkpoint'): ParamValues {
  const out: ParamValues = new Map();
  const problems: string[] = [];
  const entries = hfLlamaEntries(cfg);
  for (const e of entries) {
    const t = hf.get(e.hf);
    if (!t) problems.push(`missing '${e.hf}' (expected ${shapeString(e.shape)})`);
    else if (!sameShape(t.shape, e.shape)) problems.push(`'${e.hf}': expected ${shapeString(e.shape)}, found ${shapeString(t.shape)}`);
    else if (t.dtype !== 'float32') problems.push(`'${e.hf}': expected float32 (safetensors F32/F16/BF16), found ${t.dtype}`);
    else out.set(e.mm1, e.transpose ? transpose2d(t) : { dtype: 'float32', shape: [...t.shape], data: Float32Array.from(t.data as Float32Array) });
  }
  const known = new Set(entries.map((e) => e.hf));
  // A tied checkpoint may still store lm_head.weight (a copy of the embedding): nothing to import.
  if (cfg.tieEmbeddings) known.add('lm_head.weight');
  const extra = [...hf.keys()].filter((k) => !known.has(k) && !IGNORABLE.test(k));
  if (extra.length) {
    const hint =
      extra.some((k) => /_proj\.bias$/.test(k)) && !cfg.qkvBias
        ? ' (q/k/v biases: a Qwen2 checkpoint needs qkvBias: true)'
        : extra.includes('lm_head.weight')
          ? ' (set tieEmbeddings: false to use lm_head.weight)'
          : '';
    problems.push(
      `unexpected tensors${hint}: ${extra
        .slice(0, 8)
        .map((k) => `'${k}'`)
        .join(', ')}${extra.length > 8 ? ` and ${extra.length - 8} more` : ''}`,
    );
  }
  if (problems.length)
    throw new Error(`${source} does not match the LLM config (width ${cfg.width}, depth ${cfg.depth}, vocab ${cfg.vocabSize}):\n  ${problems.join('\n  ')}`);
  return out;
}

/** mm1 'llm.' parameters -> HF-named tensors ([out, in] Linear weights). */
export function exportHfLlm(params: ParamValues, cfg: LlmConfig): Map<string, HostTensor> {
  const out = new Map<string, HostTensor>();
  for (const e of hfLlamaEntries(cfg)) {
    const t = params.get(e.mm1);
    const want = e.transpose ? [e.shape[1], e.shape[0]] : e.shape;
    if (!t) throw new Error(`exportHfLlm: no parameter '${e.mm1}' (expected ${shapeString(want)})`);
    if (!sameShape(t.shape, want)) throw new Error(`exportHfLlm: '${e.mm1}': expected ${shapeString(want)}, found ${shapeString(t.shape)}`);
    out.set(e.hf, e.transpose ? transpose2d(t) : { dtype: 'float32', shape: [...t.shape], data: Float32Array.from(t.data as Float32Array) });
  }
  return out;
}
