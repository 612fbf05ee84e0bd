// HF CLIPVisionModel checkpoints <-> mm1 vision parameters, as pure functions over tensor
// maps (safetensors reading/writing lives in engine/): config.json <-> VisionConfig, and
// HF tensor names/layouts <-> mm1 names/layouts. Linear weights are [out, in] in HF and
// [in, out] in mm1, so they are transposed; everything else keeps its layout.
import { formatIssues } from '../../schema/format_issues.js';
import { z } from 'zod';
import type { HostTensor } from '../../engine/host_tensor.js';
import type { ParamValues } from '../../engine/param_store.js';
import { type VisionConfig, VisionConfigSchema } from '../build/config.js';
import { patchGrid, positionRows } from '../build/vit.js';

/** The fields of HF CLIPVisionConfig mm1 reads (defaults as in transformers). */
const HfClipVisionSchema = z.object({
  hidden_size: z.number().int().positive(),
  intermediate_size: z.number().int().positive(),
  num_hidden_layers: z.number().int().positive(),
  num_attention_heads: z.number().int().positive(),
  image_size: z.number().int().positive(),
  patch_size: z.number().int().positive(),
  hidden_act: z.string().default('quick_gelu'),
  layer_norm_eps: z.number().positive().default(1e-5),
  num_channels: z.literal(3).default(3),
});

const FROM_HF_ACT: Record<string, VisionConfig['activation']> = {
  quick_gelu: 'quick_gelu',
  gelu: 'gelu',
  gelu_new: 'gelu_tanh',
  gelu_pytorch_tanh: 'gelu_tanh',
  gelu_fast: 'gelu_tanh',
};
const TO_HF_ACT: Record<VisionConfig['activation'], string> = { quick_gelu: 'quick_gelu', gelu: 'gelu', gelu_tanh: 'gelu_pytorch_tanh' };

/**
 * VisionConfig from a CLIPVisionConfig config.json (or a full CLIPConfig: its vision_config).
 * postNorm defaults to false because HF's last_hidden_state / hidden_states, which LLaVA
 * and Honeybee feed to their connectors, come before post_layernorm (HF applies it to the
 * pooled class token only).
 */
export function visionConfigFromHf(json: unknown, opts: { featureLayer?: number; postNorm?: boolean } = {}, source = 'config.json'): VisionConfig {
  const raw = json && typeof json === 'object' && 'vision_config' in json ? json.vision_config : json;
  const r = HfClipVisionSchema.safeParse(raw);
  if (!r.success) throw new Error(`${source} is not a CLIP vision config:\n${formatIssues(r.error.issues)}`);
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
    patchBias: false,
    classToken: true,
    preNorm: true,
    postNorm: opts.postNorm ?? false,
    featureLayer: opts.featureLayer ?? -1,
    layerNormEps: h.layer_norm_eps,
  });
}

/** HF CLIPVisionConfig config.json for a CLIP-shaped VisionConfig. */
export function visionConfigToHf(cfg: VisionConfig): Record<string, unknown> {
  assertClipShaped(cfg, 'visionConfigToHf');
  return {
    architectures: ['CLIPVisionModel'],
    model_type: 'clip_vision_model',
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

function assertClipShaped(cfg: VisionConfig, who: string): void {
  const bad = [!cfg.classToken && 'classToken must be true', !cfg.preNorm && 'preNorm must be true', cfg.patchBias && 'patchBias must be false'].filter(
    Boolean,
  );
  if (bad.length)
    throw new Error(
      `${who}: an HF CLIPVisionModel always has a class token, a pre-LayerNorm and no patch bias, but this vision config differs (${bad.join(', ')}); only CLIP-shaped encoders map onto CLIP checkpoints`,
    );
}

interface Entry {
  hf: string;
  mm1: string;
  /** Shape in the HF layout. */
  shape: number[];
  /** A Linear weight: transposed between HF [out, in] and mm1 [in, out]. */
  linear: boolean;
}

/** Every tensor of a CLIPVisionModel with this config, HF name ↔ mm1 name. */
function clipEntries(cfg: VisionConfig): Entry[] {
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
  add('embeddings.class_embedding', 'class_embedding', [c]);
  add('embeddings.position_embedding.weight', 'position_embedding', [positionRows(cfg, patchGrid(cfg)), c]);
  norm('pre_layrnorm', 'pre_layernorm'); // sic: HF's spelling
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

/** HF buffers that are not parameters. */
const IGNORED = new Set(['vision_model.embeddings.position_ids']);

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
    `${who}: the tensors do not match the CLIP vision config (${what}):\n  ${problems.join('\n  ')}\nCheck that config.json belongs to these weights.`,
  );
}

/**
 * mm1 vision parameters from HF CLIPVisionModel tensors (HF name -> tensor; float32 or
 * float64). Tensors outside 'vision_model.' (a full CLIPModel's text tower) are ignored;
 * a missing, misshaped or unexpected vision tensor is refused by name.
 */
export function importClipVision(hf: Map<string, HostTensor>, cfg: VisionConfig): ParamValues {
  assertClipShaped(cfg, 'importClipVision');
  const entries = clipEntries(cfg);
  const known = new Set(entries.map((e) => e.hf));
  const problems: string[] = [];
  for (const name of hf.keys()) if (name.startsWith('vision_model.') && !known.has(name) && !IGNORED.has(name)) problems.push(`unexpected tensor '${name}'`);
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
 * HF CLIPVisionModel tensors from mm1 vision parameters (the inverse of importClipVision).
 * HF's model always holds post_layernorm; a model trained without one exports the
 * LayerNorm's initial values (weight 1, bias 0), which HF's hidden states never use.
 */
export function exportClipVision(params: ParamValues, cfg: VisionConfig): Map<string, HostTensor> {
  assertClipShaped(cfg, 'exportClipVision');
  const out = new Map<string, HostTensor>();
  const problems: string[] = [];
  for (const e of clipEntries(cfg)) {
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
