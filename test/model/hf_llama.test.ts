// HF Llama / Qwen2 import: the mm1 forward of imported random weights matches an
// independent float64 reference written from the HF modelling code's definitions (weights
// in HF's [out, in] layout, rotate_half RoPE, GQA by head index, causal softmax).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Graph } from '../../src/engine/graph.js';
import type { HostTensor } from '../../src/engine/host_tensor.js';
import { Rng } from '../../src/engine/rng.js';
import { CompiledGraph } from '../../src/engine/session.js';
import { packedCausalMask } from '../../src/nn/attention.js';
import type { LlmConfig } from '../../src/model/build/config.js';
import { Llm } from '../../src/model/build/llm.js';
import { exportHfLlm, importHfLlm, llmConfigFromHf, llmConfigToHf } from '../../src/model/io/hf_llama.js';

interface Hf {
  vocab_size: number;
  hidden_size: number;
  intermediate_size: number;
  num_hidden_layers: number;
  num_attention_heads: number;
  num_key_value_heads: number;
  rms_norm_eps: number;
  rope_theta: number;
  tie_word_embeddings: boolean;
  model_type: string;
}

const llama: Hf = {
  model_type: 'llama',
  vocab_size: 20,
  hidden_size: 16,
  intermediate_size: 24,
  num_hidden_layers: 2,
  num_attention_heads: 4,
  num_key_value_heads: 4,
  rms_norm_eps: 1e-5,
  rope_theta: 10000,
  tie_word_embeddings: false,
};
const qwen2: Hf = {
  model_type: 'qwen2',
  vocab_size: 20,
  hidden_size: 16,
  intermediate_size: 24,
  num_hidden_layers: 2,
  num_attention_heads: 4,
  num_key_value_heads: 2,
  rms_norm_eps: 1e-6,
  rope_theta: 1e6,
  tie_word_embeddings: true,
};

/** Random HF-named tensors, names written out by hand from the HF modelling code. */
function randomHf(c: Hf, seed: number): Map<string, HostTensor> {
  const rng = new Rng(seed);
  const m = new Map<string, HostTensor>();
  const put = (name: string, shape: number[], base = 0) =>
    m.set(name, { dtype: 'float32', shape, data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => base + 0.3 * rng.normal()) });
  const d = c.hidden_size,
    kv = (c.num_key_value_heads * d) / c.num_attention_heads,
    f = c.intermediate_size;
  put('model.embed_tokens.weight', [c.vocab_size, d]);
  for (let i = 0; i < c.num_hidden_layers; i++) {
    const p = `model.layers.${i}.`;
    put(p + 'self_attn.q_proj.weight', [d, d]);
    put(p + 'self_attn.k_proj.weight', [kv, d]);
    put(p + 'self_attn.v_proj.weight', [kv, d]);
    put(p + 'self_attn.o_proj.weight', [d, d]);
    if (c.model_type === 'qwen2')
      for (const [n, s] of [
        ['q', d],
        ['k', kv],
        ['v', kv],
      ] as const)
        put(p + `self_attn.${n}_proj.bias`, [s]);
    put(p + 'mlp.gate_proj.weight', [f, d]);
    put(p + 'mlp.up_proj.weight', [f, d]);
    put(p + 'mlp.down_proj.weight', [d, f]);
    put(p + 'input_layernorm.weight', [d], 1);
    put(p + 'post_attention_layernorm.weight', [d], 1);
  }
  put('model.norm.weight', [d], 1);
  if (!c.tie_word_embeddings) put('lm_head.weight', [c.vocab_size, d]);
  return m;
}

/** y[o] = Σ_i W[o, i]·x[i] (+ b[o]) with W in HF's [out, in] layout, in float64. */
function lin(m: Map<string, HostTensor>, name: string, x: Float64Array): Float64Array {
  const w = m.get(name + '.weight')!,
    b = m.get(name + '.bias');
  const [out, inp] = w.shape;
  return Float64Array.from({ length: out }, (_, o) => {
    let s = b ? (b.data[o] as number) : 0;
    for (let i = 0; i < inp; i++) s += (w.data[o * inp + i] as number) * x[i];
    return s;
  });
}

function rms(x: Float64Array, w: HostTensor, eps: number): Float64Array {
  const ms = x.reduce((s, v) => s + v * v, 0) / x.length;
  return x.map((v, i) => (v / Math.sqrt(ms + eps)) * (w.data[i] as number));
}

