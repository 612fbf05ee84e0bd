// Where the ablation base run's data CPU goes (default scale: pictures drawn at 128 px and
// shrunk to the 64 px encoder, B 16 × T 320, ≤ 8 pictures a sequence — bench/pipeline.ts's job):
// V8's sampling profiler (node:inspector) over N batches of the packed world stream, after a
// warm-up; self time is summed per function and per stage (the stage is decided by the source
// file and function name: rasteriser by primitive, resize, normalise, scenes and text, packing,
// garbage collection). Prints each row's share of the samples, and its CPU ms per batch and µs
// per picture as that share of the main thread's measured CPU time (bench/thread_cpu.ts). V8
// samples on a wall-clock tick, so on a machine busier than its cores the thread's waits for a
// core land on whatever function was running when it lost the core (sampled_ms_per_batch then
// exceeds cpu_ms_per_batch); that happens at points spread over the work, so the shares hold
// on average, only noisier — hence the CPU figures from shares, not from sampled time.
// node --import tsx bench/pipeline_profile.ts [batches] [job index, default 2: the ablation run]
import { Session } from 'node:inspector/promises';
import { worldTokenizer } from '../src/train/world_data.js';
import { PIPELINE_JOBS, pipelineStream } from './pipeline.js';
import { threadCpuMs } from './thread_cpu.js';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** The stage a function belongs to: its file, and for the rasteriser its primitive. */
function stageOf(f: CallFrame): string {
  const file = f.url.split('/').pop() ?? '';
  const fn = f.functionName;
  if (fn === '(garbage collector)') return 'garbage collection';
  if (file === 'render.ts') {
    if (fn === 'paintBackground' || fn === 'pixelNoise' || fn === 'clampInt') return 'render: background';
    if (fn === 'paintText') return 'render: words (glyphs)';
    if (fn === 'paintDots') return 'render: dots';
    if (fn === 'surfaceRgb' || fn === 'surfaceOf') return 'render: surface colour (patterns)';
    return 'render: shapes (sdf, supersampling, blend)';
  }
  if (['geometry.ts', 'coverage.ts', 'polygon.ts'].includes(file)) return 'render: shapes (sdf, supersampling, blend)';
  if (file === 'font.ts') return 'render: words (glyphs)';
  if (file === 'vizwiz.ts') return 'VizWiz degradations (blur, darken, cover)';
  if (file === 'resize.ts') return 'resize (bicubic)';
  if (file === 'normalize.ts') return 'normalise';
  if (['packing.ts', 'batches.ts', 'doc_tokens.ts', 'packed_batch.ts', 'chat.ts', 'mixture.ts'].includes(file)) return 'tokenise and pack';
  if (['tokenizer.ts', 'word_tokenizer.ts'].includes(file)) return 'tokenise and pack';
  if (['image.ts', 'subimage.ts', 'image_tokens.ts'].includes(file)) return 'preprocess (crop, slots)';
  if (f.url.includes('/data/world/')) return 'scenes and text (world)';
  if (fn === '(program)' || fn === '(idle)') return 'VM, other';
  if (f.url.startsWith('node:') || f.url === '') return 'VM, builtins, other';
  return `other: ${file}`;
}

const batches = Number(process.argv[2] ?? 20);
const job = PIPELINE_JOBS[Number(process.argv[3] ?? 2)];
const model = job.model(worldTokenizer(2).vocabSize);
const stream = pipelineStream(job, model, job.renderSizes[0]);
// each batch handed back before the next is drawn, as the training loop does (packed_feeds.ts)
const drawOne = async () => stream.recycle(await stream.next());
for (let i = 0; i < 3; i++) await drawOne(); // warm-up: JIT, resize taps

const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.setSamplingInterval', { interval: 200 });
await session.post('Profiler.start');
const pictures0 = stream.stats.images;
const cpu0 = threadCpuMs();
for (let i = 0; i < batches; i++) await drawOne();
const cpuMs = threadCpuMs() - cpu0;
const { profile } = (await session.post('Profiler.stop')) as { profile: Profile };
session.disconnect();
const pictures = stream.stats.images - pictures0;

const selfUs = new Map<number, number>();
for (let i = 0; i < profile.samples.length; i++) selfUs.set(profile.samples[i], (selfUs.get(profile.samples[i]) ?? 0) + profile.timeDeltas[i]);
const byStage = new Map<string, number>();
const byFunction = new Map<string, number>();
let total = 0;
for (const node of profile.nodes) {
  const us = selfUs.get(node.id) ?? 0;
  if (!us) continue;
  const f = node.callFrame;
  if (f.functionName === '(idle)') continue;
  total += us;
  byStage.set(stageOf(f), (byStage.get(stageOf(f)) ?? 0) + us);
  const key = `${f.functionName || '(anonymous)'} ${f.url.split('/').pop()}:${f.lineNumber + 1}`;
  byFunction.set(key, (byFunction.get(key) ?? 0) + us);
}
const row = (us: number) => ({
  share: +(us / total).toFixed(3),
  cpu_ms_per_batch: +(((us / total) * cpuMs) / batches).toFixed(2),
  cpu_us_per_picture: +(((us / total) * cpuMs * 1000) / pictures).toFixed(1),
});
const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);
console.log(
  JSON.stringify({
    job: job.label,
    render_size: job.renderSizes[0],
    batches,
    pictures_per_batch: +(pictures / batches).toFixed(1),
    cpu_ms_per_batch: +(cpuMs / batches).toFixed(1),
    sampled_ms_per_batch: +(total / 1000 / batches).toFixed(1),
  }),
);
for (const [stage, us] of sorted(byStage)) console.log(JSON.stringify({ stage, ...row(us) }));
for (const [fn, us] of sorted(byFunction).slice(0, Number(process.env.TOP ?? 25))) console.log(JSON.stringify({ fn, ...row(us) }));
