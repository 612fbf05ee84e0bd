// `mm1 export hf`: a trained mm1 model back as Hugging Face directories, so work done in mm1
// leaves mm1:  OUT/vision (CLIPVisionModel + preprocessor_config.json), OUT/llm
// (LlamaForCausalLM / Qwen2ForCausalLM + tokenizer files), and OUT/connector (mm1's own: its
// config and weights, which `mm1 import --connector-weights` reads back).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { HostTensor } from '../../engine/host_tensor.js';
import { writeSafetensors } from '../../engine/safetensors.js';
import { readModelDir } from './model_dir.js';
import { writeHfLlmDir } from './hf_llm_dir.js';
import { writeHfVisionDir } from './hf_vision_dir.js';
import type { ConnectorFileSchema } from './hf_import.js';
import type { z } from 'zod';

export async function exportHfModel(modelDir: string, out: string): Promise<{ vision: string; llm: string; connector: string }> {
  const m = await readModelDir(modelDir);
  const dirs = { vision: join(out, 'vision'), llm: join(out, 'llm'), connector: join(out, 'connector') };
  writeHfVisionDir(dirs.vision, m.config.vision, m.config.image, m.weights);
  await writeHfLlmDir(dirs.llm, m.config.llm, m.weights, m.tokenizer);
  mkdirSync(dirs.connector, { recursive: true });
  const connector = new Map<string, HostTensor>([...m.weights].filter(([name]) => !name.startsWith('vision.') && !name.startsWith('llm.')));
  writeSafetensors(join(dirs.connector, 'model.safetensors'), connector, { format: 'pt', producer: 'mm1' });
  const file: z.infer<typeof ConnectorFileSchema> = {
    format: 'mm1-connector',
    connector: m.config.connector,
    featureLayer: m.config.vision.featureLayer,
    postNorm: m.config.vision.postNorm,
    subImageGrid: m.config.subImageGrid,
  };
  writeFileSync(join(dirs.connector, 'config.json'), JSON.stringify(file, null, 2) + '\n');
  return dirs;
}
