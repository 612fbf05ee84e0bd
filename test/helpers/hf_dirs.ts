// Tiny random Hugging Face model directories, written the way transformers' save_pretrained
// writes them, for tests that import backbones: a CLIP vision tower (config.json,
// preprocessor_config.json, one BF16 model.safetensors), a SigLIP one (with its attention-pooling
// head, and SiglipImageProcessor's square resize) and a Llama or Qwen2 LLM (config.json,
// F16 shards + model.safetensors.index.json, a byte-level BPE tokenizer.json and a
// tokenizer_config.json with a ChatML chat template, as SmolLM2 and Qwen2.5 ship).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HostTensor } from '../../src/engine/host_tensor.js';
import { initParams } from '../../src/engine/param_store.js';
import { Rng } from '../../src/engine/rng.js';
import { parseModelConfig, type LlmConfig, type VisionConfig } from '../../src/model/build/config.js';
import { exportClipVision, visionConfigToHf } from '../../src/model/io/hf_clip.js';
import { exportHfLlm, llmConfigToHf } from '../../src/model/io/hf_llama.js';
import { buildMultimodalTraining } from '../../src/model/build/multimodal.js';

// ---- half-precision encoders (test side only: mm1 reads F16/BF16, it never writes them) ----

/** float32 -> bfloat16 bits, round to nearest even. */
export function toBf16Bits(x: number): number {
  const u = new Uint32Array(new Float32Array([x]).buffer)[0];
  return ((u + 0x7fff + ((u >> 16) & 1)) >>> 16) & 0xffff;
}

/** float32 -> IEEE half bits for normal-range values (what random weights are), round to nearest. */
export function toF16Bits(x: number): number {
  const sign = x < 0 || Object.is(x, -0) ? 0x8000 : 0;
  const a = Math.abs(x);
  if (a < 2 ** -14) return sign | Math.round(a / 2 ** -24); // subnormal
  let e = Math.floor(Math.log2(a));
  let m = Math.round((a / 2 ** e - 1) * 1024);
  if (m === 1024) {
    m = 0;
    e++;
  }
  return sign | ((e + 15) << 10) | m;
}

type Half = 'F16' | 'BF16' | 'F32';

/** Raw safetensors bytes with every float tensor stored as `dtype`. */
export function safetensorsBytes(tensors: Map<string, HostTensor>, dtype: Half): Buffer {
  const width = dtype === 'F32' ? 4 : 2;
  const header: Record<string, unknown> = { __metadata__: { format: 'pt' } };
  const bodies: Buffer[] = [];
  let offset = 0;
  for (const [name, t] of [...tensors].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const src = t.data as Float32Array;
    const body = Buffer.alloc(src.length * width);
    for (let i = 0; i < src.length; i++) {
      if (dtype === 'F32') body.writeFloatLE(src[i], i * 4);
      else body.writeUInt16LE(dtype === 'BF16' ? toBf16Bits(src[i]) : toF16Bits(src[i]), i * 2);
    }
    header[name] = { dtype, shape: t.shape, data_offsets: [offset, offset + body.length] };
    offset += body.length;
    bodies.push(body);
  }
  const text = Buffer.from(JSON.stringify(header));
  const len = Buffer.alloc(8);
  len.writeBigUInt64LE(BigInt(text.length));
  return Buffer.concat([len, text, ...bodies]);
}

/** `tensors` as `shards` files + model.safetensors.index.json (or one model.safetensors when shards = 1). */
export function writeWeights(dir: string, tensors: Map<string, HostTensor>, dtype: Half, shards = 1): void {
  if (shards === 1) return writeFileSync(join(dir, 'model.safetensors'), safetensorsBytes(tensors, dtype));
  const names = [...tensors.keys()];
  const weightMap: Record<string, string> = {};
  for (let s = 0; s < shards; s++) {
    const file = `model-${String(s + 1).padStart(5, '0')}-of-${String(shards).padStart(5, '0')}.safetensors`;
    const part = new Map(names.filter((_, i) => i % shards === s).map((n) => [n, tensors.get(n)!]));
    for (const n of part.keys()) weightMap[n] = file;
    writeFileSync(join(dir, file), safetensorsBytes(part, dtype));
  }
  writeFileSync(join(dir, 'model.safetensors.index.json'), JSON.stringify({ metadata: { total_size: 0 }, weight_map: weightMap }));
}

// ---- a byte-level BPE tokenizer (GPT-2 style, as SmolLM2 / Qwen2 use) ----

