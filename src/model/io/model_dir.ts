// A trained model on disk, in mm1's own layout (HF-style files, mm1 parameter names):
//   config.json            {"format": "mm1-model", "model": ModelConfig, ...extra}
//   model.safetensors      weights
//   tokenizer.json         Hugging Face tokenizer file
//   tokenizer_config.json  when the tokenizer came with one (an HF LLM's: chat template, special tokens)
// Written atomically file by file into a temp directory that is renamed into place.
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { atomicWriteFile } from '../../engine/atomic_write.js';
import type { HostTensor } from '../../engine/host_tensor.js';
import { readSafetensors, writeSafetensors } from '../../engine/safetensors.js';
import { saveTokenizer, loadTokenizer, type Mm1Tokenizer } from '../../data/tokenizer.js';
import { parseModelConfig, type ModelConfig } from '../build/config.js';

export interface ModelDir {
  config: ModelConfig;
  weights: Map<string, HostTensor>;
  tokenizer: Mm1Tokenizer;
  extra: Record<string, unknown>;
}

export async function saveModelDir(
  dir: string,
  m: { config: ModelConfig; weights: Map<string, HostTensor>; tokenizer: Mm1Tokenizer; extra?: Record<string, unknown> },
): Promise<void> {
  const tmp = `${dir}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  writeSafetensors(join(tmp, 'model.safetensors'), m.weights, { format: 'pt', producer: 'mm1', recipe: m.config.name });
  await saveTokenizer(m.tokenizer, join(tmp, 'tokenizer.json'));
  atomicWriteFile(join(tmp, 'config.json'), JSON.stringify({ format: 'mm1-model', model: m.config, ...(m.extra ?? {}) }, null, 2) + '\n');
  if (existsSync(dir)) rmSync(dir, { recursive: true, force: true });
  renameSync(tmp, dir);
}

export async function readModelDir(dir: string): Promise<ModelDir> {
  const cfgPath = join(dir, 'config.json');
  if (!existsSync(cfgPath)) throw new Error(`${dir}: no config.json — is this an mm1 model directory (e.g. runs/quickstart/model)?`);
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(readFileSync(cfgPath, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new Error(`${cfgPath}: not valid JSON (${(e as Error).message})`);
  }
  if (raw.format !== 'mm1-model')
    throw new Error(
      `${cfgPath}: "format" is ${JSON.stringify(raw.format)}, expected "mm1-model"; to use Hugging Face checkpoints, assemble a model first: mm1 import --vision CLIP_DIR --llm LLM_DIR --out MODEL`,
    );
  const { format: _f, model, ...extra } = raw;
  const config = parseModelConfig(model, cfgPath);
  const weights = readSafetensors(join(dir, 'model.safetensors')).tensors;
  const tokenizer = await loadTokenizer(join(dir, 'tokenizer.json'));
  return { config, weights, tokenizer, extra };
}
