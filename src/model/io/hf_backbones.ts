// A model assembled around Hugging Face backbones: the tower and/or the LLM read from their
// directories (hf_vision_dir.ts, hf_llm_dir.ts), the rest (connector, and whatever part is not
// from HF) from a recipe. The LLM's tokenizer, with mm1's tokens added, becomes the model's.
import type { ParamValues } from '../../engine/param_store.js';
import { deepMerge } from '../../schema/deep_merge.js';
import type { HfBackboneDirs } from '../build/config.js';
import { readHfLlmDir, type HfLlm } from './hf_llm_dir.js';
import { readHfVisionDir, type HfVisionTower } from './hf_vision_dir.js';

export interface HfBackbones {
  vision?: HfVisionTower;
  llm?: HfLlm;
}

/** Reads the named directories; `visionOptions` picks the tower's features (model.vision.featureLayer / postNorm). */
export function readHfBackbones(dirs: HfBackboneDirs, visionOptions: { featureLayer?: number; postNorm?: boolean } = {}): HfBackbones {
  return {
    ...(dirs.vision ? { vision: readHfVisionDir(dirs.vision, visionOptions) } : {}),
    ...(dirs.llm ? { llm: readHfLlmDir(dirs.llm) } : {}),
  };
}

/** A model config (as a plain object, before parsing) with the HF components put in place of the base's. */
export function withHfComponents(base: Record<string, unknown>, hf: HfBackbones, overrides: Record<string, unknown>): Record<string, unknown> {
  const merged = deepMerge(base, overrides);
  const out: Record<string, unknown> = { ...merged };
  if (hf.vision) {
    const tunable = (overrides.vision ?? {}) as Record<string, unknown>;
    out.vision = { ...hf.vision.config, ...tunable };
    out.image = hf.vision.image;
  }
  if (hf.llm) out.llm = { ...hf.llm.config, ...((overrides.llm ?? {}) as Record<string, unknown>) };
  return out;
}

/** The HF weights, by mm1 name, to start training (or an assembled model) from. */
export function hfInitialWeights(hf: HfBackbones): ParamValues {
  return new Map([...(hf.vision?.weights ?? []), ...(hf.llm?.weights ?? [])]);
}