/** GPT-2's bytes_to_unicode: each byte as a printable character. */
function byteChars(): string[] {
  const keep: number[] = [];
  for (let b = 33; b <= 126; b++) keep.push(b);
  for (let b = 161; b <= 172; b++) keep.push(b);
  for (let b = 174; b <= 255; b++) keep.push(b);
  const chars: string[] = [];
  let n = 0;
  for (let b = 0; b < 256; b++) chars[b] = String.fromCharCode(keep.includes(b) ? b : 256 + n++);
  return chars;
}

const MERGES = [
  'Ġ t',
  'h e',
  'Ġt he',
  'Ġ a',
  'i n',
  'r e',
  'o n',
  'e r',
  'Ġ s',
  'a t',
  'e n',
  'o r',
  'Ġ o',
  'Ġ c',
  'e s',
  'Ġ b',
  'Ġ w',
  'i s',
  'a n',
  'e d',
  'Ġ i',
  'l e',
  'Ġ is',
  'Ġ re',
  'Ġ p',
];
export const CHATML_TEMPLATE =
  "{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}{{ '<|im_start|>system\\nYou are a helpful assistant.<|im_end|>\\n' }}{% endif %}" +
  "{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>' + '\\n' }}{% endfor %}" +
  "{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}{% endif %}";
export const CHATML_SPECIALS = ['<|endoftext|>', '<|im_start|>', '<|im_end|>'];

/** tokenizer.json + tokenizer_config.json contents; the vocabulary is 256 bytes + MERGES + 3 specials. */
export function bpeTokenizerFiles(): { json: Record<string, unknown>; config: Record<string, unknown>; vocabSize: number } {
  const vocab: Record<string, number> = {};
  byteChars().forEach((c, i) => (vocab[c] = i));
  for (const m of MERGES) vocab[m.replace(' ', '')] = Object.keys(vocab).length;
  const first = Object.keys(vocab).length;
  const added = CHATML_SPECIALS.map((content, i) => ({
    id: first + i,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  }));
  const byteLevel = { type: 'ByteLevel', add_prefix_space: false, trim_offsets: true, use_regex: true };
  const json = {
    version: '1.0',
    truncation: null,
    padding: null,
    added_tokens: added,
    normalizer: null,
    pre_tokenizer: byteLevel,
    post_processor: byteLevel,
    decoder: byteLevel,
    model: {
      type: 'BPE',
      dropout: null,
      unk_token: null,
      continuing_subword_prefix: null,
      end_of_word_suffix: null,
      fuse_unk: false,
      byte_fallback: false,
      ignore_merges: false,
      vocab,
      merges: MERGES,
    },
  };
  const config = {
    tokenizer_class: 'GPT2Tokenizer',
    bos_token: '<|im_start|>',
    eos_token: '<|im_end|>',
    pad_token: '<|endoftext|>',
    unk_token: '<|endoftext|>',
    model_max_length: 2048,
    chat_template: CHATML_TEMPLATE,
  };
  return { json, config, vocabSize: first + added.length };
}

// ---- the directories ----

export const TINY_CLIP: VisionConfig = parseModelConfig({
  name: 'fixture',
  vision: {
    imageSize: 32,
    patchSize: 8,
    width: 32,
    depth: 2,
    heads: 2,
    mlpHidden: 64,
    activation: 'quick_gelu',
    classToken: true,
    preNorm: true,
    postNorm: false,
    layerNormEps: 1e-5,
  },
  connector: { kind: 'avgpool', tokens: 4 },
  llm: { vocabSize: 2, width: 8, depth: 1, heads: 1, mlpHidden: 8 },
}).vision;

export function tinyLlm(vocabSize: number, qwen = false): LlmConfig {
  return {
    vocabSize,
    width: 48,
    depth: 2,
    heads: 4,
    kvHeads: 2,
    mlpHidden: 96,
    maxPositions: 256,
    ropeTheta: 10000,
    rmsNormEps: 1e-5,
    tieEmbeddings: qwen,
    qkvBias: qwen,
  };
}

/** Random mm1 parameters of a whole model with this tower and LLM (initialisers of mm1's own graphs). */
function randomParams(vision: VisionConfig, llm: LlmConfig, seed: number) {
  const cfg = parseModelConfig({ name: 'fixture', vision, connector: { kind: 'avgpool', tokens: 4 }, llm });
  return initParams(buildMultimodalTraining(cfg, { B: 1, T: 8, N: 1 }).g, seed);
}

