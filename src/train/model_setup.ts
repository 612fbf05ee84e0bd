// From a run config to the model config: the named recipe, the run's overrides on top,
// and the vocabulary size of the tokenizer the data uses.
import { parseModelConfig, type ModelConfig } from '../model/config.js';
import { getRecipe } from '../model/recipes.js';
import { deepMerge, type RunConfig } from './config.js';

export function resolveModelConfig(config: RunConfig, vocabSize: number): ModelConfig {
  const r = getRecipe(config.recipe);
  const merged = deepMerge({ ...r.model, llm: { ...r.model.llm, vocabSize } } as Record<string, unknown>, config.model);
  const llm = (merged as { llm: { vocabSize: number } }).llm;
  if (llm.vocabSize !== vocabSize) throw new Error(`model.llm.vocabSize ${llm.vocabSize} does not match the tokenizer (${vocabSize} tokens); remove it from the overrides`);
  return parseModelConfig(merged, `recipe '${config.recipe}' with overrides`);
}