/** HF LlamaForCausalLM forward for one sequence: logits [T][V]. */
function reference(m: Map<string, HostTensor>, c: Hf, ids: number[]): Float64Array[] {
  const d = c.hidden_size,
    H = c.num_attention_heads,
    hd = d / H,
    rep = H / c.num_key_value_heads;
  const emb = m.get('model.embed_tokens.weight')!;
  let xs = ids.map((t) => Float64Array.from({ length: d }, (_, j) => emb.data[t * d + j] as number));
  const rope = (v: Float64Array, pos: number) => {
    const out = new Float64Array(v.length);
    for (let h = 0; h < v.length / hd; h++)
      for (let i = 0; i < hd; i++) {
        const f = pos / c.rope_theta ** ((2 * (i % (hd / 2))) / hd);
        const rotated = i < hd / 2 ? -v[h * hd + i + hd / 2] : v[h * hd + i - hd / 2];
        out[h * hd + i] = v[h * hd + i] * Math.cos(f) + rotated * Math.sin(f);
      }
    return out;
  };
  for (let l = 0; l < c.num_hidden_layers; l++) {
    const p = `model.layers.${l}.`;
    const h = xs.map((x) => rms(x, m.get(p + 'input_layernorm.weight')!, c.rms_norm_eps));
    const q = h.map((x, t) => rope(lin(m, p + 'self_attn.q_proj', x), t));
    const k = h.map((x, t) => rope(lin(m, p + 'self_attn.k_proj', x), t));
    const v = h.map((x) => lin(m, p + 'self_attn.v_proj', x));
    const ctx = xs.map(() => new Float64Array(d));
    for (let t = 0; t < xs.length; t++)
      for (let head = 0; head < H; head++) {
        const kvh = Math.floor(head / rep);
        const s = Array.from({ length: t + 1 }, (_, j) => {
          let dot = 0;
          for (let i = 0; i < hd; i++) dot += q[t][head * hd + i] * k[j][kvh * hd + i];
          return dot / Math.sqrt(hd);
        });
        const mx = Math.max(...s),
          e = s.map((z) => Math.exp(z - mx)),
          z = e.reduce((a, b) => a + b, 0);
        for (let j = 0; j <= t; j++) for (let i = 0; i < hd; i++) ctx[t][head * hd + i] += (e[j] / z) * v[j][kvh * hd + i];
      }
    xs = xs.map((x, t) => x.map((xv, i) => xv + lin(m, p + 'self_attn.o_proj', ctx[t])[i]));
    xs = xs.map((x) => {
      const n = rms(x, m.get(p + 'post_attention_layernorm.weight')!, c.rms_norm_eps);
      const g = lin(m, p + 'mlp.gate_proj', n),
        u = lin(m, p + 'mlp.up_proj', n);
      const down = lin(
        m,
        p + 'mlp.down_proj',
        g.map((gv, i) => (gv / (1 + Math.exp(-gv))) * u[i]),
      );
      return x.map((xv, i) => xv + down[i]);
    });
  }
  const head = c.tie_word_embeddings ? 'model.embed_tokens' : 'lm_head';
  return xs.map((x) => lin(m, head, rms(x, m.get('model.norm.weight')!, c.rms_norm_eps)));
}

async function mm1Logits(cfg: LlmConfig, params: Map<string, HostTensor>, ids: number[]): Promise<Float32Array> {
  const T = ids.length;
  const g = new Graph('hf_check');
  const tokens = g.input('tokens', [1, T], 'int64'),
    positions = g.input('positions', [1, T], 'int64'),
    segments = g.input('segments', [1, T], 'int64');
  const llm = new Llm(g, cfg);
  const logits = llm.forward(llm.embed(tokens), positions, packedCausalMask(segments));
  const c = await CompiledGraph.create(g, [...g.inputs, ...g.params], { logits }, { threads: 1 });
  const i64 = (f: (i: number) => number): HostTensor => ({ dtype: 'int64', shape: [1, T], data: BigInt64Array.from({ length: T }, (_, i) => BigInt(f(i))) });
  const out = await c.run({ tokens: i64((i) => ids[i]), positions: i64((i) => i), segments: i64(() => 1), ...Object.fromEntries(params) });
  await c.release();
  return out.logits.data as Float32Array;
}