/** A CLIPVisionModel directory (BF16 weights, CLIPImageProcessor config resizing past the crop). */
export function writeClipDir(dir: string, opts: { dtype?: Half; shards?: number; seed?: number; vision?: VisionConfig } = {}): string {
  mkdirSync(dir, { recursive: true });
  const vision = opts.vision ?? TINY_CLIP;
  const params = randomParams(vision, tinyLlm(8), opts.seed ?? 1);
  writeWeights(dir, exportClipVision(params, vision), opts.dtype ?? 'BF16', opts.shards ?? 1);
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...visionConfigToHf(vision), torch_dtype: 'bfloat16' }));
  const [S, R] = [vision.imageSize, Math.round(vision.imageSize * 1.125)];
  writeFileSync(
    join(dir, 'preprocessor_config.json'),
    JSON.stringify({
      image_processor_type: 'CLIPImageProcessor',
      do_resize: true,
      size: { shortest_edge: R },
      resample: 3,
      do_center_crop: true,
      crop_size: { height: S, width: S },
      do_rescale: true,
      rescale_factor: 1 / 255,
      do_normalize: true,
      image_mean: [0.5, 0.4, 0.3],
      image_std: [0.2, 0.25, 0.3],
      do_convert_rgb: true,
    }),
  );
  return dir;
}

export const TINY_SIGLIP: VisionConfig = {
  ...TINY_CLIP,
  activation: 'gelu_tanh',
  classToken: false,
  preNorm: false,
  patchBias: true,
  postNorm: true,
  layerNormEps: 1e-6,
};

/** A SiglipVisionModel directory (F32 weights with the attention-pooling head HF saves; SiglipImageProcessor: square bicubic resize, mean/std 0.5). */
export function writeSiglipDir(dir: string, opts: { seed?: number } = {}): string {
  mkdirSync(dir, { recursive: true });
  const vision = TINY_SIGLIP;
  const tensors = exportClipVision(randomParams(vision, tinyLlm(8), opts.seed ?? 3), vision);
  const [c, f] = [vision.width, vision.mlpHidden];
  const rng = new Rng(opts.seed ?? 3);
  const head = (name: string, shape: number[]) =>
    tensors.set(`vision_model.head.${name}`, {
      dtype: 'float32',
      shape,
      data: Float32Array.from({ length: shape.reduce((a, b) => a * b) }, () => rng.normal()),
    });
  head('probe', [1, 1, c]);
  head('attention.in_proj_weight', [3 * c, c]);
  head('attention.in_proj_bias', [3 * c]);
  head('attention.out_proj.weight', [c, c]);
  head('attention.out_proj.bias', [c]);
  head('layernorm.weight', [c]);
  head('layernorm.bias', [c]);
  head('mlp.fc1.weight', [f, c]);
  head('mlp.fc1.bias', [f]);
  head('mlp.fc2.weight', [c, f]);
  head('mlp.fc2.bias', [c]);
  writeWeights(dir, tensors, 'F32');
  const { vision_use_head: _, ...config } = visionConfigToHf(vision); // as the hub's SiglipVisionModel configs: the head is there
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...config, torch_dtype: 'float32' }));
  writeFileSync(
    join(dir, 'preprocessor_config.json'),
    JSON.stringify({
      image_processor_type: 'SiglipImageProcessor',
      do_resize: true,
      size: { height: vision.imageSize, width: vision.imageSize },
      resample: 3,
      do_rescale: true,
      rescale_factor: 1 / 255,
      do_normalize: true,
      image_mean: [0.5, 0.5, 0.5],
      image_std: [0.5, 0.5, 0.5],
    }),
  );
  return dir;
}

/** A Llama (or Qwen2) directory: F16 weights in two shards, the BPE tokenizer with a ChatML template. */
export function writeLlmDir(
  dir: string,
  opts: { qwen?: boolean; dtype?: Half; shards?: number; seed?: number; config?: Record<string, unknown>; llm?: LlmConfig } = {},
): string {
  mkdirSync(dir, { recursive: true });
  const tok = bpeTokenizerFiles();
  // A larger model may have a larger vocabulary than the fixture tokenizer, as Qwen2's padded table does.
  const cfg = opts.llm ?? tinyLlm(tok.vocabSize, opts.qwen);
  const params = randomParams(TINY_CLIP, cfg, opts.seed ?? 2);
  writeWeights(dir, exportHfLlm(params, cfg), opts.dtype ?? 'F16', opts.shards ?? 2);
  writeFileSync(join(dir, 'config.json'), JSON.stringify({ ...llmConfigToHf(cfg), rope_scaling: null, torch_dtype: 'float16', ...opts.config }));
  writeFileSync(join(dir, 'tokenizer.json'), JSON.stringify(tok.json));
  writeFileSync(join(dir, 'tokenizer_config.json'), JSON.stringify(tok.config));
  return dir;
}
