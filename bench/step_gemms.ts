// The ablation step's matrix products as ONNX Runtime runs them inside the step: its profiler on
// one intra-op thread, every MatMul / Gemm / FusedMatMul node grouped by its input shapes, with
// FLOPs and rates, then every op type's share of the kernel time and the costliest (op, output shape) groups. The profiler's times are wall
// times; on a shared machine they hold the waits for a core, so the rate is taken from each node's
// least kernel time over the steps: clean for nodes shorter than a scheduler slice (~1-3 ms a node),
// while longer ones are preempted in every step on a loaded machine and read far too low there (time
// those shapes as one-node graphs, bench/gemm_variants.ts). The shares use median times, so they
// hold the waits too, in rough proportion to each node's length.
// FLOPs of a node: 2 × (elements of its output) × K, K = (A's last two dims) / M, M = output[-2]
// (holds with transposed inputs and broadcast batch axes).
// nice -n 5 node --import tsx bench/step_gemms.ts [steps=4]
import { median } from './engine.js';
import { profiledAblationSteps } from './profiled_step.js';
import { gemmNodeStats } from './profile_gemms.js';

const steps = Number(process.argv[2] ?? 4);
const { events, runs } = await profiledAblationSteps(steps);
const counted = events.filter((e) => e.ts >= runs[0].ts);
const kernelUs = counted.filter((e) => e.cat === 'Node' && e.name.endsWith('_kernel_time')).reduce((a, e) => a + e.dur, 0) / runs.length;
const groups = gemmNodeStats(counted);
const gemmUs = groups.reduce((a, g) => a + g.medianUs, 0);
console.log(
  JSON.stringify({
    steps: runs.length,
    ort_run_ms: +median(runs.map((e) => e.dur / 1000)).toFixed(1),
    kernel_ms: +(kernelUs / 1000).toFixed(1),
    gemm_ms: +(gemmUs / 1000).toFixed(1),
    gemm_share: +(gemmUs / kernelUs).toFixed(3),
    gemm_gflop: +(groups.reduce((a, g) => a + g.flops, 0) / 1e9).toFixed(2),
  }),
);
console.log('| op | A | B | out | nodes | GFLOP | ms (least) | ms (median) | GFLOP/s (least) | share of kernel time |');
console.log('|---|---|---|---|---|---|---|---|---|---|');
for (const g of groups)
  console.log(
    `| ${g.op} | ${g.a} | ${g.b} | ${g.out} | ${g.nodes} | ${(g.flops / 1e9).toFixed(3)} | ${(g.leastUs / 1000).toFixed(2)} | ${(g.medianUs / 1000).toFixed(2)} | ` +
      `${(g.flops / g.leastUs / 1e3).toFixed(0)} | ${((100 * g.medianUs) / kernelUs).toFixed(1)}% |`,
  );

// Outside the products: each op type's share, then its costliest (op, output shape) groups.
const byOp = new Map<string, number>();
const byOpShape = new Map<string, { us: number; nodes: Set<string> }>();
for (const e of counted) {
  if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time')) continue;
  const name = e.args?.op_name ?? '?';
  byOp.set(name, (byOp.get(name) ?? 0) + e.dur);
  const key = `${name} [${Object.values(e.args?.output_type_shape?.[0] ?? {})[0] ?? ''}]`;
  const r = byOpShape.get(key) ?? { us: 0, nodes: new Set<string>() };
  r.us += e.dur;
  r.nodes.add(e.name);
  byOpShape.set(key, r);
}
const share = (us: number) => +(us / runs.length / kernelUs).toFixed(3);
for (const [op, us] of [...byOp].sort((p, q) => q[1] - p[1]).slice(0, 14)) console.log(JSON.stringify({ op, share: share(us) }));
for (const [key, r] of [...byOpShape].sort((p, q) => q[1].us - p[1].us).slice(0, 16))
  console.log(JSON.stringify({ op_out: key, nodes: r.nodes.size, share: share(r.us) }));
