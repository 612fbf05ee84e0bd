// HF CLIP-family vision towers — CLIPVisionModel and SiglipVisionModel — <-> mm1 vision
// parameters, as pure functions over tensor maps (safetensors reading/writing lives in
// engine/): config.json <-> VisionConfig, and HF tensor names/layouts <-> mm1 names/layouts.
// Linear weights are [out, in] in HF and [in, out] in mm1, so they are transposed; everything
// else keeps its layout. The two families share the encoder blocks and their names; they
// differ only in the embeddings, which mm1's ViT has as options:
//   CLIP:   class token, no patch-embedding bias, a pre-LayerNorm ('pre_layrnorm').
//   SigLIP: no class token, a biased patch embedding, no pre-LayerNorm; its attention-pooling
//           head ('head.*', the MAP head that makes SigLIP's image embedding) reads only the
//           last layer's tokens for the contrastive loss, so a connector never needs it: it
//           is ignored on import and not written on export (config vision_use_head: false).
import { formatIssues } from '../../schema/format_issues.js';
import { z } from 'zod';
import type { HostTensor } from '../../engine/host_tensor.js';
import type { ParamValues } from '../../engine/param_store.js';
import { type VisionConfig, VisionConfigSchema } from '../build/config.js';
import { patchGrid, positionRows } from '../build/vit.js';

export type HfVisionFamily = 'clip' | 'siglip';

/** The fields of HF CLIPVisionConfig / SiglipVisionConfig mm1 reads. */
const HfClipVisionSchema = z.object({
  hidden_size: z.number().int().positive(),
  intermediate_size: z.number().int().positive(),
  num_hidden_layers: z.number().int().positive(),
  num_attention_heads: z.number().int().positive(),
  image_size: z.number().int().positive(),
  patch_size: z.number().int().positive(),
  hidden_act: z.string(),
  layer_norm_eps: z.number().positive(),
  num_channels: z.literal(3).default(3),
});

/** SiglipVisionConfig's defaults in transformers: hub configs (google/siglip-*) write only the keys that differ from them. */
const SIGLIP_DEFAULTS = {
  hidden_size: 768,
  intermediate_size: 3072,
  num_hidden_layers: 12,
  num_attention_heads: 12,
  image_size: 224,
  patch_size: 16,
  hidden_act: 'gelu_pytorch_tanh',
  layer_norm_eps: 1e-6,
};
/** CLIPVisionConfig's defaults for the two keys older hub configs leave out. */
const CLIP_DEFAULTS = { hidden_act: 'quick_gelu', layer_norm_eps: 1e-5 };

/** 'siglip' for a SigLIP config (model_type 'siglip' / 'siglip_vision_model', or a SiglipModel's vision_config); else 'clip'. SigLIP 2 is refused by name. */
export function hfVisionFamilyOfConfig(json: unknown, source = 'config.json'): HfVisionFamily {
  const types = [json, (json as { vision_config?: unknown } | null)?.vision_config].map((o) =>
    o && typeof o === 'object' && 'model_type' in o ? String(o.model_type) : '',
  );
  if (types.some((t) => t.startsWith('siglip2')))
    throw new Error(
      `${source}: SigLIP 2 towers (model_type '${types.find((t) => t.startsWith('siglip2'))}') are not supported: their patch embedding is a Linear over flattened patches with resizable position embeddings (NaFlex). Use a SigLIP (1) or CLIP tower.`,
    );
  return types.some((t) => t.startsWith('siglip')) ? 'siglip' : 'clip';
}

