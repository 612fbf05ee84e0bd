// A Hugging Face Llama / Qwen2 / SmolLM2 directory <-> mm1: config.json, safetensors weights
// (single or sharded, F32/F16/BF16), tokenizer.json + tokenizer_config.json used as they are.
// mm1 needs an image placeholder token (and, for a tokenizer without a chat template, its own
// chat role tokens); tokens the tokenizer lacks are appended, and the embedding and LM-head
// rows for them are grown and set to the mean of the existing rows — an embedding no farther
// from the others than a typical token, with no logit bias toward or away from it.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HostTensor } from '../../engine/host_tensor.js';
import type { ParamValues } from '../../engine/param_store.js';
import { saveTokenizer, tokenizerFromJson, type Mm1Tokenizer, type TokenizerFile } from '../../data/tokenizer.js';
import type { LlmConfig } from '../build/config.js';
import { exportHfLlm, importHfLlm, llmConfigFromHf, llmConfigToHf } from './hf_llama.js';
import { readHfWeights, readJsonIn, writeHfWeights } from './hf_weights.js';

export interface HfLlm {
  /** vocabSize grown to the tokenizer's when tokens were added. */
  config: LlmConfig;
  /** mm1 names under 'llm.'. */
  weights: ParamValues;
  tokenizer: Mm1Tokenizer;
  /** Ids of the tokens mm1 appended to the tokenizer (their rows hold the mean). */
  addedIds: number[];
}

/** The tokenizer of an HF LLM directory, with mm1's missing tokens appended. */
export function readHfTokenizer(dir: string): { tokenizer: Mm1Tokenizer; addedIds: number[] } {
  const what = "the LLM's Hugging Face tokenizer";
  const json = readJsonIn(dir, 'tokenizer.json', what) as TokenizerFile;
  if (!json || typeof json.model !== 'object') throw new Error(`${join(dir, 'tokenizer.json')}: no "model" object; expected a Hugging Face tokenizer.json`);
  const configPath = join(dir, 'tokenizer_config.json');
  const config = existsSync(configPath) ? (readJsonIn(dir, 'tokenizer_config.json', what) as Record<string, unknown>) : undefined;
  const before = new Set((json.added_tokens ?? []).map((t) => t.id));
  const tokenizer = tokenizerFromJson(json, { addMissing: true, config }, join(dir, 'tokenizer.json'));
  const addedIds = (tokenizer.json.added_tokens ?? []).map((t) => t.id).filter((id) => !before.has(id));
  return { tokenizer, addedIds };
}

/** Mean over rows of a [rows, cols] float32 matrix. */
function meanRow(t: HostTensor, rows: number): Float32Array {
  const cols = t.shape[1];
  const src = t.data as Float32Array;
  const m = new Float64Array(cols);
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) m[c] += src[r * cols + c];
  return Float32Array.from(m, (v) => v / rows);
}

/**
 * Grows the embedding [V, D] and the (untied) LM head, mm1 layout [D, V], to `vocab` rows /
 * columns; rows `fill` (the appended tokens) and every new row get the mean of the first `old`.
 */
export function growVocabulary(params: ParamValues, old: number, vocab: number, fill: number[]): void {
  const emb = params.get('llm.embed_tokens.weight')!;
  const d = emb.shape[1];
  const mean = meanRow(emb, old);
  const grown = new Float32Array(vocab * d);
  grown.set((emb.data as Float32Array).subarray(0, Math.min(old, emb.shape[0]) * d));
  for (const id of new Set([...fill, ...Array.from({ length: Math.max(0, vocab - old) }, (_, i) => old + i)])) grown.set(mean, id * d);
  params.set('llm.embed_tokens.weight', { dtype: 'float32', shape: [vocab, d], data: grown });
  const head = params.get('llm.lm_head.weight');
  if (!head) return;
  // [D, V]: the mean over columns, column by column.
  const src = head.data as Float32Array;
  const out = new Float32Array(d * vocab);
  for (let r = 0; r < d; r++) {
    let s = 0;
    for (let c = 0; c < old; c++) s += src[r * old + c];
    const m = s / old;
    out.set(src.subarray(r * old, r * old + old), r * vocab);
    for (let c = old; c < vocab; c++) out[r * vocab + c] = m;
    for (const id of fill) if (id < old) out[r * vocab + id] = m;
  }
  params.set('llm.lm_head.weight', { dtype: 'float32', shape: [d, vocab], data: out });
}

/** Reads an LLM directory: config, weights (as mm1 'llm.' parameters) and its tokenizer with mm1's tokens added. */
export function readHfLlmDir(dir: string): HfLlm {
  const cfgPath = join(dir, 'config.json');
  const hfConfig = llmConfigFromHf(
    readJsonIn(dir, 'config.json', 'a Hugging Face Llama/Qwen2 model directory (config.json + model.safetensors + tokenizer.json)'),
    cfgPath,
  );
  const weights = importHfLlm(readHfWeights(dir), hfConfig, dir);
  const { tokenizer, addedIds } = readHfTokenizer(dir);
  const vocab = Math.max(hfConfig.vocabSize, tokenizer.vocabSize);
  if (vocab !== hfConfig.vocabSize || addedIds.length) growVocabulary(weights, hfConfig.vocabSize, vocab, addedIds);
  return { config: { ...hfConfig, vocabSize: vocab }, weights, tokenizer, addedIds };
}

/** Writes the 'llm.' parameters back as a LlamaForCausalLM / Qwen2ForCausalLM directory with the tokenizer files. */
export async function writeHfLlmDir(dir: string, config: LlmConfig, params: ParamValues, tokenizer: Mm1Tokenizer): Promise<void> {
  mkdirSync(dir, { recursive: true });
  writeHfWeights(dir, exportHfLlm(params, config));
  const special = tokenizer.special;
  writeFileSync(
    join(dir, 'config.json'),
    JSON.stringify({ ...llmConfigToHf(config), bos_token_id: special.bos, eos_token_id: special.eos, pad_token_id: special.pad }, null, 2) + '\n',
  );
  await saveTokenizer(tokenizer, join(dir, 'tokenizer.json'));
}
