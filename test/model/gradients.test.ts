// Gradients of the LLM (every parameter, GQA + q/k/v biases, tied and untied heads), the
// splice (one Gather over [text; image] rows), and the whole multimodal model, against
// finite differences.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Graph } from '../../src/engine/graph.js';
import type { HostTensor } from '../../src/engine/host_tensor.js';
import * as op from '../../src/engine/ops/index.js';
import { Rng } from '../../src/engine/rng.js';
import { packedCausalMask } from '../../src/nn/attention.js';
import { Llm } from '../../src/model/build/llm.js';
import { buildMultimodalTraining, splice } from '../../src/model/build/multimodal.js';
import { batchFeeds } from '../../src/model/build/batch_feeds.js';
import { gradCheck } from '../helpers/gradcheck.js';
import { checkParamGrads, randomParams } from './param_gradcheck.js';
import { brightnessBatch, standInTower, tinyConfig } from './fixtures.js';

const ids = (shape: number[], values: number[]): HostTensor => ({ dtype: 'int64', shape, data: BigInt64Array.from(values, BigInt) });

for (const tie of [false, true])
  test(`LLM block: gradients of every parameter match finite differences (GQA, q/k/v bias, ${tie ? 'tied' : 'untied'} head)`, async () => {
    const cfg = tinyConfig({ depth: 1, tie, qkvBias: true, vocabSize: 12 }).llm;
    const B = 2,
      T = 5;
    const g = new Graph('llm_grad');
    const tokens = g.input('tokens', [B, T], 'int64');
    const positions = g.input('positions', [B, T], 'int64');
    const segments = g.input('segments', [B, T], 'int64');
    const llm = new Llm(g, cfg);
    const logits = llm.forward(llm.embed(tokens), positions, packedCausalMask(segments));
    // A fixed random weighting of the logits: every output matters, with its own sign.
    const rng = new Rng(3);
    const w = op.constant(
      g,
      Array.from({ length: B * T * cfg.vocabSize }, () => rng.normal()),
      'float32',
      [B, T, cfg.vocabSize],
    );
    const loss = op.div(op.reduceSum(op.mul(logits, w)), B * T);
    const data = {
      tokens: ids([B, T], [1, 5, 7, 2, 11, 3, 3, 0, 9, 4]),
      positions: ids([B, T], [0, 1, 2, 0, 1, 0, 1, 2, 3, 4]),
      segments: ids([B, T], [1, 1, 1, 2, 2, 1, 1, 1, 1, 1]),
    };
    const params = randomParams(g, 5);
    const analytic = await checkParamGrads(g, loss, data, params);
    assert.equal(analytic.size, tie ? 14 : 15);
    assert.ok(analytic.has('llm.layers.0.self_attn.k_proj.bias') && !analytic.has('llm.layers.0.self_attn.o_proj.bias'));
  });

test('splice: one Gather over [text; image] rows sends gradients to both sides (float64)', async () => {
  // 6 positions: text 0, image 2, image 0, text 3, image 1, text 5 (rows 6.. are image rows).
  await gradCheck(
    [
      [6, 3],
      [3, 3],
    ],
    ([text, image]) => splice(text, image, op.constant(text.graph, [0, 8, 6, 3, 7, 5], 'int64', [6])),
  );
});

test('multimodal model: every parameter of the tower and the LLM gets its finite-difference gradient through the splice', async () => {
  const cfg = tinyConfig({ depth: 1 });
  const m = buildMultimodalTraining(cfg, { B: 2, T: 6, N: 1 }, standInTower(cfg));
  const data = batchFeeds(brightnessBatch(cfg, 2, new Rng(4)), cfg);
  const analytic = await checkParamGrads(m.g, m.loss, data, randomParams(m.g, 6, 0.2));
  for (const name of ['vision.patch.weight', 'connector.proj.weight', 'llm.embed_tokens.weight'])
    assert.ok(Math.abs(analytic.get(name)!) > 1e-3, `${name} should receive a gradient, got ${analytic.get(name)}`);
});
