// What fits: a nanoVLM-sized model built from Hugging Face directories — a ViT-B/16-sized CLIP
// tower at 224 px and a SmolLM2-135M-sized Llama, random weights written here (nothing is
// downloaded) — pretrained for a few steps through `mm1 pretrain --vision --llm`, its
// process polled for CPU time and peak RSS. Prints the median step time (wall and CPU) of the steps
// after the first two (session build and warm-up) and the peak RSS, per setting.
//
//   node --import tsx experiments/hf_size/run.ts [--steps 6] [--dir /tmp/mm1-hf-size] [--freeze vision]
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { parseModelConfig } from '../../src/model/build/config.js';
import { writeClipDir, writeLlmDir } from '../../test/helpers/hf_dirs.js';

const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '6' },
    dir: { type: 'string', default: '/tmp/mm1-hf-size' },
    freeze: { type: 'string' },
    batch: { type: 'string', default: '2' },
    seq: { type: 'string', default: '256' },
  },
});

// ViT-B/16 (openai/clip-vit-base-patch16) and SmolLM2-135M's config.json, as mm1 configs.
const cfg = parseModelConfig({
  name: 'nanovlm-size',
  vision: {
    imageSize: 224,
    patchSize: 16,
    width: 768,
    depth: 12,
    heads: 12,
    mlpHidden: 3072,
    activation: 'quick_gelu',
    classToken: true,
    preNorm: true,
    postNorm: false,
  },
  connector: { kind: 'pixelshuffle', tokens: 49 },
  llm: {
    vocabSize: 49152,
    width: 576,
    depth: 30,
    heads: 9,
    kvHeads: 3,
    mlpHidden: 1536,
    maxPositions: 8192,
    ropeTheta: 100000,
    rmsNormEps: 1e-5,
    tieEmbeddings: true,
  },
});

const vision = join(values.dir, 'clip-vit-b16');
const llm = join(values.dir, 'smollm2-135m');
if (!existsSync(join(vision, 'model.safetensors'))) writeClipDir(vision, { vision: cfg.vision, dtype: 'F32' });
if (!existsSync(join(llm, 'model.safetensors.index.json'))) writeLlmDir(llm, { llm: cfg.llm, dtype: 'BF16', shards: 2 });

const run = join(values.dir, `run-b${values.batch}-t${values.seq}${values.freeze ? `-freeze-${values.freeze}` : ''}`);
rmSync(run, { recursive: true, force: true });
const args = [
  '--import',
  'tsx',
  'src/cli/main.ts',
  'pretrain',
  '--vision',
  vision,
  '--llm',
  llm,
  '--connector',
  'pixelshuffle',
  '--image-tokens',
  '49',
  '--steps',
  values.steps,
  '--batch-size',
  values.batch,
  '--seq-len',
  values.seq,
  '--max-images',
  '1',
  '--lr',
  '1e-4',
  '--checkpoint-every',
  '100000',
  '--out',
  run,
  '-q',
  ...(values.freeze ? ['--freeze', values.freeze] : []),
];
// The child is polled once a second: its CPU time (/proc/PID/stat utime + stime, all threads)
// when each step's log line appears, and its peak RSS (VmHWM). On a shared machine the CPU
// seconds per step are the figure load does not inflate the way wall time does.
const TICKS = 100; // USER_HZ on Linux
const cpuOf = (pid: number): number => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
};
const peakOf = (pid: number): number => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 2 ** 20;
const logLines = (): number =>
  existsSync(join(run, 'log.jsonl')) ? readFileSync(join(run, 'log.jsonl'), 'utf8').trim().split('\n').filter(Boolean).length : 0;

const started = Date.now();
const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'] });
let stderr = '';
child.stderr.on('data', (d) => (stderr += d));
const stepCpu: number[] = [];
let peakGiB = 0;
const poll = setInterval(() => {
  try {
    peakGiB = Math.max(peakGiB, peakOf(child.pid!));
    const cpu = cpuOf(child.pid!);
    while (stepCpu.length < logLines()) stepCpu.push(cpu);
  } catch {
    // the child has exited between the check and the read
  }
}, 1000);
const code: number = await new Promise((resolve) => child.on('exit', (c) => resolve(c ?? 1)));
clearInterval(poll);
if (code !== 0) throw new Error(`pretrain failed (${code}):\n${stderr}`);
const log = readFileSync(join(run, 'log.jsonl'), 'utf8')
  .trim()
  .split('\n')
  .map((l) => JSON.parse(l) as { step: number; tokens_per_s: number; loss: number });
const B = Number(values.batch),
  T = Number(values.seq);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
// Steps after the second: the first builds ONNX Runtime's session, the second warms it.
const rate = median(log.slice(2).map((x) => x.tokens_per_s));
const cpuPerStep = median(stepCpu.slice(2).map((c, i) => c - stepCpu[i + 1]));
console.log(
  JSON.stringify({
    setting: { batch: B, seqLen: T, imagesPerSequence: 1, imageTokens: 49, freeze: values.freeze ?? 'none', steps: log.length },
    medianTokensPerSecond: Math.round(rate),
    // The step's non-padding tokens over its time; rows are packed full, so B·T / rate is the step time within the padding.
    stepWallSeconds: +((B * T) / rate).toFixed(2),
    stepCpuSeconds: +cpuPerStep.toFixed(2),
    firstStepWallSeconds: +((B * T) / log[0].tokens_per_s).toFixed(1),
    peakRssGiB: +peakGiB.toFixed(2),
    wallSeconds: Math.round((Date.now() - started) / 1000),
    load: readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' '),
    losses: log.map((x) => +x.loss.toFixed(3)),
  }),
);
