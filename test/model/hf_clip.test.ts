// HF CLIPVisionModel and SiglipVisionModel import/export: an imported tiny random CLIP or
// SigLIP tower must compute what an independent float64 reference of HF's forward (plain loops
// below, written from modeling_clip.py / modeling_siglip.py, reading HF's tensor names) computes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Graph } from '../../src/engine/graph.js';
import { CompiledGraph } from '../../src/engine/session.js';
import { Rng } from '../../src/engine/rng.js';
import type { HostTensor } from '../../src/engine/host_tensor.js';
import type { VisionConfig } from '../../src/model/build/config.js';
import { exportClipVision, importClipVision, visionConfigFromHf, visionConfigToHf } from '../../src/model/io/hf_clip.js';
import { patchGrid, positionRows, visionEncoder } from '../../src/model/build/vit.js';

const hfJson = (act: string, modelType?: string) => ({
  ...(modelType ? { model_type: modelType } : {}),
  hidden_size: 16,
  intermediate_size: 32,
  num_hidden_layers: 2,
  num_attention_heads: 2,
  image_size: 16,
  patch_size: 4,
  hidden_act: act,
  layer_norm_eps: 1e-5,
});

/** A random HF-layout CLIPVisionModel / SiglipVisionModel state dict for cfg (plus a text-tower tensor and SigLIP's head, to be ignored). */
function randomClip(cfg: VisionConfig, seed: number): Map<string, HostTensor> {
  const rng = new Rng(seed);
  const m = new Map<string, HostTensor>();
  const put = (name: string, shape: number[], mean = 0, std = 0.2) =>
    m.set(`vision_model.${name}`, {
      dtype: 'float32',
      shape,
      data: Float32Array.from({ length: shape.reduce((p, d) => p * d, 1) }, () => mean + std * rng.normal()),
    });
  const [c, f, p] = [cfg.width, cfg.mlpHidden, cfg.patchSize];
  const ln = (n: string) => (put(`${n}.weight`, [c], 1, 0.1), put(`${n}.bias`, [c], 0, 0.1));
  put('embeddings.patch_embedding.weight', [c, 3, p, p], 0, 0.1);
  if (cfg.patchBias) put('embeddings.patch_embedding.bias', [c], 0, 0.1);
  if (cfg.classToken) put('embeddings.class_embedding', [c]);
  put('embeddings.position_embedding.weight', [positionRows(cfg, patchGrid(cfg)), c]);
  if (cfg.preNorm) ln('pre_layrnorm');
  for (let i = 0; i < cfg.depth; i++) {
    const l = `encoder.layers.${i}`;
    for (const q of ['q_proj', 'k_proj', 'v_proj', 'out_proj']) {
      put(`${l}.self_attn.${q}.weight`, [c, c]);
      put(`${l}.self_attn.${q}.bias`, [c], 0, 0.1);
    }
    ln(`${l}.layer_norm1`);
    ln(`${l}.layer_norm2`);
    put(`${l}.mlp.fc1.weight`, [f, c]);
    put(`${l}.mlp.fc1.bias`, [f], 0, 0.1);
    put(`${l}.mlp.fc2.weight`, [c, f]);
    put(`${l}.mlp.fc2.bias`, [c], 0, 0.1);
  }
  ln('post_layernorm');
  if (!cfg.classToken) {
    // SigLIP's attention-pooling head, as SiglipVisionModel saves it (torch.nn.MultiheadAttention's packed in_proj).
    put('head.probe', [1, 1, c]);
    put('head.attention.in_proj_weight', [3 * c, c]);
    put('head.attention.in_proj_bias', [3 * c]);
    put('head.attention.out_proj.weight', [c, c]);
    put('head.attention.out_proj.bias', [c]);
    ln('head.layernorm');
    put('head.mlp.fc1.weight', [f, c]);
    put('head.mlp.fc1.bias', [f]);
    put('head.mlp.fc2.weight', [c, f]);
    put('head.mlp.fc2.bias', [c]);
  }
  m.set('text_model.embeddings.token_embedding.weight', { dtype: 'float32', shape: [4, 2], data: new Float32Array(8) });
  m.set('vision_model.embeddings.position_ids', { dtype: 'int64', shape: [1, 17], data: new BigInt64Array(17) });
  return m;
}