/** Which HF tower a VisionConfig maps onto; its shape decides. Anything else is refused, naming what differs. */
export function hfVisionFamily(cfg: VisionConfig, who: string): HfVisionFamily {
  if (cfg.stem === 'conv')
    throw new Error(
      `${who}: this vision config has a convolutional stem (stem 'conv'), but CLIP and SigLIP towers embed patches with one p×p convolution; only a stem 'patch' encoder maps onto Hugging Face checkpoints`,
    );
  if (cfg.layerScale !== undefined)
    throw new Error(
      `${who}: this vision config scales its blocks' branches (layerScale ${cfg.layerScale}), which CLIP and SigLIP towers do not; only an encoder without model.vision.layerScale maps onto Hugging Face checkpoints`,
    );
  if (cfg.classToken && cfg.preNorm && !cfg.patchBias) return 'clip';
  if (!cfg.classToken && !cfg.preNorm && cfg.patchBias) return 'siglip';
  const differs = (want: Partial<VisionConfig>) =>
    (Object.keys(want) as (keyof VisionConfig)[])
      .filter((k) => cfg[k] !== want[k])
      .map((k) => `${k} must be ${want[k]}`)
      .join(', ');
  throw new Error(
    `${who}: this vision config is neither CLIP-shaped (${differs({ classToken: true, preNorm: true, patchBias: false })}) nor SigLIP-shaped (${differs({ classToken: false, preNorm: false, patchBias: true })}); only those map onto Hugging Face checkpoints. mm1's own recipes' towers (no class token, no patch bias) are neither.`,
  );
}

const FROM_HF_ACT: Record<string, VisionConfig['activation']> = {
  quick_gelu: 'quick_gelu',
  gelu: 'gelu',
  gelu_new: 'gelu_tanh',
  gelu_pytorch_tanh: 'gelu_tanh',
  gelu_fast: 'gelu_tanh',
};
const TO_HF_ACT: Record<VisionConfig['activation'], string> = { quick_gelu: 'quick_gelu', gelu: 'gelu', gelu_tanh: 'gelu_pytorch_tanh' };

/**
 * VisionConfig from a CLIPVisionConfig / SiglipVisionConfig config.json (or a full CLIPConfig /
 * SiglipConfig: its vision_config). postNorm defaults to what HF hands a connector: CLIP's
 * last_hidden_state and hidden_states, which LLaVA and Honeybee use, come before
 * post_layernorm (CLIP applies it to the pooled class token only), so false; SigLIP's
 * last_hidden_state is post-normed (what PaliGemma, Idefics3 and nanoVLM feed their
 * connectors), so true when the features are the last layer's, false for an earlier layer
 * (hidden_states[i] are not normed).
 */
export function visionConfigFromHf(json: unknown, opts: { featureLayer?: number; postNorm?: boolean } = {}, source = 'config.json'): VisionConfig {
  const family = hfVisionFamilyOfConfig(json, source);
  const raw = json && typeof json === 'object' && 'vision_config' in json ? json.vision_config : json;
  const r = HfClipVisionSchema.safeParse({ ...(family === 'siglip' ? SIGLIP_DEFAULTS : CLIP_DEFAULTS), ...(raw as object) });
  if (!r.success) throw new Error(`${source} is not a ${family === 'siglip' ? 'SigLIP' : 'CLIP'} vision config:\n${formatIssues(r.error.issues)}`);
  const h = r.data;
  const activation = FROM_HF_ACT[h.hidden_act];
  if (!activation) throw new Error(`${source}: hidden_act '${h.hidden_act}' is not supported; expected one of ${Object.keys(FROM_HF_ACT).join(', ')}`);
  return VisionConfigSchema.parse({
    imageSize: h.image_size,
    patchSize: h.patch_size,
    width: h.hidden_size,
    depth: h.num_hidden_layers,
    heads: h.num_attention_heads,
    mlpHidden: h.intermediate_size,
    activation,
    patchBias: family === 'siglip',
    classToken: family === 'clip',
    preNorm: family === 'clip',
    postNorm: opts.postNorm ?? (family === 'siglip' && lastLayer(opts.featureLayer ?? -1, h.num_hidden_layers)),
    featureLayer: opts.featureLayer ?? -1,
    layerNormEps: h.layer_norm_eps,
  });
}

const lastLayer = (featureLayer: number, depth: number) => featureLayer === -1 || featureLayer === depth;

