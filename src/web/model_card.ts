// The model card an exported site shows: what the model is (recipe, parameters by component,
// context, image size) and how it was trained (steps, data, schedule), read from the model
// directory's config.json, where training records its run settings under `run`.
import { countModelParams } from '../model/build/recipes.js';
import type { ModelDir } from '../model/io/model_dir.js';

export interface ModelCard {
  name: string;
  recipe: string;
  params: Record<string, number>;
  contextLength: number;
  imageSize: number;
  /** Steps of multimodal pretraining (config.json's trainedSteps), when recorded. */
  trainedSteps?: number;
  /** The run settings training saved (data source and mixture, schedule, freezing), when recorded. */
  run?: Record<string, unknown>;
}

export function modelCard(m: ModelDir, name: string): ModelCard {
  const steps = m.extra.trainedSteps;
  const run = m.extra.run;
  return {
    name,
    recipe: m.config.name,
    params: countModelParams(m.config),
    contextLength: m.config.llm.maxPositions,
    imageSize: m.config.vision.imageSize,
    ...(typeof steps === 'number' ? { trainedSteps: steps } : {}),
    ...(run && typeof run === 'object' ? { run: run as Record<string, unknown> } : {}),
  };
}