// ---- float64 reference of HF CLIPVisionModel, written from the HF code with plain loops ----
type Mat = number[][]; // [tokens][channels]
const ACT: Record<string, (x: number) => number> = {
  quick_gelu: (x) => x / (1 + Math.exp(-1.702 * x)),
  gelu: (x) => 0.5 * x * (1 + erf(x / Math.SQRT2)),
  gelu_tanh: (x) => 0.5 * x * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (x + 0.044715 * x ** 3))), // gelu_pytorch_tanh
};
function erf(x: number): number {
  // Abramowitz–Stegun 7.1.26 is too coarse for 1e-4; integrate exp(-t²) with Simpson's rule instead.
  const n = 2000,
    h = x / n;
  let s = 1 + Math.exp(-x * x);
  for (let i = 1; i < n; i++) s += (i % 2 ? 4 : 2) * Math.exp(-((i * h) ** 2));
  return ((2 / Math.sqrt(Math.PI)) * s * h) / 3;
}
function referenceForward(w: Map<string, HostTensor>, cfg: VisionConfig, pixels: Float32Array, image: number): Mat {
  const W = (n: string) => w.get(`vision_model.${n}`)!.data as Float32Array;
  const [c, p, s, grid] = [cfg.width, cfg.patchSize, cfg.imageSize, cfg.imageSize / cfg.patchSize];
  const layerNorm = (x: Mat, n: string) =>
    x.map((row) => {
      const mean = row.reduce((a, v) => a + v, 0) / c;
      const vr = row.reduce((a, v) => a + (v - mean) ** 2, 0) / c;
      return row.map((v, j) => ((v - mean) / Math.sqrt(vr + cfg.layerNormEps)) * W(`${n}.weight`)[j] + W(`${n}.bias`)[j]);
    });
  const dense = (x: Mat, n: string, out: number) =>
    x.map((row) => Array.from({ length: out }, (_, o) => row.reduce((a, v, i) => a + v * W(`${n}.weight`)[o * row.length + i], W(`${n}.bias`)[o])));
  const px = (ch: number, y: number, x: number) => pixels[((image * 3 + ch) * s + y) * s + x];
  const conv = W('embeddings.patch_embedding.weight');
  const siglip = !w.has('vision_model.embeddings.class_embedding'); // SigLIP: no class token, a conv bias, no pre-LayerNorm
  let x: Mat = siglip ? [] : [Array.from(W('embeddings.class_embedding'))];
  for (let gy = 0; gy < grid; gy++)
    for (let gx = 0; gx < grid; gx++)
      x.push(
        Array.from({ length: c }, (_, o) => {
          let a = siglip ? W('embeddings.patch_embedding.bias')[o] : 0;
          for (let ch = 0; ch < 3; ch++)
            for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) a += conv[((o * 3 + ch) * p + i) * p + j] * px(ch, gy * p + i, gx * p + j);
          return a;
        }),
      );
  x = x.map((row, t) => row.map((v, j) => v + W('embeddings.position_embedding.weight')[t * c + j]));
  const hidden: Mat[] = [(x = siglip ? x : layerNorm(x, 'pre_layrnorm'))];
  const hd = c / cfg.heads;
  for (let l = 0; l < cfg.depth; l++) {
    const L = `encoder.layers.${l}`;
    const h = layerNorm(x, `${L}.layer_norm1`);
    const [q, k, v] = ['q_proj', 'k_proj', 'v_proj'].map((n) => dense(h, `${L}.self_attn.${n}`, c));
    const ctx: Mat = x.map(() => new Array(c).fill(0));
    for (let head = 0; head < cfg.heads; head++)
      for (let i = 0; i < x.length; i++) {
        const sc = x.map((_, j) => {
          let d = 0;
          for (let e = head * hd; e < (head + 1) * hd; e++) d += q[i][e] * k[j][e];
          return d / Math.sqrt(hd);
        });
        const mx = Math.max(...sc),
          ex = sc.map((z) => Math.exp(z - mx)),
          sum = ex.reduce((a, b) => a + b, 0);
        for (let j = 0; j < x.length; j++) for (let e = head * hd; e < (head + 1) * hd; e++) ctx[i][e] += (ex[j] / sum) * v[j][e];
      }
    const attn = dense(ctx, `${L}.self_attn.out_proj`, c);
    x = x.map((row, i) => row.map((val, j) => val + attn[i][j]));
    const m = dense(
      dense(layerNorm(x, `${L}.layer_norm2`), `${L}.mlp.fc1`, cfg.mlpHidden).map((r) => r.map(ACT[cfg.activation])),
      `${L}.mlp.fc2`,
      c,
    );
    hidden.push((x = x.map((row, i) => row.map((val, j) => val + m[i][j]))));
  }
  const feats = hidden.at(cfg.featureLayer)!.slice(siglip ? 0 : 1);
  return cfg.postNorm ? layerNorm(feats, 'post_layernorm') : feats;
}