/** HF CLIPVisionConfig / SiglipVisionConfig config.json for a CLIP- or SigLIP-shaped VisionConfig. */
export function visionConfigToHf(cfg: VisionConfig): Record<string, unknown> {
  const siglip = hfVisionFamily(cfg, 'visionConfigToHf') === 'siglip';
  return {
    architectures: [siglip ? 'SiglipVisionModel' : 'CLIPVisionModel'],
    model_type: siglip ? 'siglip_vision_model' : 'clip_vision_model',
    // mm1 never trains SigLIP's attention-pooling head, so none is written and transformers must not expect one.
    ...(siglip ? { vision_use_head: false } : {}),
    hidden_size: cfg.width,
    intermediate_size: cfg.mlpHidden,
    num_hidden_layers: cfg.depth,
    num_attention_heads: cfg.heads,
    image_size: cfg.imageSize,
    patch_size: cfg.patchSize,
    hidden_act: TO_HF_ACT[cfg.activation],
    layer_norm_eps: cfg.layerNormEps,
    num_channels: 3,
  };
}

interface Entry {
  hf: string;
  mm1: string;
  /** Shape in the HF layout. */
  shape: number[];
  /** A Linear weight: transposed between HF [out, in] and mm1 [in, out]. */
  linear: boolean;
}

/** Every tensor of a CLIPVisionModel / SiglipVisionModel (without its head) with this config, HF name ↔ mm1 name. */
function towerEntries(cfg: VisionConfig): Entry[] {
  const c = cfg.width;
  const m = cfg.mlpHidden;
  const entries: Entry[] = [];
  const add = (hf: string, mm1: string, shape: number[], linear = false) => entries.push({ hf: `vision_model.${hf}`, mm1: `vision.${mm1}`, shape, linear });
  const norm = (hf: string, mm1: string) => ['weight', 'bias'].forEach((k) => add(`${hf}.${k}`, `${mm1}.${k}`, [c]));
  const dense = (hf: string, mm1: string, out: number, inp: number) => {
    add(`${hf}.weight`, `${mm1}.weight`, [out, inp], true);
    add(`${hf}.bias`, `${mm1}.bias`, [out]);
  };
  add('embeddings.patch_embedding.weight', 'patch_embedding.weight', [c, 3, cfg.patchSize, cfg.patchSize]);
  if (cfg.patchBias) add('embeddings.patch_embedding.bias', 'patch_embedding.bias', [c]);
  if (cfg.classToken) add('embeddings.class_embedding', 'class_embedding', [c]);
  add('embeddings.position_embedding.weight', 'position_embedding', [positionRows(cfg, patchGrid(cfg)), c]);
  if (cfg.preNorm) norm('pre_layrnorm', 'pre_layernorm'); // sic: HF's spelling
  for (let i = 0; i < cfg.depth; i++) {
    const [h, l] = [`encoder.layers.${i}`, `layers.${i}`];
    for (const p of ['q_proj', 'k_proj', 'v_proj', 'out_proj']) dense(`${h}.self_attn.${p}`, `${l}.self_attn.${p}`, c, c);
    norm(`${h}.layer_norm1`, `${l}.layer_norm1`);
    dense(`${h}.mlp.fc1`, `${l}.mlp.fc1`, m, c);
    dense(`${h}.mlp.fc2`, `${l}.mlp.fc2`, c, m);
    norm(`${h}.layer_norm2`, `${l}.layer_norm2`);
  }
  norm('post_layernorm', 'post_layernorm');
  return entries;
}

/** HF tensors mm1 does not use: a buffer that is not a parameter, and SigLIP's attention-pooling head. */
const ignored = (name: string) => name === 'vision_model.embeddings.position_ids' || name.startsWith('vision_model.head.');

const shapeStr = (s: readonly number[]) => `[${s.join(', ')}]`;
const sameShape = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((d, i) => d === b[i]);

