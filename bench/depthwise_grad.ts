// The depthwise 3×3 convolution's gradients at the C-Abstractor's shape in the ablation step
// (x, dy [128, 64, 8, 8], w [64, 1, 3, 3], stride 1, padding 1), each form as its own small
// graph on one ONNX Runtime thread: the least kernel-plus-call time over the runs, and the
// process CPU per call, in turn A B C … so load hits all alike. Forms of dx: ConvTranspose
// (conv.ts's general rule) against a Conv with the kernel flipped. Forms of dw: the general
// rule's grouped Conv with the batch on the channel axis, nine shifted products summed, the
// shifts made by a one-hot depthwise Conv then one product and sum, and one depthwise Conv per
// (sample, channel) with dy as the kernel.
// MM1_ORT_THREADS=1 nice -n 10 node --import tsx bench/depthwise_grad.ts [runs=30] [N=128] [C=64] [S=8]
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Graph, type Tensor } from '../src/engine/graph.js';
import type { ProfileEvent } from './profile_gemms.js';
import * as op from '../src/engine/ops/index.js';
import { CompiledGraph } from '../src/engine/session.js';
import type { HostTensor } from '../src/engine/host_tensor.js';
import { measured } from './cpu_time.js';
import { median } from './engine.js';

const [runs, N, C, S] = [30, 128, 64, 8].map((d, i) => Number(process.argv[2 + i] ?? d));
const K = 3;

type Form = (x: Tensor, gy: Tensor, w: Tensor) => Tensor;
const onehot = (g: Graph) => {
  const data = new Float32Array(C * K * K * K * K);
  for (let c = 0; c < C; c++) for (let s = 0; s < K * K; s++) data[(c * K * K + s) * K * K + s] = 1;
  return g.constant({ dtype: 'float32', shape: [C * K * K, 1, K, K], data }, 'onehot');
};
const flip = (w: Tensor) => {
  const rev = op.constant(w.graph, [2, 1, 0], 'int64', [3]);
  return op.gather(op.gather(w, rev, 2), rev, 3);
};
const FORMS: Record<string, Form> = {
  'dx ConvTranspose': (_x, gy, w) =>
    gy.graph.node('ConvTranspose', [gy, w], [{ shape: gy.shape, dtype: gy.dtype }], { strides: [1, 1], pads: [1, 1, 1, 1], group: C, kernel_shape: [K, K] })[0],
  'dx Conv, kernel flipped': (_x, gy, w) => op.conv2d(gy, flip(w), null, { padding: K - 1 - 1, groups: C }),
  'dw grouped Conv (general rule)': (x, gy) => {
    const xg = op.reshape(op.transpose(x, [1, 0, 2, 3]), [1, C * N, S, S]);
    const dyT = op.transpose(gy, [1, 0, 2, 3]);
    const gw = x.graph.node('Conv', [xg, dyT], [{ shape: [1, C, K, K], dtype: x.dtype }], {
      strides: [1, 1],
      pads: [1, 1, 1, 1],
      group: C,
      kernel_shape: [S, S],
    })[0];
    return op.transpose(gw, [1, 0, 2, 3]);
  },
  'dw nine shifted products': (x, gy) => {
    const xp = x.graph.node('Pad', [x, op.int64s(x.graph, [0, 0, 1, 1, 0, 0, 1, 1])], [{ shape: [N, C, S + 2, S + 2], dtype: x.dtype }])[0];
    const parts: Tensor[] = [];
    for (let i = 0; i < K; i++)
      for (let j = 0; j < K; j++) parts.push(op.reduceSum(op.mul(op.slice(op.slice(xp, 2, i, i + S), 3, j, j + S), gy), [0, 2, 3], true));
    return op.reshape(op.concat(parts, 2), [C, 1, K, K]);
  },
  'dw one-hot shifts, one product': (x, gy) => {
    const u = op.reshape(op.conv2d(x, onehot(x.graph), null, { padding: 1, groups: C }), [N, C, K * K, S * S]);
    return op.reshape(op.reduceSum(op.mul(u, op.reshape(gy, [N, C, 1, S * S])), [0, 3]), [C, 1, K, K]);
  },
  'dw a Conv per (sample, channel)': (x, gy) => {
    const xs = op.reshape(x, [1, N * C, S, S]);
    const k = op.reshape(gy, [N * C, 1, S, S]);
    const y = x.graph.node('Conv', [xs, k], [{ shape: [1, N * C, K, K], dtype: x.dtype }], {
      strides: [1, 1],
      pads: [1, 1, 1, 1],
      group: N * C,
      kernel_shape: [S, S],
    })[0];
    return op.reshape(op.reduceSum(op.reshape(y, [N, C * K * K]), [0]), [C, 1, K, K]);
  },
};

