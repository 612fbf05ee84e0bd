// The ablation step's work outside the matrix products, by who emitted it: ONNX Runtime's
// profiler over the step on one intra-op thread (as bench/step_gemms.ts), every node's kernel
// time summed per (op type, output shape, builder). The builder is read from the call stack when
// the node was added to the graph: the first frames outside graph.ts and the generic op helpers,
// so a forward node reads e.g. `silu@ops/elementwise.ts ← nn/mlp.ts:38` and a gradient node the
// line of the gradient rule that made it (`ops/normalize.ts:49` is the Softmax rule). Nodes ONNX
// Runtime fused or made itself keep no builder ("(ORT)"). Shares are of the median step's kernel
// time; on a loaded machine they hold waits for a core in rough proportion to each node's length.
// MM1_ORT_THREADS=1 nice -n 10 node --import tsx bench/step_elementwise.ts [steps=4] [rows=30]
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ablationBatches, ablationTrainStep } from './ablation_step.js';
import type { ProfileEvent } from './profile_gemms.js';
import { Graph } from '../src/engine/graph.js';

const steps = Number(process.argv[2] ?? 4);
const rows = Number(process.argv[3] ?? 30);
const WARM_UP = 2; // the first runs plan and allocate

// Frames that say nothing about who asked for the node: the graph itself and the one-line op
// wrappers every builder goes through.
const PLUMBING = /engine\/graph\.ts|engine\/ops\/util\.ts|at (binary|unary|Module\.(binary|unary)) /;
const builders = new Map<string, string>();
const original = Graph.prototype.node;
Graph.prototype.node = function (this: Graph, ...args: Parameters<Graph['node']>) {
  const out = original.apply(this, args);
  const frames = (new Error().stack ?? '').split('\n').slice(2);
  const useful = frames.filter((f) => f.includes('/src/') && !PLUMBING.test(f)).map(short);
  // The op-level frame and the first frame outside the engine (the module that built it).
  const outside = useful.find((f) => !f.includes('engine/'));
  const label = useful[0] === outside || !outside ? (useful[0] ?? '?') : `${useful[0]} ← ${outside}`;
  builders.set(`n${this.nodes.length - 1}`, useful.some((f) => f.includes('autodiff.ts')) ? `grad ${useful[0]}` : label);
  return out;
};
function short(frame: string): string {
  const m = /at (?:(\S+) )?\(?.*\/src\/(.*?):(\d+):\d+\)?$/.exec(frame.trim());
  if (!m) return frame.trim();
  const fn = m[1] && !m[1].startsWith('Object.') && m[1] !== '<anonymous>' ? `${m[1]}@` : '';
  return `${fn}${m[2]}:${m[3]}`;
}

const dir = mkdtempSync(join(tmpdir(), 'mm1-step-elementwise-'));
const ts = await ablationTrainStep({ profilePrefix: join(dir, 'profile'), threads: 1 });
Graph.prototype.node = original;
const [feeds] = await ablationBatches(1);
for (let i = 0; i < steps + WARM_UP; i++) await ts.run(feeds, 1e-4);
ts.endProfiling();
await ts.release();
const events = JSON.parse(readFileSync(join(dir, readdirSync(dir)[0]), 'utf8')) as ProfileEvent[];
rmSync(dir, { recursive: true });

const runs = events.filter((e) => e.name === 'model_run').slice(WARM_UP);
const kernels = events.filter((e) => e.ts >= runs[0].ts && e.cat === 'Node' && e.name.endsWith('_kernel_time'));
const kernelUs = kernels.reduce((a, e) => a + e.dur, 0) / runs.length;
const byOp = new Map<string, { us: number; nodes: Set<string> }>();
const byGroup = new Map<string, { us: number; nodes: Set<string> }>();
const bump = (m: typeof byOp, key: string, e: ProfileEvent) => {
  const r = m.get(key) ?? { us: 0, nodes: new Set<string>() };
  r.us += e.dur;
  r.nodes.add(e.name);
  m.set(key, r);
};
for (const e of kernels) {
  const opName = e.args?.op_name ?? '?';
  const node = e.name.replace('_kernel_time', '');
  const out = Object.values(e.args?.output_type_shape?.[0] ?? {})[0] ?? [];
  bump(byOp, opName, e);
  bump(byGroup, `${opName} [${out}] ${builders.get(node) ?? '(ORT)'}`, e);
}
const share = (us: number) => +(us / runs.length / kernelUs).toFixed(4);
console.log(JSON.stringify({ steps: runs.length, kernel_ms: +(kernelUs / 1000).toFixed(1), ort_run_ms: +(runs.map((e) => e.dur).sort((a, b) => a - b)[runs.length >> 1] / 1000).toFixed(1) }));
console.log('| op type | nodes | share of kernel time |\n|---|---|---|');
for (const [op, r] of [...byOp].sort((p, q) => q[1].us - p[1].us).slice(0, 16)) console.log(`| ${op} | ${r.nodes.size} | ${(100 * share(r.us)).toFixed(1)}% |`);
console.log('\n| op [output] builder | nodes | share |\n|---|---|---|');
for (const [key, r] of [...byGroup].sort((p, q) => q[1].us - p[1].us).slice(0, rows))
  console.log(`| ${key} | ${r.nodes.size} | ${(100 * share(r.us)).toFixed(2)}% |`);
