// The CLIP stage's graph (model/clip.ts) for each way of pooling the image side: gradients
// against finite differences, where each pool's weights live, the mean and max pools against
// values computed by hand, and the error when 'cls' meets an encoder without a class token.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { HostTensor } from '../../src/engine/host_tensor.js';
import { Rng } from '../../src/engine/rng.js';
import { CompiledGraph } from '../../src/engine/session.js';
import { buildClip, type ClipPool } from '../../src/model/build/clip.js';
import { VisionConfigSchema, type VisionConfig } from '../../src/model/build/config.js';
import { parsePretrainConfig } from '../../src/train/config.js';
import { checkParamGrads, randomParams } from './param_gradcheck.js';

const B = 3,
  L = 4;
const shape = { B, L, vocabSize: 10, embed: 6 };
const vision = (pool: ClipPool): VisionConfig =>
  VisionConfigSchema.parse({ imageSize: 8, patchSize: 4, width: 8, depth: 1, heads: 2, mlpHidden: 16, classToken: pool === 'cls' });

function batch(seed: number): Record<string, HostTensor> {
  const rng = new Rng(seed);
  return {
    pixels: { dtype: 'float32', shape: [B, 3, 8, 8], data: Float32Array.from({ length: B * 3 * 64 }, () => rng.normal()) },
    caption: { dtype: 'int64', shape: [B, L], data: BigInt64Array.from([1, 2, 3, 0, 4, 5, 0, 0, 6, 7, 8, 9], BigInt) },
    caption_mask: { dtype: 'float32', shape: [B, L], data: Float32Array.from([1, 1, 1, 0, 1, 1, 0, 0, 1, 1, 1, 1]) },
  };
}

// The mean pool's path (encoder + reduceMean) is covered by the ViT's own checks (vit.test.ts).
for (const pool of ['attn', 'cls', 'max'] as const)
  test(`clip graph, pool '${pool}': every parameter's gradient of the contrastive loss matches finite differences`, async () => {
    // Temperature 1 keeps the logits O(1), so float32 finite differences stay accurate.
    const net = buildClip(vision(pool), shape, { pool, temperature: 1 });
    const analytic = await checkParamGrads(net.g, net.loss, batch(1), randomParams(net.g, 2));
    if (pool === 'attn') assert.ok(analytic.has('clip.image_pool.queries') && analytic.has('clip.image_pool.k_proj.weight'), [...analytic.keys()].join(', '));
    if (pool === 'cls') assert.ok(analytic.has('vision.class_embedding'));
  });

test("clip graph: the attention pool's weights live under 'clip.', so the encoder handed to pretraining ('vision.*') is the same for every pool", () => {
  const names = (pool: ClipPool) => buildClip(vision(pool), shape, { pool }).g.params.map((p) => p.name);
  const encoder = (pool: ClipPool) => names(pool).filter((n) => n.startsWith('vision.'));
  assert.deepEqual(encoder('attn'), encoder('mean'));
  assert.deepEqual(
    names('mean').filter((n) => !n.startsWith('vision.') && !n.startsWith('clip.')),
    [],
  );
  assert.deepEqual(
    names('attn')
      .filter((n) => n.startsWith('clip.image_pool.'))
      .sort(),
    [
      'clip.image_pool.k_proj.bias',
      'clip.image_pool.k_proj.weight',
      'clip.image_pool.ln_kv.bias',
      'clip.image_pool.ln_kv.weight',
      'clip.image_pool.ln_post.bias',
      'clip.image_pool.ln_post.weight',
      'clip.image_pool.ln_q.bias',
      'clip.image_pool.ln_q.weight',
      'clip.image_pool.out_proj.bias',
      'clip.image_pool.out_proj.weight',
      'clip.image_pool.proj.bias',
      'clip.image_pool.proj.weight',
      'clip.image_pool.q_proj.bias',
      'clip.image_pool.q_proj.weight',
      'clip.image_pool.queries',
      'clip.image_pool.v_proj.bias',
      'clip.image_pool.v_proj.weight',
    ],
  );
});

test("clip graph: the 'mean' pool is the average of the patch features, 'max' their per-channel maximum, and 'attn' neither", async () => {
  for (const pool of ['mean', 'max', 'attn'] as const) {
    const net = buildClip(vision(pool), shape, { pool });
    const s = await CompiledGraph.create(net.g, net.g.inputs, { feats: net.patchFeatures, pooled: net.pooledFeature }, { frozen: randomParams(net.g, 4) });
    const out = await s.run(batch(5));
    await s.release();
    const [, P, C] = out.feats.shape;
    const f = out.feats.data as Float32Array;
    const pooled = out.pooled.data as Float32Array;
    const worst = { mean: 0, max: 0 };
    for (let b = 0; b < B; b++)
      for (let c = 0; c < C; c++) {
        let m = 0;
        let top = -Infinity;
        for (let p = 0; p < P; p++) {
          m += f[(b * P + p) * C + c] / P;
          top = Math.max(top, f[(b * P + p) * C + c]);
        }
        worst.mean = Math.max(worst.mean, Math.abs(m - pooled[b * C + c]));
        worst.max = Math.max(worst.max, Math.abs(top - pooled[b * C + c]));
      }
    if (pool !== 'attn') assert.ok(worst[pool] < 1e-5, `${pool} pool differs from the hand ${pool} by ${worst[pool]}`);
    else assert.ok(worst.mean > 1e-2 && worst.max > 1e-2, 'the attention pool should reduce to neither the mean nor the max with random weights');
  }
});

test("clip graph: pool 'cls' on an encoder without a class token names the key to set", () => {
  assert.throws(() => buildClip(vision('mean'), shape, { pool: 'cls' }), /vision\.classToken.*model\.vision\.classToken to true/);
});

test('pretrain config: encoder.clipPool defaults to mean and refuses an unknown pool', () => {
  const base = { recipe: 'tiny', train: { steps: 1, batchSize: 1, seqLen: 8, maxImages: 1, lr: 1e-3 } };
  assert.equal(parsePretrainConfig(base).encoder.clipPool, 'mean');
  assert.equal(parsePretrainConfig({ ...base, encoder: { clipPool: 'attn' } }).encoder.clipPool, 'attn');
  assert.throws(() => parsePretrainConfig({ ...base, encoder: { clipPool: 'median' } }), /clipPool/);
});
