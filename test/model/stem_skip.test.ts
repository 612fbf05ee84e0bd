// vision.stemSkip 'concat' (vit.ts): the encoder's patch tokens are the blocks' output beside
// the conv stem's own LayerNormed tokens, [N, P, 2C]. Checked here: the two halves against
// independent computations (the encoder without the skip; the stem's raw output normed on the
// host), gradients against finite differences, and the 2C width reaching the CLIP head and
// every connector kind through graphs that compile and run, also after a resolution change.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Graph } from '../../src/engine/graph.js';
import type { HostTensor } from '../../src/engine/host_tensor.js';
import type { ParamValues } from '../../src/engine/param_store.js';
import { Rng } from '../../src/engine/rng.js';
import { CompiledGraph } from '../../src/engine/session.js';
import { buildClip } from '../../src/model/build/clip.js';
import { ConnectorConfigSchema, VisionConfigSchema, type ConnectorConfig, type VisionConfig } from '../../src/model/build/config.js';
import { connect } from '../../src/model/build/connectors/index.js';
import { convStem } from '../../src/model/build/conv_stem.js';
import { adaptToResolution } from '../../src/model/build/pos_interp.js';
import { encoderOutputWidth, patchGrid, visionEncoder } from '../../src/model/build/vit.js';
import { gradCheck } from '../helpers/gradcheck.js';
import { checkParamGrads, randomParams } from './param_gradcheck.js';

const C = 8;
const skip = (over: Partial<VisionConfig> = {}): VisionConfig =>
  VisionConfigSchema.parse({ imageSize: 8, patchSize: 4, width: C, depth: 2, heads: 2, mlpHidden: 16, stem: 'conv', stemSkip: 'concat', ...over });
const pixelsOf = (n: number, size: number, seed: number): HostTensor => {
  const rng = new Rng(seed);
  return { dtype: 'float32', shape: [n, 3, size, size], data: Float32Array.from({ length: n * 3 * size * size }, () => rng.normal()) };
};

/** Runs `build` on pixels [N, 3, S, S] with the given parameter values; returns the output. */
async function run(
  build: (g: Graph, px: ReturnType<Graph['input']>) => ReturnType<Graph['input']>,
  pixels: HostTensor,
  params: ParamValues,
): Promise<HostTensor> {
  const g = new Graph('stem_skip');
  const px = g.input('pixels', pixels.shape);
  const y = build(g, px);
  const s = await CompiledGraph.create(g, [px], { y }, { frozen: new Map(g.params.map((p) => [p.name, params.get(p.name)!])) });
  const out = (await s.run({ pixels })).y;
  await s.release();
  return out;
}

test("stemSkip 'concat': tokens [N, P, 2C]; the first C channels are the encoder without the skip, the last C the stem's tokens LayerNormed with their own γ, β", async () => {
  const cfg = skip({ depth: 2 });
  const probe = new Graph('names');
  const y = visionEncoder(probe, cfg, probe.input('pixels', [2, 3, 8, 8]));
  assert.deepEqual(y.shape, [2, 4, 2 * C]);
  assert.equal(encoderOutputWidth(cfg), 2 * C);
  assert.deepEqual(
    probe.params.filter((p) => p.name.includes('stem_skip')).map((p) => `${p.name} [${p.shape.join(', ')}]`),
    ['vision.stem_skip_norm.weight [8]', 'vision.stem_skip_norm.bias [8]'],
  );
  // O(1) random values for every parameter (norm weights around 1), so no half is trivially an identity.
  const params = randomParams(probe, 11);
  const pixels = pixelsOf(2, 8, 12);
  const both = (await run((g, px) => visionEncoder(g, cfg, px), pixels, params)).data as Float32Array;
  const blocks = (await run((g, px) => visionEncoder(g, { ...cfg, stemSkip: undefined }, px), pixels, params)).data as Float32Array;
  const stem = (await run((g, px) => g.scope('vision', () => convStem(g, cfg, px)), pixels, params)).data as Float32Array; // [N, C, G, G]
  const [gamma, beta] = ['weight', 'bias'].map((k) => params.get(`vision.stem_skip_norm.${k}`)!.data as Float32Array);
  const P = 4;
  let worst = { blocks: 0, stem: 0 };
  for (let n = 0; n < 2; n++)
    for (let p = 0; p < P; p++) {
      // The stem's token at patch p: channel c of the [N, C, G, G] map, LayerNormed over C here on the host.
      const x = Array.from({ length: C }, (_, c) => stem[(n * C + c) * P + p]);
      const mean = x.reduce((a, v) => a + v, 0) / C;
      const variance = x.reduce((a, v) => a + (v - mean) ** 2, 0) / C;
      for (let c = 0; c < C; c++) {
        const at = (n * P + p) * 2 * C;
        const want = ((x[c] - mean) / Math.sqrt(variance + cfg.layerNormEps)) * gamma[c] + beta[c];
        worst = {
          blocks: Math.max(worst.blocks, Math.abs(both[at + c] - blocks[(n * P + p) * C + c])),
          stem: Math.max(worst.stem, Math.abs(both[at + C + c] - want)),
        };
      }
    }
  assert.ok(worst.blocks < 1e-5, `blocks half differs from the encoder without the skip by ${worst.blocks}`);
  assert.ok(worst.stem < 1e-4, `stem half differs from the stem's tokens LayerNormed on the host by ${worst.stem}`);
});

