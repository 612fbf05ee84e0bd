// `mm1 import`: an mm1 model directory assembled from Hugging Face backbones — a CLIP tower
// and/or a Llama/Qwen2 LLM with its tokenizer — and a connector, fresh (random, as
// pretraining would start it) or read back from a directory `mm1 export hf` wrote. The result
// is self-contained (weights, tokenizer.json, tokenizer_config.json) and loads like any
// trained model, for evaluation or serving.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { initParams, type ParamValues } from '../../engine/param_store.js';
import { readSafetensors } from '../../engine/safetensors.js';
import { wordTokenizer } from '../../data/word_tokenizer.js';
import { worldVocabulary } from '../../data/world/index.js';
import { parseWith } from '../../schema/parse.js';
import { ConnectorConfigSchema, parseModelConfig, type ModelConfig } from '../build/config.js';
import { saveModelDir } from './model_dir.js';
import { buildMultimodalTraining } from '../build/multimodal.js';
import { getRecipe } from '../build/recipes.js';
import { hfInitialWeights, readHfBackbones, withHfComponents } from './hf_backbones.js';
import { readJsonIn } from './hf_weights.js';

/** connector/config.json as `mm1 export hf` writes it: what the connector needs of the model around it. */
export const ConnectorFileSchema = z.strictObject({
  format: z.literal('mm1-connector'),
  connector: ConnectorConfigSchema,
  /** Which tower features the connector was trained on (not part of an HF CLIP config). */
  featureLayer: z.number().int(),
  postNorm: z.boolean(),
  subImageGrid: z.number().int().nonnegative(),
});

export interface ImportOptions {
  vision?: string;
  llm?: string;
  /** Recipe for the parts not from HF and the connector's defaults (default 'tiny'). */
  recipe?: string;
  connector?: { kind?: ModelConfig['connector']['kind']; tokens?: number };
  /** A connector directory written by `mm1 export hf` (its config decides kind, tokens and tower features). */
  connectorDir?: string;
  featureLayer?: number;
  maxPositions?: number;
  seed?: number;
  out: string;
}

function readConnectorDir(dir: string) {
  const file = parseWith(ConnectorFileSchema, readJsonIn(dir, 'config.json', "a connector written by 'mm1 export hf'"), join(dir, 'config.json'));
  const weights = readSafetensors(join(dir, 'model.safetensors')).tensors;
  return { file, weights };
}

/** Builds and writes the model directory; returns its config and parameter count. */
export async function importHfModel(o: ImportOptions): Promise<{ config: ModelConfig; params: number }> {
  if (!o.vision && !o.llm) throw new Error('import needs --vision DIR and/or --llm DIR (Hugging Face model directories)');
  if (o.connectorDir && !existsSync(o.connectorDir)) throw new Error(`--connector-weights ${o.connectorDir}: no such directory`);
  const connector = o.connectorDir ? readConnectorDir(o.connectorDir) : undefined;
  const featureLayer = connector?.file.featureLayer ?? o.featureLayer;
  const hf = readHfBackbones({ vision: o.vision, llm: o.llm }, { featureLayer, postNorm: connector?.file.postNorm });
  const recipe = getRecipe(o.recipe ?? 'tiny');
  const tokenizer = hf.llm?.tokenizer ?? wordTokenizer(worldVocabulary(2));
  const base = { ...recipe.model, name: `hf-import`, llm: { ...recipe.model.llm, vocabSize: tokenizer.vocabSize } } as Record<string, unknown>;
  const overrides: Record<string, unknown> = {
    connector: connector
      ? connector.file.connector
      : { ...(o.connector?.kind ? { kind: o.connector.kind } : {}), ...(o.connector?.tokens ? { tokens: o.connector.tokens } : {}) },
    ...(connector ? { subImageGrid: connector.file.subImageGrid } : {}),
    ...(o.maxPositions ? { llm: { maxPositions: o.maxPositions } } : {}),
  };
  const config = parseModelConfig(withHfComponents(base, hf, overrides), 'imported model config');
  // Every parameter the model has, fresh; then the HF tensors (and a saved connector) over them.
  const weights: ParamValues = initParams(buildMultimodalTraining(config, { B: 1, T: 8, N: 1 }).g, o.seed ?? 0);
  const given = new Map([...hfInitialWeights(hf), ...(connector?.weights ?? [])]);
  for (const [name, t] of given) {
    const want = weights.get(name);
    // HF CLIP always stores post_layernorm; a tower read before it (postNorm false) has no use for it.
    if (!want && name.startsWith('vision.post_layernorm.') && !config.vision.postNorm) continue;
    if (!want)
      throw new Error(
        `import: tensor '${name}' has no place in the assembled model (connector ${config.connector.kind}); was the connector directory written for another model?`,
      );
    if (want.shape.join() !== t.shape.join()) throw new Error(`import: tensor '${name}' is [${t.shape}], the assembled model needs [${want.shape}]`);
    weights.set(name, t);
  }
  await saveModelDir(o.out, {
    config,
    weights,
    tokenizer,
    extra: { importedFrom: { vision: o.vision ?? null, llm: o.llm ?? null, connector: o.connectorDir ?? null } },
  });
  let params = 0;
  for (const t of weights.values()) params += t.data.length;
  return { config, params };
}
