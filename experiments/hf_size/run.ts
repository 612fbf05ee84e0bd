// What fits: a nanoVLM-sized model built from Hugging Face directories — a ViT-B/16-sized CLIP
// tower at 224 px and a SmolLM2-135M-sized Llama, random weights written here (nothing is
// downloaded) — pretrained for a few steps through `mm1 pretrain --vision --llm`, under
// /usr/bin/time for the peak RSS. Prints the median step time of the steps after the first
// two (graph build and warm-up) and the peak RSS, per setting.
//
//   node --import tsx experiments/hf_size/run.ts [--steps 6] [--dir /tmp/mm1-hf-size] [--freeze vision]
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseModelConfig } from '../../src/model/config.js';
import { writeClipDir, writeLlmDir } from '../../test/helpers/hf_dirs.js';

const { values } = parseArgs({ options: { steps: { type: 'string', default: '6' }, dir: { type: 'string', default: '/tmp/mm1-hf-size' }, freeze: { type: 'string' }, batch: { type: 'string', default: '2' }, seq: { type: 'string', default: '256' } } });

// ViT-B/16 (openai/clip-vit-base-patch16) and SmolLM2-135M's config.json, as mm1 configs.
const cfg = parseModelConfig({
  name: 'nanovlm-size',
  vision: { imageSize: 224, patchSize: 16, width: 768, depth: 12, heads: 12, mlpHidden: 3072, activation: 'quick_gelu', classToken: true, preNorm: true, postNorm: false },
  connector: { kind: 'pixelshuffle', tokens: 49 },
  llm: { vocabSize: 49152, width: 576, depth: 30, heads: 9, kvHeads: 3, mlpHidden: 1536, maxPositions: 8192, ropeTheta: 100000, rmsNormEps: 1e-5, tieEmbeddings: true },
});

const vision = join(values.dir!, 'clip-vit-b16');
const llm = join(values.dir!, 'smollm2-135m');
if (!existsSync(join(vision, 'model.safetensors'))) writeClipDir(vision, { vision: cfg.vision, dtype: 'F32' });
if (!existsSync(join(llm, 'model.safetensors.index.json'))) writeLlmDir(llm, { llm: cfg.llm, dtype: 'BF16', shards: 2 });

const run = join(values.dir!, `run${values.freeze ? `-freeze-${values.freeze}` : ''}`);
rmSync(run, { recursive: true, force: true });
const args = ['--import', 'tsx', 'src/cli/main.ts', 'pretrain', '--vision', vision, '--llm', llm, '--connector', 'pixelshuffle', '--image-tokens', '49',
  '--steps', values.steps!, '--batch-size', values.batch!, '--seq-len', values.seq!, '--max-images', '1', '--lr', '1e-4', '--checkpoint-every', '100000', '--out', run, '-q',
  ...(values.freeze ? ['--freeze', values.freeze] : [])];
const started = Date.now();
const r = spawnSync('/usr/bin/time', ['-v', process.execPath, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
if (r.status !== 0) throw new Error(`pretrain failed (${r.status}):\n${r.stderr}`);
const peakKb = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr)?.[1]);
const log = readFileSync(join(run, 'log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { step: number; tokens_per_s: number; loss: number });
const rates = log.slice(2).map((x) => x.tokens_per_s).sort((a, b) => a - b);
const median = rates[Math.floor(rates.length / 2)];
const B = Number(values.batch), T = Number(values.seq);
console.log(JSON.stringify({
  setting: { batch: B, seqLen: T, imagesPerSequence: 1, imageTokens: 49, freeze: values.freeze ?? 'none', steps: log.length },
  medianTokensPerSecond: Math.round(median),
  // The step's non-padding tokens over its time; rows are packed full, so B·T / rate is the step time within the padding.
  stepSeconds: +(B * T / median).toFixed(2),
  peakRssGiB: +(peakKb / 2 ** 20).toFixed(2),
  wallSeconds: Math.round((Date.now() - started) / 1000),
  losses: log.map((x) => +x.loss.toFixed(3)),
}));