test("stemSkip 'concat' gradients: every encoder parameter and the pixels against finite differences (plain blocks and LayerScale)", async () => {
  // eps 1e-3: small enough that no ReLU input of the stem crosses zero between the two evaluations (as vit.test.ts).
  const f32 = { dtype: 'float32' as const, paramStd: 0.3, eps: 1e-3 };
  await gradCheck([[2, 3, 8, 8]], ([px]) => visionEncoder(px.graph, skip(), px), f32);
  await gradCheck([[2, 3, 8, 8]], ([px]) => visionEncoder(px.graph, skip({ layerScale: 0.1, featureLayer: -2 }), px), f32);
});

for (const pool of ['max', 'attn'] as const)
  test(`stemSkip through the CLIP head, pool '${pool}': pooled [B, 2C], projection [2C, E], gradients of the contrastive loss against finite differences`, async () => {
    const B = 3;
    const net = buildClip(skip({ depth: 1 }), { B, L: 4, vocabSize: 10, embed: 6 }, { pool, temperature: 1 });
    assert.deepEqual(net.patchFeatures.shape, [B, 4, 2 * C]);
    assert.deepEqual(net.pooledFeature.shape, [B, 2 * C]);
    assert.deepEqual(net.g.params.find((p) => p.name === 'clip.image_proj.weight')!.shape, [2 * C, 6]);
    const rng = new Rng(4);
    const data: Record<string, HostTensor> = {
      pixels: pixelsOf(B, 8, 5),
      caption: { dtype: 'int64', shape: [B, 4], data: BigInt64Array.from({ length: B * 4 }, (_, i) => BigInt(1 + ((i * 7) % 9))) },
      caption_mask: { dtype: 'float32', shape: [B, 4], data: Float32Array.from({ length: B * 4 }, () => (rng.normal() > -1 ? 1 : 0)) },
    };
    // eps 3e-4: at 1e-3 a ReLU input of the stem crosses zero on this draw (max pool), at 1e-4 float32 rounding of the loss dominates.
    const analytic = await checkParamGrads(net.g, net.loss, data, randomParams(net.g, 6), { eps: 3e-4 });
    assert.ok(analytic.has('vision.stem_skip_norm.weight') && analytic.has('vision.stem.proj.weight'), [...analytic.keys()].join(', '));
  });

test('stemSkip through every connector kind: the connector reads 2C from the tokens and gives k tokens of the LLM width (16 px, 4×4 grid)', async () => {
  const cfg = skip({ imageSize: 16 });
  const grid = patchGrid(cfg);
  const kinds: ConnectorConfig[] = [
    { kind: 'avgpool', tokens: 4 },
    { kind: 'attnpool', tokens: 4, heads: 2 },
    { kind: 'cabstractor', tokens: 4 },
    { kind: 'pixelshuffle', tokens: 4 },
    { kind: 'mlp', tokens: grid * grid },
  ].map((c) => ConnectorConfigSchema.parse(c));
  for (const conn of kinds) {
    const g = new Graph('tower');
    const px = g.input('pixels', [2, 3, 16, 16]);
    const out = connect(g, conn, visionEncoder(g, cfg, px), grid, 10);
    // The connector's first weights take the 2C channels (C-Abstractor: its hidden width defaults to them).
    const first = g.params.find((p) => p.name.startsWith('connector.') && p.shape.length >= 2)!;
    assert.ok(
      first.shape.includes(2 * C) || first.shape.includes(2 * C * 4),
      `${conn.kind}: ${first.name} [${first.shape.join(', ')}] does not read 2C = ${2 * C}`,
    );
    const s = await CompiledGraph.create(g, [px], { out }, { frozen: randomParams(g, 3) });
    const y = (await s.run({ pixels: pixelsOf(2, 16, 7) })).out;
    await s.release();
    assert.deepEqual(y.shape, [2, conn.tokens, 10], conn.kind);
    assert.ok(Array.from(y.data as Float32Array).every(Number.isFinite), conn.kind);
  }
});

test('stemSkip at another resolution and with sub-images: adaptToResolution resizes the C-Abstractor table of width 2C, and the tower runs on every crop', async () => {
  const cfg = skip({ imageSize: 16 });
  const conn = ConnectorConfigSchema.parse({ kind: 'cabstractor', tokens: 4 });
  const tower = (size: number) => {
    const g = new Graph(`tower${size}`);
    const px = g.input('pixels', [5, 3, size, size]); // 5 crops: a 2×2 sub-image grid and the overview
    return { g, px, out: connect(g, conn, visionEncoder(g, cfg, px), patchGrid(cfg, size), 10) };
  };
  const trained = randomParams(tower(16).g, 8);
  assert.deepEqual(trained.get('connector.pos_emb')!.shape, [16, 2 * C]);
  const adapted = adaptToResolution(trained, cfg, 32);
  assert.deepEqual(adapted.get('connector.pos_emb')!.shape, [64, 2 * C]);
  assert.deepEqual(adapted.get('vision.position_embedding')!.shape, [64, C]); // the encoder's own table stays C wide
  const { g, px, out } = tower(32);
  const s = await CompiledGraph.create(g, [px], { out }, { frozen: adapted });
  const y = (await s.run({ pixels: pixelsOf(5, 32, 9) })).out;
  await s.release();
  assert.deepEqual(y.shape, [5, 4, 10]);
  assert.ok(Array.from(y.data as Float32Array).every(Number.isFinite));
});
