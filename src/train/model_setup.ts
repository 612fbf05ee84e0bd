// From a pretraining config to the model config: the named recipe, the run's overrides on
// top, Hugging Face backbones in place of the recipe's tower / LLM when `model.vision.hf` /
// `model.llm.hf` name them, and the vocabulary size of the tokenizer the data uses.
import { z } from 'zod';
import { ModelConfigSchema, parseModelConfig, splitHfBackbones, type HfBackboneDirs, type ModelConfig } from '../model/build/config.js';
import { withHfComponents, type HfBackbones } from '../model/io/hf_backbones.js';
import { getRecipe } from '../model/build/recipes.js';
import { parseWith } from '../schema/parse.js';
import type { PretrainConfig } from './config.js';

function withOverrides(config: Pick<PretrainConfig, 'recipe' | 'model'>, vocabSize: number, hf: HfBackbones = {}): Record<string, unknown> {
  const r = getRecipe(config.recipe);
  const base = { ...r.model, llm: { ...r.model.llm, vocabSize } } as Record<string, unknown>;
  return withHfComponents(base, hf, splitHfBackbones(config.model, 'model').rest);
}

/** The Hugging Face directories the run config names (model.vision.hf, model.llm.hf). */
export function hfBackboneDirs(config: Pick<PretrainConfig, 'model'>): HfBackboneDirs {
  return splitHfBackbones(config.model, 'model').dirs;
}

/** Refuses model overrides the model config does not have, as `model.<path>` with the nearest
 *  valid key, so a typo fails when the config is read, before the tokenizer or any graph. */
export function checkModelOverrides(config: Pick<PretrainConfig, 'recipe' | 'model'>, source: string, hint = ''): void {
  splitHfBackbones(config.model, source); // a shape key beside `hf` fails here, by name
  // The recipe's own vocabulary, or a placeholder: the tokenizer's size is checked by resolveModelConfig.
  const merged = withOverrides(config, getRecipe(config.recipe).vocabSize ?? 1);
  parseWith(z.strictObject({ model: ModelConfigSchema }), { model: merged }, source, hint);
}

/** model.vision.imageSize of the recipe under the run's overrides (no Hugging Face tower: its side is only known once its files are read). */
export function recipeImageSize(config: Pick<PretrainConfig, 'recipe' | 'model'>): number {
  const merged = withOverrides(config, getRecipe(config.recipe).vocabSize ?? 1);
  return parseModelConfig(merged, `recipe '${config.recipe}' and overrides`).vision.imageSize;
}

export function resolveModelConfig(config: PretrainConfig, tokenizerVocab: number, hf: HfBackbones = {}): ModelConfig {
  // An HF embedding table may be larger than its tokenizer (Qwen2 pads it): the table's size is the model's.
  const vocabSize = hf.llm?.config.vocabSize ?? tokenizerVocab;
  const merged = withOverrides(config, vocabSize, hf);
  const llm = (merged as { llm: { vocabSize: number } }).llm;
  if (llm.vocabSize !== vocabSize)
    throw new Error(`model.llm.vocabSize ${llm.vocabSize} does not match the tokenizer (${vocabSize} tokens); remove it from the overrides`);
  const label = [`recipe '${config.recipe}'`, hf.vision && 'an HF tower', hf.llm && 'an HF LLM'].filter(Boolean).join(' with ');
  return parseModelConfig(merged, `${label} and overrides`);
}