for (const [act, modelType, opts] of [
  ['quick_gelu', undefined, {}],
  ['gelu', undefined, { postNorm: true, featureLayer: -2 }],
  // SigLIP's last_hidden_state is post-normed: the default for the last layer; hidden_states[-2] is not.
  ['gelu_pytorch_tanh', 'siglip_vision_model', {}],
  ['gelu_pytorch_tanh', 'siglip_vision_model', { featureLayer: -2 }],
] as const) {
  test(`imported tiny ${modelType ?? 'CLIP'} (${act}, ${JSON.stringify(opts)}) matches a float64 reference forward to 1e-4`, async () => {
    const cfg = visionConfigFromHf(hfJson(act, modelType), opts);
    assert.equal(cfg.postNorm, opts.postNorm ?? (modelType !== undefined && !('featureLayer' in opts)));
    const hf = randomClip(cfg, 21);
    const params = importClipVision(hf, cfg);
    const g = new Graph('clip');
    const pixels = g.input('pixels', [2, 3, 16, 16]);
    const out = visionEncoder(g, cfg, pixels);
    const rng = new Rng(2);
    const px = Float32Array.from({ length: 2 * 3 * 16 * 16 }, () => rng.normal());
    const run = await CompiledGraph.create(g, [pixels, ...g.params], { out }, { threads: 1 });
    const y = (await run.run({ pixels: { dtype: 'float32', shape: [2, 3, 16, 16], data: px }, ...Object.fromEntries(params) })).out;
    await run.release();
    assert.deepEqual(y.shape, [2, 16, 16]);
    let worst = 0;
    for (let n = 0; n < 2; n++)
      referenceForward(hf, cfg, px, n).forEach((row, t) =>
        row.forEach((v, j) => (worst = Math.max(worst, Math.abs(v - (y.data as Float32Array)[(n * 16 + t) * 16 + j])))),
      );
    assert.ok(worst < 1e-4, `max |mm1 - reference| = ${worst}`);
  });
}

test('export -> import and import -> export are the identity; config.json round-trips', () => {
  const cfg = visionConfigFromHf({ vision_config: hfJson('quick_gelu') });
  const hf = randomClip(cfg, 5);
  const back = exportClipVision(importClipVision(hf, cfg), cfg);
  for (const [name, t] of hf) if (name.startsWith('vision_model.') && !name.endsWith('position_ids')) assert.deepEqual(back.get(name), t, name);
  assert.equal(back.size, hf.size - 2);
  const params = importClipVision(hf, cfg);
  assert.deepEqual(importClipVision(exportClipVision(params, cfg), cfg), params);
  assert.deepEqual(params.get('vision.layers.0.mlp.fc1.weight')!.shape, [16, 32]); // mm1 Linear layout [in, out]
  assert.deepEqual(visionConfigFromHf(visionConfigToHf(cfg)), cfg);
  assert.equal(visionConfigToHf({ ...cfg, activation: 'gelu_tanh' }).hidden_act, 'gelu_pytorch_tanh');
  const l336 = visionConfigFromHf({
    hidden_size: 1024,
    intermediate_size: 4096,
    num_hidden_layers: 24,
    num_attention_heads: 16,
    image_size: 336,
    patch_size: 14,
  });
  assert.deepEqual([patchGrid(l336), positionRows(l336, 24), l336.activation], [24, 577, 'quick_gelu']); // openai/clip-vit-large-patch14-336
});

