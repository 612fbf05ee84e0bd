// A model trained at one resolution runs and fine-tunes at others once its position tables
// are resized (MM1's high-resolution SFT), and resizing to the trained size changes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Graph } from '../../src/engine/graph.js';
import * as op from '../../src/engine/ops/index.js';
import { CompiledGraph } from '../../src/engine/session.js';
import { initParams, type ParamValues } from '../../src/engine/param_store.js';
import { TrainStep } from '../../src/engine/train_step.js';
import { Rng } from '../../src/engine/rng.js';
import type { HostTensor } from '../../src/engine/host_tensor.js';
import { ConnectorConfigSchema, VisionConfigSchema } from '../../src/model/build/config.js';
import { connect } from '../../src/model/build/connectors/index.js';
import { patchGrid, visionEncoder } from '../../src/model/build/vit.js';
import { adaptToResolution } from '../../src/model/build/pos_interp.js';

const vision = VisionConfigSchema.parse({ imageSize: 64, patchSize: 8, width: 16, depth: 1, heads: 2, mlpHidden: 32, classToken: true, preNorm: true });
const connector = ConnectorConfigSchema.parse({ kind: 'cabstractor', tokens: 4, depth: 1, hidden: 16 });
const N = 2,
  K = 4,
  D = 8;

function build(size: number) {
  const g = new Graph(`vlm${size}`);
  const pixels = g.input('pixels', [N, 3, size, size]);
  const target = g.input('target', [N, K, D]);
  const out = connect(g, connector, visionEncoder(g, vision, pixels), patchGrid(vision, size), D); // [N, k, D]
  const diff = op.sub(out, target);
  return { g, pixels, out, loss: op.reduceMean(op.mul(diff, diff)) };
}

const rng = new Rng(11);
const host = (shape: number[]): HostTensor => ({
  dtype: 'float32',
  shape,
  data: Float32Array.from({ length: shape.reduce((p, d) => p * d, 1) }, () => rng.normal()),
});
const target = host([N, K, D]);

async function train(size: number, params: ParamValues | null, steps: number): Promise<{ params: ParamValues; losses: number[] }> {
  const { g, loss } = build(size);
  const ts = await TrainStep.create(g, loss, params ?? initParams(g, 4), { optimizer: { kind: 'adamw', weightDecay: 0 }, threads: 1 });
  const data = { pixels: host([N, 3, size, size]), target };
  const losses: number[] = [];
  for (let s = 0; s < steps; s++) losses.push((await ts.run(data, 1e-2)).loss);
  await ts.release();
  return { params: ts.params, losses };
}

async function forward(size: number, params: ParamValues, pixels: HostTensor): Promise<HostTensor> {
  const { g, pixels: px, out } = build(size);
  const run = await CompiledGraph.create(g, [px, ...g.params], { out }, { threads: 1 });
  const y = (await run.run({ pixels, ...Object.fromEntries(params) })).out;
  await run.release();
  return y;
}

test('trained at 64 px, the model runs at 96 and 128 px via interpolation and fine-tunes at 96', async () => {
  const trained = await train(64, null, 6);
  assert.ok(trained.losses[5] < trained.losses[0], `loss at 64 px should fall: ${trained.losses}`);

  // At the trained resolution, interpolation reproduces every parameter bit and the forward.
  const same = adaptToResolution(trained.params, vision, 64);
  for (const [name, v] of trained.params) assert.deepEqual(same.get(name)!.data, v.data, name);
  const px64 = host([N, 3, 64, 64]);
  assert.deepEqual((await forward(64, same, px64)).data, (await forward(64, trained.params, px64)).data);

  for (const size of [96, 128]) {
    const grid = size / 8;
    const adapted = adaptToResolution(trained.params, vision, size);
    assert.deepEqual(adapted.get('vision.position_embedding')!.shape, [1 + grid * grid, 16]);
    assert.deepEqual(adapted.get('connector.pos_emb')!.shape, [grid * grid, 16]);
    const y = await forward(size, adapted, host([N, 3, size, size]));
    assert.deepEqual(y.shape, [N, K, D]);
    assert.ok(Array.from(y.data as Float32Array).every(Number.isFinite), `non-finite output at ${size} px`);
  }

  const tuned = await train(96, adaptToResolution(trained.params, vision, 96), 4);
  assert.ok(tuned.losses[3] < tuned.losses[0], `fine-tuning at 96 px should lower the loss: ${tuned.losses}`);
});

test('adaptToResolution refuses sizes that are not a multiple of the patch and values without a ViT', () => {
  assert.throws(() => adaptToResolution(new Map(), vision, 100), /100 px is not a multiple of the patch size 8/);
  assert.throws(() => adaptToResolution(new Map(), vision, 96), /no 'vision.position_embedding'/);
});
