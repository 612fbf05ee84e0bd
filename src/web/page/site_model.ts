// The page's model: the site's model/ files fetched and parsed by the same functions
// `mm1 generate` reads them with (parseModelConfig, decodeSafetensors, tokenizerFromJson),
// then model/infer/load.ts's modelFromParts — the one Mm1Model implementation — on top.
import { decodeSafetensors } from '../../engine/safetensors.js';
import { tokenizerFromJson, type TokenizerFile } from '../../data/tokenizer.js';
import { parseModelConfig } from '../../model/build/config.js';
import type { ModelDir } from '../../model/io/model_dir.js';

async function fetchOk(url: string): Promise<Response> {
  const r = await fetch(url);
  if (!r.ok) throw new Error(`${url}: HTTP ${r.status}; the site is missing its model files — export it again with mm1 export web`);
  return r;
}

/** Fetch and parse `base`config.json, model.safetensors and tokenizer.json (tokenizer_config.json when present). */
export async function fetchModelDir(base: string): Promise<ModelDir> {
  const [raw, weights, tokenizerJson, tokenizerConfig] = await Promise.all([
    fetchOk(`${base}config.json`).then((r) => r.json() as Promise<Record<string, unknown>>),
    fetchOk(`${base}model.safetensors`).then((r) => r.arrayBuffer()),
    fetchOk(`${base}tokenizer.json`).then((r) => r.json() as Promise<TokenizerFile>),
    fetch(`${base}tokenizer_config.json`).then((r) => (r.ok ? (r.json() as Promise<Record<string, unknown>>) : undefined)),
  ]);
  if (raw.format !== 'mm1-model') throw new Error(`${base}config.json: "format" is ${JSON.stringify(raw.format)}, expected "mm1-model"`);
  const { format: _f, model, ...extra } = raw;
  return {
    config: parseModelConfig(model, `${base}config.json`),
    weights: decodeSafetensors(new Uint8Array(weights), `${base}model.safetensors`).tensors,
    tokenizer: tokenizerFromJson(tokenizerJson, tokenizerConfig ? { config: tokenizerConfig } : {}, `${base}tokenizer.json`),
    extra,
  };
}
