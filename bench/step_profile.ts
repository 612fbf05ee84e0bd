// Where the ablation base run's pretraining step spends its time (default scale: 64 px encoder,
// frozen, C-Abstractor, B 16 × T 320, ≤ 8 images): ONNX Runtime's profiler gives each node's
// kernel time; this prints the step's wall time against ONNX Runtime's own run (model_run; the
// rest is host work: feeds, onnxruntime-node's copies of the outputs), the totals per op type,
// the share of small nodes (< 0.2 ms each: the optimiser's per-parameter updates, norms,
// activations) and the slowest nodes with their shapes. Profiling adds a little to every node.
// node --import tsx bench/step_profile.ts [steps]
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ablationBatches, ablationTrainStep } from './ablation_step.js';
import { median } from './engine.js';

interface ProfileEvent {
  cat: string;
  name: string;
  ts: number;
  dur: number;
  args?: { op_name?: string; input_type_shape?: unknown; output_type_shape?: unknown };
}

const steps = Number(process.argv[2] ?? 6);
const WARM_UP = 2; // the first runs plan and allocate
const dir = mkdtempSync(join(tmpdir(), 'mm1-step-profile-'));
const ts = await ablationTrainStep({ profilePrefix: join(dir, 'profile') });
const [feeds] = await ablationBatches(1);
const count = (m: Map<string, { data: { length: number } }>) => [...m.values()].reduce((a, v) => a + v.data.length, 0);
const walls: number[] = [];
for (let i = 0; i < steps + WARM_UP; i++) {
  const t0 = performance.now();
  await ts.run(feeds, 1e-4);
  if (i >= WARM_UP) walls.push(performance.now() - t0);
}
ts.endProfiling();
await ts.release();
const file = join(dir, readdirSync(dir)[0]);
const events = JSON.parse(readFileSync(file, 'utf8')) as ProfileEvent[];
rmSync(dir, { recursive: true });

const counted = events.filter((e) => e.name === 'model_run').slice(WARM_UP);
const kernels = events.filter((e) => e.cat === 'Node' && e.name.endsWith('_kernel_time') && e.ts >= counted[0].ts);
const perStep = (us: number) => +(us / 1000 / counted.length).toFixed(1);
const byNode = new Map<string, { us: number; e: ProfileEvent }>();
for (const e of kernels) byNode.set(e.name, { us: (byNode.get(e.name)?.us ?? 0) + e.dur, e });
const byOp = new Map<string, { us: number; nodes: number }>();
for (const { us, e } of byNode.values()) {
  const k = e.args?.op_name ?? '?';
  const r = byOp.get(k) ?? { us: 0, nodes: 0 };
  byOp.set(k, { us: r.us + us, nodes: r.nodes + 1 });
}
const kernelUs = kernels.reduce((a, e) => a + e.dur, 0);
const smallUs = [...byNode.values()].filter((n) => n.us / counted.length < 200).reduce((a, n) => a + n.us, 0);
const wall = median(walls);
const ortRun = median(counted.map((e) => e.dur / 1000));
console.log(
  JSON.stringify({
    params: count(ts.params),
    optimizer_state: count(ts.state),
    nodes: byNode.size,
    wall_ms: +wall.toFixed(1),
    ort_run_ms: +ortRun.toFixed(1),
    host_share: +(1 - ortRun / wall).toFixed(3),
    kernel_ms: perStep(kernelUs),
    small_nodes: [...byNode.values()].filter((n) => n.us / counted.length < 200).length,
    small_nodes_ms: perStep(smallUs),
  }),
);
for (const [op, r] of [...byOp].sort((a, b) => b[1].us - a[1].us).slice(0, 16))
  console.log(JSON.stringify({ op, ms: perStep(r.us), nodes: r.nodes, share: +(r.us / kernelUs).toFixed(3) }));
for (const { us, e } of [...byNode.values()].sort((a, b) => b.us - a.us).slice(0, 12))
  console.log(JSON.stringify({ node: e.name.replace('_kernel_time', ''), op: e.args?.op_name, ms: perStep(us), in: e.args?.input_type_shape }));