const rand = (shape: number[], seed: number): HostTensor => {
  const n = shape.reduce((p, d) => p * d, 1);
  return { dtype: 'float32', shape, data: Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898 + seed) * 0.5) };
};
const feeds = { x: rand([N, C, S, S], 1), gy: rand([N, C, S, S], 2), w: rand([C, 1, K, K], 3) };
const graphs: [string, CompiledGraph][] = [];
const dir = mkdtempSync(join(tmpdir(), 'mm1-depthwise-'));
for (const [i, [name, form]] of Object.entries(FORMS).entries()) {
  const g = new Graph(name.replace(/\W+/g, '_'));
  const [x, gy, w] = [g.input('x', [N, C, S, S]), g.input('gy', [N, C, S, S]), g.input('w', [C, 1, K, K])];
  graphs.push([name, await CompiledGraph.create(g, [x, gy, w], { out: form(x, gy, w) }, { threads: 1, profilePrefix: join(dir, `f${i}`) })]);
}
const wall = new Map<string, number[]>();
const cpu = new Map<string, number[]>();
const outs = new Map<string, Float32Array>();
for (let r = 0; r < runs + 3; r++)
  for (const [name, cg] of r % 2 ? [...graphs].reverse() : graphs) {
    const m = await measured(() => cg.run(feeds));
    outs.set(name, m.value.out.data as Float32Array);
    if (r < 3) continue; // plan and allocate
    wall.set(name, [...(wall.get(name) ?? []), m.wallMs]);
    cpu.set(name, [...(cpu.get(name) ?? []), m.cpuMs]);
  }
// ONNX Runtime's kernel time of each run (all of a form's nodes), least over the counted runs.
const kernelMs = graphs.map(([, cg], i) => {
  cg.endProfiling();
  const file = readdirSync(dir).find((f) => f.startsWith(`f${i}_`))!;
  const events = JSON.parse(readFileSync(join(dir, file), 'utf8')) as ProfileEvent[];
  const perRun = events
    .filter((e) => e.name === 'model_run')
    .map((r) =>
      events.filter((e) => e.cat === 'Node' && e.name.endsWith('_kernel_time') && e.ts >= r.ts && e.ts <= r.ts + r.dur).reduce((a, e) => a + e.dur, 0),
    );
  return Math.min(...perRun.slice(3)) / 1000;
});
rmSync(dir, { recursive: true });
const ref = (name: string) => outs.get(graphs.find(([n]) => n.slice(0, 2) === name.slice(0, 2))![0])!;
for (const [k, [name]] of graphs.entries()) {
  const o = outs.get(name)!;
  const r = ref(name);
  const diff = o.reduce((m, v, i) => Math.max(m, Math.abs(v - r[i])), 0);
  console.log(
    JSON.stringify({
      form: name,
      kernel_least_ms: +kernelMs[k].toFixed(3),
      least_ms: +Math.min(...wall.get(name)!).toFixed(3),
      median_cpu_ms: +median(cpu.get(name)!).toFixed(3),
      max_diff_vs_first: +diff.toExponential(2),
    }),
  );
}
for (const [, cg] of graphs) await cg.release();
