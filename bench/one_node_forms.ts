// Several forms of one small computation, each compiled as its own graph on one ONNX Runtime
// thread and run in turn (A B C …, reversed every other round, so load hits all alike): per
// form, ONNX Runtime's kernel time of a run (least over the counted runs: the kernels with the
// least of the waits for a core), the op types it ran (after its own fusions), the process CPU
// per call (median), and the largest difference of its output from the first form's of the same
// family (forms named "<family> …"). Used by bench/depthwise_grad.ts and bench/attention_products.ts.
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Graph, type Tensor } from '../src/engine/graph.js';
import type { HostTensor } from '../src/engine/host_tensor.js';
import { CompiledGraph } from '../src/engine/session.js';
import { measured } from './cpu_time.js';
import { median } from './engine.js';
import type { ProfileEvent } from './profile_gemms.js';

export type Form = (xs: Tensor[]) => Tensor;
const WARM_UP = 3; // the first runs plan and allocate

/** Deterministic float32 values in ±0.5 (no Rng: the benches only need the same inputs for every form). */
export function wave(shape: number[], seed: number): HostTensor {
  const n = shape.reduce((p, d) => p * d, 1);
  return { dtype: 'float32', shape, data: Float32Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898 + seed) * 0.5) };
}

export async function timeForms(forms: Record<string, Form>, inputs: Record<string, HostTensor>, runs: number): Promise<object[]> {
  const dir = mkdtempSync(join(tmpdir(), 'mm1-forms-'));
  const graphs: [string, CompiledGraph][] = [];
  for (const [i, [name, form]] of Object.entries(forms).entries()) {
    const g = new Graph(`form${i}`);
    const xs = Object.entries(inputs).map(([k, v]) => g.input(k, v.shape));
    graphs.push([name, await CompiledGraph.create(g, xs, { out: form(xs) }, { threads: 1, profilePrefix: join(dir, `f${i}`) })]);
  }
  const cpu = new Map<string, number[]>();
  const outs = new Map<string, Float32Array>();
  for (let r = 0; r < runs + WARM_UP; r++)
    for (const [name, cg] of r % 2 ? [...graphs].reverse() : graphs) {
      const m = await measured(() => cg.run(inputs));
      outs.set(name, m.value.out.data as Float32Array);
      if (r >= WARM_UP) cpu.set(name, [...(cpu.get(name) ?? []), m.cpuMs]);
    }
  const rows = graphs.map(([name, cg], i) => {
    cg.endProfiling();
    const events = JSON.parse(
      readFileSync(
        join(
          dir,
          readdirSync(dir).find((f) => f.startsWith(`f${i}_`))!,
        ),
        'utf8',
      ),
    ) as ProfileEvent[];
    const kernels = events.filter((e) => e.cat === 'Node' && e.name.endsWith('_kernel_time'));
    const perRun = events
      .filter((e) => e.name === 'model_run')
      .map((r) => kernels.filter((e) => e.ts >= r.ts && e.ts <= r.ts + r.dur).reduce((a, e) => a + e.dur, 0));
    const first = outs.get(graphs.find(([n]) => n.split(' ')[0] === name.split(' ')[0])![0])!;
    return {
      form: name,
      kernel_least_ms: +(Math.min(...perRun.slice(WARM_UP)) / 1000).toFixed(3),
      ops: [...new Set(kernels.map((e) => e.args?.op_name))].join(' '),
      median_cpu_ms: +median(cpu.get(name)!).toFixed(3),
      max_diff_vs_first: +outs
        .get(name)!
        .reduce((m, v, k) => Math.max(m, Math.abs(v - first[k])), 0)
        .toExponential(2),
    };
  });
  for (const [, cg] of graphs) await cg.release();
  rmSync(dir, { recursive: true });
  return rows;
}
