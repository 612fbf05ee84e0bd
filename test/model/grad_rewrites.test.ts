// The decoder LM's loss gradients with the gradient rules' rewrites (softmax row sums through
// O = P·V, SiLU from σ and s) against the plain rules, in one float32 graph:
// every parameter's gradient agrees to float rounding, and the rewritten graph is smaller.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { grad } from '../../src/engine/autodiff.js';
import { liveNodes, type Tensor } from '../../src/engine/graph.js';
import type { HostTensor } from '../../src/engine/host_tensor.js';
import { CompiledGraph } from '../../src/engine/session.js';
import { buildLmTraining } from '../../src/model/build/llm.js';
import { randomParams } from './param_gradcheck.js';
import { tinyConfig } from './fixtures.js';

const ids = (shape: number[], values: number[]): HostTensor => ({ dtype: 'int64', shape, data: BigInt64Array.from(values, BigInt) });

test('LM (GQA, SwiGLU, tied head): rewritten and plain gradients agree to 1e-5 for every parameter', async () => {
  const B = 2,
    T = 6;
  const cfg = tinyConfig({ depth: 2, tie: true, vocabSize: 12 }).llm;
  const { g, loss } = buildLmTraining(cfg, B, T);
  const plain = grad(loss, g.params, { rewrites: false });
  const rewritten = grad(loss, g.params, { rewrites: true });
  const outputs: Record<string, Tensor> = { loss };
  g.params.forEach((_, i) => {
    outputs[`plain${i}`] = plain[i];
    outputs[`rewritten${i}`] = rewritten[i];
  });
  const compiled = await CompiledGraph.create(g, [...g.inputs, ...g.params], outputs, { threads: 1 });
  const out = await compiled.run({
    tokens: ids([B, T], [1, 5, 7, 2, 11, 3, 3, 0, 9, 4, 8, 6]),
    targets: ids([B * T], [5, 7, 2, -100, 3, 3, 0, 9, 4, 8, 6, 1]),
    segments: ids([B, T], [1, 1, 1, 2, 2, 2, 1, 1, 1, 1, 1, 1]),
    positions: ids([B, T], [0, 1, 2, 0, 1, 2, 0, 1, 2, 3, 4, 5]),
    ...Object.fromEntries(randomParams(g, 7)),
  });
  await compiled.release();
  g.params.forEach((p, i) => {
    const a = out[`plain${i}`].data as Float32Array;
    const b = out[`rewritten${i}`].data as Float32Array;
    const scale = Math.max(...a.map(Math.abs));
    assert.ok(scale > 0, `${p.name}: a zero gradient checks nothing`);
    const worst = Math.max(...a.map((v, k) => Math.abs(v - b[k])));
    assert.ok(worst <= 1e-5 * Math.max(1, scale), `${p.name}: rewritten differs from plain by ${worst} (largest |gradient| ${scale})`);
  });
  const nodes = (gs: Tensor[]) => liveNodes(g, gs).length;
  assert.ok(nodes(rewritten) < nodes(plain), `rewritten gradients take ${nodes(rewritten)} nodes, plain ${nodes(plain)}`);
});