for (const [label, c] of [
  ['Llama (MHA, untied head)', llama],
  ['Qwen2 (GQA, q/k/v biases, tied head)', qwen2],
] as const)
  test(`HF ${label}: imported forward matches a float64 reference to 1e-4`, async () => {
    const cfg = llmConfigFromHf({ ...c, architectures: ['X'], hidden_act: 'silu', max_position_embeddings: 64 });
    assert.equal(cfg.qkvBias, c.model_type === 'qwen2');
    const hf = randomHf(c, 11);
    const ids = [3, 17, 0, 9, 9, 4, 12, 19];
    const got = await mm1Logits(cfg, importHfLlm(hf, cfg), ids);
    const want = reference(hf, c, ids);
    let worst = 0;
    want.forEach((row, t) => row.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - got[t * c.vocab_size + j]) / Math.max(1, Math.abs(v))))));
    assert.ok(worst < 1e-4, `largest difference ${worst}`);
    assert.ok(Math.max(...want.flatMap((r) => [...r].map(Math.abs))) > 1, 'the logits should not be trivially small');
  });

test('export -> import is the identity (both ways), and config.json round-trips', () => {
  for (const c of [llama, qwen2]) {
    const cfg = llmConfigFromHf(c);
    const hf = randomHf(c, 2);
    const params = importHfLlm(hf, cfg);
    assert.deepEqual(exportHfLlm(params, cfg), hf);
    assert.deepEqual(importHfLlm(exportHfLlm(params, cfg), cfg), params);
    assert.deepEqual(llmConfigFromHf(llmConfigToHf(cfg)), cfg);
  }
});

test('missing, misshaped and unexpected tensors are refused by name with expected vs found shapes', () => {
  const cfg = llmConfigFromHf(llama);
  const hf = randomHf(llama, 3);
  hf.delete('model.layers.1.mlp.up_proj.weight');
  hf.set('model.layers.0.self_attn.k_proj.weight', { dtype: 'float32', shape: [8, 16], data: new Float32Array(128) });
  hf.set('model.layers.0.self_attn.q_proj.bias', { dtype: 'float32', shape: [16], data: new Float32Array(16) });
  assert.throws(
    () => importHfLlm(hf, cfg, 'tiny.safetensors'),
    (e: Error) => {
      assert.match(e.message, /tiny\.safetensors does not match/);
      assert.match(e.message, /missing 'model\.layers\.1\.mlp\.up_proj\.weight' \(expected \[24, 16\]\)/);
      assert.match(e.message, /'model\.layers\.0\.self_attn\.k_proj\.weight': expected \[16, 16\], found \[8, 16\]/);
      assert.match(e.message, /unexpected tensors \(q\/k\/v biases: a Qwen2 checkpoint needs qkvBias: true\): 'model\.layers\.0\.self_attn\.q_proj\.bias'/);
      return true;
    },
  );
  assert.throws(() => llmConfigFromHf({ ...llama, rope_scaling: { type: 'llama3' } }), /rope_scaling .* is not supported/);
});

test('config.json of SmolLM (tied Llama) and Qwen2 map onto LlmConfig; unsupported variants are named', () => {
  const smol = {
    architectures: ['LlamaForCausalLM'],
    model_type: 'llama',
    hidden_size: 576,
    intermediate_size: 1536,
    num_hidden_layers: 30,
    num_attention_heads: 9,
    num_key_value_heads: 3,
    vocab_size: 49152,
    rms_norm_eps: 1e-5,
    rope_theta: 10000,
    max_position_embeddings: 2048,
    tie_word_embeddings: true,
    rope_scaling: null,
    hidden_act: 'silu',
  };
  const c = llmConfigFromHf(smol);
  assert.deepEqual([c.width, c.depth, c.heads, c.kvHeads, c.mlpHidden, c.vocabSize, c.tieEmbeddings, c.qkvBias], [576, 30, 9, 3, 1536, 49152, true, false]);
  assert.throws(() => llmConfigFromHf({ ...smol, use_sliding_window: true }), /config\.json: use_sliding_window is not supported/);
  assert.throws(() => llmConfigFromHf({ ...smol, hidden_size: undefined }), /config\.json: not a Llama\/Qwen2 config:\n {2}hidden_size/);
});