test('missing, misshaped or unexpected tensors and non-CLIP configs are refused by name', () => {
  const cfg = visionConfigFromHf(hfJson('gelu'));
  const broken = randomClip(cfg, 1);
  broken.delete('vision_model.encoder.layers.1.mlp.fc2.bias');
  broken.set('vision_model.encoder.layers.0.self_attn.q_proj.weight', { dtype: 'float32', shape: [16, 12], data: new Float32Array(192) });
  broken.set('vision_model.encoder.layers.2.layer_norm1.weight', { dtype: 'float32', shape: [16], data: new Float32Array(16) });
  assert.throws(
    () => importClipVision(broken, cfg),
    (e: Error) =>
      /missing tensor 'vision_model.encoder.layers.1.mlp.fc2.bias' \(expected shape \[16\]\)/.test(e.message) &&
      /'vision_model.encoder.layers.0.self_attn.q_proj.weight': expected shape \[16, 16\], found \[16, 12\]/.test(e.message) &&
      /unexpected tensor 'vision_model.encoder.layers.2.layer_norm1.weight'/.test(e.message),
  );
  const params = importClipVision(randomClip(cfg, 1), cfg);
  params.delete('vision.pre_layernorm.bias');
  assert.throws(() => exportClipVision(params, cfg), /missing parameter 'vision.pre_layernorm.bias' \(expected shape \[16\]\)/);
  assert.throws(() => exportClipVision(params, { ...cfg, classToken: false }), /classToken must be true/);
  assert.throws(() => visionConfigFromHf({ ...hfJson('relu') }), /hidden_act 'relu' is not supported/);
  assert.throws(() => visionConfigFromHf({ hidden_size: 16 }), /config.json is not a CLIP vision config:\n.*intermediate_size/);
});

test('SigLIP: a hub-style config (only the keys that differ from the defaults) reads with SiglipVisionConfig defaults; export -> import is the identity; SigLIP 2 is refused', () => {
  // google/siglip-base-patch16-224's config.json names little more than the model types.
  const base = visionConfigFromHf({ model_type: 'siglip', vision_config: { model_type: 'siglip_vision_model' } });
  assert.deepEqual(
    [base.width, base.depth, base.heads, base.mlpHidden, base.imageSize, base.patchSize, base.activation, base.layerNormEps],
    [768, 12, 12, 3072, 224, 16, 'gelu_tanh', 1e-6],
  );
  assert.deepEqual([base.classToken, base.preNorm, base.patchBias, base.postNorm], [false, false, true, true]);
  assert.equal(positionRows(base, patchGrid(base)), 196, 'no class-token row');

  const cfg = visionConfigFromHf(hfJson('gelu_pytorch_tanh', 'siglip_vision_model'));
  const hf = randomClip(cfg, 8);
  const params = importClipVision(hf, cfg);
  assert.ok(params.has('vision.patch_embedding.bias') && !params.has('vision.class_embedding') && !params.has('vision.pre_layernorm.weight'));
  const back = exportClipVision(params, cfg);
  for (const [name, t] of back) assert.deepEqual(t, hf.get(name), name);
  assert.deepEqual(
    [...back.keys()].filter((n) => n.includes('head.')),
    [],
    'the attention-pooling head is not written',
  );
  const json = visionConfigToHf(cfg);
  assert.deepEqual([json.architectures, json.model_type, json.vision_use_head], [['SiglipVisionModel'], 'siglip_vision_model', false]);
  assert.deepEqual(visionConfigFromHf(json), cfg);

  assert.throws(() => visionConfigFromHf({ model_type: 'siglip2', vision_config: { model_type: 'siglip2_vision_model' } }), /SigLIP 2 towers .* not supported/);
  const missing = randomClip(cfg, 8);
  missing.delete('vision_model.embeddings.patch_embedding.bias');
  assert.throws(() => importClipVision(missing, cfg), /SigLIP vision config .*\n.*missing tensor 'vision_model.embeddings.patch_embedding.bias'/);
});