/** A float32 copy; a Linear weight [R, C] comes back transposed [C, R]. */
function convert(t: HostTensor, transpose: boolean): HostTensor {
  const src = t.data as Float32Array | Float64Array;
  if (!transpose) return { dtype: 'float32', shape: [...t.shape], data: Float32Array.from(src) };
  const [r, c] = t.shape;
  const out = new Float32Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) out[j * r + i] = src[i * c + j];
  return { dtype: 'float32', shape: [c, r], data: out };
}

function fail(who: string, cfg: VisionConfig, problems: string[]): never {
  const what = `width ${cfg.width}, ${cfg.depth} layers, MLP ${cfg.mlpHidden}, patch ${cfg.patchSize}, image ${cfg.imageSize}`;
  throw new Error(
    `${who}: the tensors do not match the ${hfVisionFamily(cfg, who) === 'siglip' ? 'SigLIP' : 'CLIP'} vision config (${what}):\n  ${problems.join('\n  ')}\nCheck that config.json belongs to these weights.`,
  );
}

/**
 * mm1 vision parameters from HF CLIPVisionModel / SiglipVisionModel tensors (HF name ->
 * tensor; float32 or float64). Tensors outside 'vision_model.' (a full CLIPModel's or
 * SiglipModel's text tower) are ignored; a missing, misshaped or unexpected vision tensor is
 * refused by name.
 */
export function importClipVision(hf: Map<string, HostTensor>, cfg: VisionConfig): ParamValues {
  hfVisionFamily(cfg, 'importClipVision');
  const entries = towerEntries(cfg);
  const known = new Set(entries.map((e) => e.hf));
  const problems: string[] = [];
  for (const name of hf.keys()) if (name.startsWith('vision_model.') && !known.has(name) && !ignored(name)) problems.push(`unexpected tensor '${name}'`);
  const out: ParamValues = new Map();
  for (const e of entries) {
    const t = hf.get(e.hf);
    if (!t) problems.push(`missing tensor '${e.hf}' (expected shape ${shapeStr(e.shape)})`);
    else if (!sameShape(t.shape, e.shape)) problems.push(`tensor '${e.hf}': expected shape ${shapeStr(e.shape)}, found ${shapeStr(t.shape)}`);
    else if (t.dtype !== 'float32' && t.dtype !== 'float64') problems.push(`tensor '${e.hf}': expected float32 or float64, found ${t.dtype}`);
    else out.set(e.mm1, convert(t, e.linear));
  }
  if (problems.length) fail('importClipVision', cfg, problems);
  return out;
}

/**
 * HF CLIPVisionModel / SiglipVisionModel tensors from mm1 vision parameters (the inverse of
 * importClipVision). HF's model always holds post_layernorm; a model trained without one
 * exports the LayerNorm's initial values (weight 1, bias 0), which HF's hidden states never use.
 */
export function exportClipVision(params: ParamValues, cfg: VisionConfig): Map<string, HostTensor> {
  hfVisionFamily(cfg, 'exportClipVision');
  const out = new Map<string, HostTensor>();
  const problems: string[] = [];
  for (const e of towerEntries(cfg)) {
    const mm1Shape = e.linear ? [e.shape[1], e.shape[0]] : e.shape;
    let v = params.get(e.mm1);
    if (!v && e.mm1.startsWith('vision.post_layernorm.') && !cfg.postNorm)
      v = { dtype: 'float32', shape: mm1Shape, data: new Float32Array(mm1Shape[0]).fill(e.mm1.endsWith('weight') ? 1 : 0) };
    if (!v) problems.push(`missing parameter '${e.mm1}' (expected shape ${shapeStr(mm1Shape)})`);
    else if (!sameShape(v.shape, mm1Shape)) problems.push(`parameter '${e.mm1}': expected shape ${shapeStr(mm1Shape)}, found ${shapeStr(v.shape)}`);
    else out.set(e.hf, convert(v, e.linear));
  }
  if (problems.length) fail('exportClipVision', cfg, problems);
  return out;
}
