// From a pretraining config to the model config: the named recipe, the run's overrides on
// top, and the vocabulary size of the tokenizer the data uses.
import { z } from 'zod';
import { ModelConfigSchema, parseModelConfig, type ModelConfig } from '../model/build/config.js';
import { getRecipe } from '../model/build/recipes.js';
import { deepMerge } from '../schema/deep_merge.js';
import { parseWith } from '../schema/parse.js';
import type { PretrainConfig } from './config.js';

function withOverrides(config: Pick<PretrainConfig, 'recipe' | 'model'>, vocabSize: number): Record<string, unknown> {
  const r = getRecipe(config.recipe);
  return deepMerge({ ...r.model, llm: { ...r.model.llm, vocabSize } }, config.model);
}

/** Refuses model overrides the model config does not have, as `model.<path>` with the nearest
 *  valid key, so a typo fails when the config is read, before the tokenizer or any graph. */
export function checkModelOverrides(config: Pick<PretrainConfig, 'recipe' | 'model'>, source: string, hint = ''): void {
  // The recipe's own vocabulary, or a placeholder: the tokenizer's size is checked by resolveModelConfig.
  const merged = withOverrides(config, getRecipe(config.recipe).vocabSize ?? 1);
  parseWith(z.strictObject({ model: ModelConfigSchema }), { model: merged }, source, hint);
}

export function resolveModelConfig(config: PretrainConfig, vocabSize: number): ModelConfig {
  const merged = withOverrides(config, vocabSize);
  const llm = (merged as { llm: { vocabSize: number } }).llm;
  if (llm.vocabSize !== vocabSize) throw new Error(`model.llm.vocabSize ${llm.vocabSize} does not match the tokenizer (${vocabSize} tokens); remove it from the overrides`);
  return parseModelConfig(merged, `recipe '${config.recipe}' with overrides`);
}
