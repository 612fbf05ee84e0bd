// The ablation step's work outside the matrix products, by who emitted it: ONNX Runtime's
// profiler over the step on one intra-op thread (as bench/step_gemms.ts), every node's kernel
// time summed per (op type, output shape, builder). The builder is read from the call stack when
// the node was added to the graph: the first frames outside graph.ts and the generic op helpers,
// so a forward node reads e.g. `silu@ops/elementwise.ts ← nn/mlp.ts:38` and a gradient node the
// line of the gradient rule that made it (`ops/normalize.ts:49` is the Softmax rule). Nodes ONNX
// Runtime fused or made itself keep no builder ("(ORT)"). Shares are of the median step's kernel
// time; on a loaded machine they hold waits for a core in rough proportion to each node's length.
// MM1_ORT_THREADS=1 nice -n 10 node --import tsx bench/step_elementwise.ts [steps=4] [rows=30]
import type { ProfileEvent } from './profile_gemms.js';
import { profiledAblationSteps } from './profiled_step.js';
import { Graph } from '../src/engine/graph.js';

const steps = Number(process.argv[2] ?? 4);
const rows = Number(process.argv[3] ?? 30);

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
  // A gradient node: the op it is and the rule (the frame that called into it from autodiff).
  const rule = useful.findIndex((f) => f.includes('autodiff.ts'));
  builders.set(`n${this.nodes.length - 1}`, rule > 0 ? `grad ${useful[0]} in ${useful[rule - 1]}` : label);
  return out;
};
function short(frame: string): string {
  const m = /at (?:(\S+) )?\(?.*\/src\/(.*?):(\d+):\d+\)?$/.exec(frame.trim());
  if (!m) return frame.trim();
  const fn = m[1] && !m[1].startsWith('Object.') && m[1] !== '<anonymous>' ? `${m[1]}@` : '';
  return `${fn}${m[2]}:${m[3]}`;
}

const { events, runs } = await profiledAblationSteps(steps, () => (Graph.prototype.node = original));
const kernels = events.filter((e) => e.ts >= runs[0].ts && e.cat === 'Node' && e.name.endsWith('_kernel_time'));
const kernelUs = kernels.reduce((a, e) => a + e.dur, 0) / runs.length;
// Per group: the summed time (shares) and, per node, its least time over the steps (less of
// the waits for a core: the figure to compare between two profiles on a loaded machine).
interface Group {
  us: number;
  nodes: Set<string>;
  least: Map<string, number>;
}
const byOp = new Map<string, Group>();
const byGroup = new Map<string, Group>();
const bump = (m: Map<string, Group>, key: string, e: ProfileEvent) => {
  const r = m.get(key) ?? { us: 0, nodes: new Set<string>(), least: new Map<string, number>() };
  r.us += e.dur;
  r.nodes.add(e.name);
  r.least.set(e.name, Math.min(r.least.get(e.name) ?? Infinity, e.dur));
  m.set(key, r);
};
const leastMs = (r: Group) => ([...r.least.values()].reduce((a, v) => a + v, 0) / 1000).toFixed(2);
for (const e of kernels) {
  const opName = e.args?.op_name ?? '?';
  const node = e.name.replace('_kernel_time', '');
  const out = Object.values(e.args?.output_type_shape?.[0] ?? {})[0] ?? [];
  bump(byOp, opName, e);
  bump(byGroup, `${opName} [${out}] ${builders.get(node) ?? '(ORT)'}`, e);
}
const share = (us: number) => +(us / runs.length / kernelUs).toFixed(4);
console.log(
  JSON.stringify({
    steps: runs.length,
    kernel_ms: +(kernelUs / 1000).toFixed(1),
    ort_run_ms: +(runs.map((e) => e.dur).sort((a, b) => a - b)[runs.length >> 1] / 1000).toFixed(1),
  }),
);
const least = [...byOp.values()].reduce((a, r) => a + Number(leastMs(r)), 0);
console.log(`least kernel ms a step (sum of each node's least): ${least.toFixed(1)}`);
console.log('| op type | nodes | share of kernel time | ms (least) |\n|---|---|---|---|');
for (const [op, r] of [...byOp].sort((p, q) => q[1].us - p[1].us).slice(0, 16))
  console.log(`| ${op} | ${r.nodes.size} | ${(100 * share(r.us)).toFixed(1)}% | ${leastMs(r)} |`);
console.log('\n| op [output] builder | nodes | share | ms (least) |\n|---|---|---|---|');
for (const [key, r] of [...byGroup].sort((p, q) => q[1].us - p[1].us).slice(0, rows))
  console.log(`| ${key} | ${r.nodes.size} | ${(100 * share(r.us)).toFixed(2)}% | ${leastMs(r)} |`);
