// The flat optimiser update (engine/flat_update.ts) must give the per-parameter update's
// losses, weights and optimiser state bit for bit, on one ONNX Runtime thread (the setting on
// which runs repeat exactly): for AdamW with clipping and three parameter groups, and for SGD
// with momentum and no clipping. And it must really be smaller.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { HostTensor } from '../../src/engine/host_tensor.js';
import type { OptimizerConfig, ParamGroup } from '../../src/engine/optim.js';
import { initParams } from '../../src/engine/param_store.js';
import { Rng } from '../../src/engine/rng.js';
import { TrainStep } from '../../src/engine/train_step.js';
import { LlmConfigSchema } from '../../src/model/build/config.js';
import { buildLmTraining } from '../../src/model/build/llm.js';
import type { Tensor } from '../../src/engine/graph.js';

const B = 2,
  T = 16,
  V = 12;
const cfg = LlmConfigSchema.parse({ vocabSize: V, width: 16, depth: 2, heads: 2, mlpHidden: 32, maxPositions: T });

/** Token t is followed by t + 1 (mod V): learnable in a few steps. */
function batch(rng: Rng): Record<string, HostTensor> {
  const ids = (f: (i: number) => number) => BigInt64Array.from({ length: B * T }, (_, i) => BigInt(f(i)));
  const tokens = ids(() => rng.int(V));
  return {
    tokens: { dtype: 'int64', shape: [B, T], data: tokens },
    targets: { dtype: 'int64', shape: [B * T], data: ids((i) => (Number(tokens[i]) + 1) % V) },
    segments: { dtype: 'int64', shape: [B, T], data: ids(() => 1) },
    positions: { dtype: 'int64', shape: [B, T], data: ids((i) => i % T) },
  };
}

// Three groups: matrices with decay, vectors without, and the embedding at half the LR.
const threeGroups = (name: string, p: Tensor): ParamGroup => ({ decay: p.rank >= 2, lrScale: name.includes('embed') ? 0.5 : 1 });

async function train(flatUpdate: boolean, optimizer: OptimizerConfig, clipNorm: number | null, steps = 6) {
  const { g, loss } = buildLmTraining(cfg, B, T);
  const ts = await TrainStep.create(g, loss, initParams(g, 4), { optimizer, clipNorm, group: threeGroups, threads: 1, flatUpdate });
  const rng = new Rng(9);
  const losses: number[] = [];
  const norms: number[] = [];
  for (let s = 0; s < steps; s++) {
    const r = await ts.run(batch(rng), 1e-2);
    losses.push(r.loss);
    norms.push(r.gradNorm);
  }
  const copy = (m: Map<string, HostTensor>) => new Map([...m].map(([k, v]) => [k, Float32Array.from(v.data as Float32Array)]));
  const out = { losses, norms, params: copy(ts.params), state: copy(ts.state), nodes: g.nodes.length };
  await ts.release();
  return out;
}

for (const [label, optimizer, clipNorm] of [
  ['AdamW, clipped at 0.5, three groups', { kind: 'adamw', weightDecay: 0.1 }, 0.5],
  ['SGD with momentum, no clipping', { kind: 'sgd', momentum: 0.9, weightDecay: 0.01 }, null],
] as [string, OptimizerConfig, number | null][])
  test(`flat update = per-parameter update bit for bit: ${label}`, async () => {
    const each = await train(false, optimizer, clipNorm);
    const flat = await train(true, optimizer, clipNorm);
    assert.ok(each.losses[5] < each.losses[0] - 0.05, `the loss should fall: ${each.losses}`);
    assert.deepEqual(flat.losses, each.losses);
    assert.deepEqual(flat.norms, each.norms);
    assert.deepEqual(flat.params, each.params);
    assert.deepEqual(flat.state, each.state);
    assert.ok(flat.nodes < each.nodes, `flat graph ${flat.nodes} nodes, per-parameter ${each.nodes}`);
  });
