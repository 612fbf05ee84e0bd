// The weights of a Hugging Face model directory: one model.safetensors, or shards listed by
// model.safetensors.index.json ({"weight_map": {tensor name: shard file}}), as
// transformers' save_pretrained writes them. Each tensor is read as float32 (F16 and BF16
// widen exactly; engine/safetensors.ts). Written back as one file, which HF also reads.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { HostTensor } from '../../engine/host_tensor.js';
import { readSafetensors, writeSafetensors } from '../../engine/safetensors.js';
import { formatIssues } from '../../schema/format_issues.js';

const INDEX = 'model.safetensors.index.json';
const SINGLE = 'model.safetensors';

const IndexSchema = z.looseObject({ weight_map: z.record(z.string(), z.string()) });

/** Every tensor of `dir`'s safetensors checkpoint, by HF name. */
export function readHfWeights(dir: string): Map<string, HostTensor> {
  const indexPath = join(dir, INDEX);
  if (existsSync(indexPath)) return readSharded(dir, indexPath);
  const single = join(dir, SINGLE);
  if (existsSync(single)) return readSafetensors(single).tensors;
  const bin = existsSync(join(dir, 'pytorch_model.bin'))
    ? ' It holds pytorch_model.bin: convert it to safetensors first (transformers: model.save_pretrained(dir, safe_serialization=True)).'
    : '';
  throw new Error(`${dir}: no ${SINGLE} and no ${INDEX}; expected a Hugging Face model directory with safetensors weights.${bin}`);
}

function readSharded(dir: string, indexPath: string): Map<string, HostTensor> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(indexPath, 'utf8'));
  } catch (e) {
    throw new Error(`${indexPath}: not valid JSON (${(e as Error).message})`);
  }
  const r = IndexSchema.safeParse(raw);
  if (!r.success) throw new Error(`${indexPath}: not a safetensors index:\n${formatIssues(r.error.issues)}`);
  const map = r.data.weight_map;
  const out = new Map<string, HostTensor>();
  for (const shard of [...new Set(Object.values(map))].sort()) {
    const path = join(dir, shard);
    if (!existsSync(path)) throw new Error(`${indexPath} lists shard '${shard}', which is missing from ${dir}; download the whole checkpoint again`);
    for (const [name, t] of readSafetensors(path).tensors) {
      if (map[name] !== shard)
        throw new Error(`${path}: tensor '${name}' is in this shard but ${INDEX} puts it in '${map[name] ?? 'no shard'}'; the index and shards disagree`);
      out.set(name, t);
    }
  }
  const missing = Object.keys(map).filter((n) => !out.has(n));
  if (missing.length)
    throw new Error(`${indexPath} lists ${missing.length} tensors that no shard holds (e.g. '${missing[0]}'); download the whole checkpoint again`);
  return out;
}

/** `tensors` as `dir`/model.safetensors (F32), with the metadata transformers expects. */
export function writeHfWeights(dir: string, tensors: Map<string, HostTensor>): void {
  writeSafetensors(join(dir, SINGLE), tensors, { format: 'pt' });
}

/** A JSON file of `dir`, or a message that names the file and what it should be. */
export function readJsonIn(dir: string, file: string, what: string): unknown {
  const path = join(dir, file);
  if (!existsSync(path)) throw new Error(`${dir}: no ${file}; expected ${what}`);
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new Error(`${path}: not valid JSON (${(e as Error).message})`);
  }
}
