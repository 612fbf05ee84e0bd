import { test } from 'node:test';
import assert from 'node:assert/strict';
import { VisionConfigSchema, type VisionConfig } from '../../src/model/build/config.js';
import { blocksToRun, patchGrid, visionEncoder } from '../../src/model/build/vit.js';
import { convStemChannels } from '../../src/model/build/conv_stem.js';
import { hfVisionFamily } from '../../src/model/io/hf_clip.js';
import { bicubicMatrix, resizePositionTable } from '../../src/model/build/pos_interp.js';
import { gradCheck } from '../helpers/gradcheck.js';

const tiny = (over: Partial<VisionConfig> = {}): VisionConfig =>
  VisionConfigSchema.parse({ imageSize: 8, patchSize: 4, width: 8, depth: 2, heads: 2, mlpHidden: 16, ...over });

// Conv, LayerNormalization and Erf have no float64 kernels in ONNX Runtime: float32 checks.
const f32 = { dtype: 'float32' as const, paramStd: 0.3 };

test('ViT gradients: CLIP layout (class token, pre-LN, post-LN, exact GELU, patch bias)', async () => {
  const cfg = tiny({ classToken: true, preNorm: true, postNorm: true, activation: 'gelu', patchBias: true });
  await gradCheck([[2, 3, 8, 8]], ([px]) => visionEncoder(px.graph, cfg, px), f32);
});

test('ViT gradients: no class token, quick GELU, features of the penultimate block', async () => {
  const cfg = tiny({ activation: 'quick_gelu', postNorm: false, depth: 3, featureLayer: -2 });
  await gradCheck([[1, 3, 8, 8]], ([px]) => visionEncoder(px.graph, cfg, px), f32);
});

test('ViT gradients: convolutional stem (patch 4: two 3×3 stride-2 convolutions, channel LayerNorm, ReLU, 1×1 projection)', async () => {
  const cfg = tiny({ stem: 'conv', imageSize: 8, patchSize: 4 });
  // eps 1e-3: small enough that no ReLU input of this draw crosses zero between the two evaluations.
  await gradCheck([[2, 3, 8, 8]], ([px]) => visionEncoder(px.graph, cfg, px), { ...f32, eps: 1e-3 });
});

test('ViT gradients: LayerScale on both branches of every block, under a convolutional stem', async () => {
  const cfg = tiny({ stem: 'conv', layerScale: 0.1 });
  // The γ are parameters of the graph, so gradCheck draws them (std 0.3) and checks their gradients too.
  await gradCheck([[2, 3, 8, 8]], ([px]) => visionEncoder(px.graph, cfg, px), { ...f32, eps: 1e-3 });
});

test('LayerScale: a γ [C] per branch starting at the given value; at a tiny value the blocks are nearly the identity; an HF export is refused', async () => {
  const { Graph } = await import('../../src/engine/graph.js');
  const { CompiledGraph } = await import('../../src/engine/session.js');
  const { initParams } = await import('../../src/engine/param_store.js');
  const features = async (cfg: VisionConfig, pixels: Float32Array) => {
    const g = new Graph('vit');
    const px = g.input('pixels', [1, 3, 8, 8]);
    const y = visionEncoder(g, cfg, px);
    const params = initParams(g, 5);
    const s = await CompiledGraph.create(g, [px], { y }, { frozen: params });
    const out = (await s.run({ pixels: { dtype: 'float32', shape: [1, 3, 8, 8], data: pixels } })).y.data as Float32Array;
    await s.release();
    return { out, params };
  };
  const pixels = Float32Array.from({ length: 192 }, (_, i) => Math.sin(i * 0.7));
  const noBlocks = await features(tiny({ postNorm: false, featureLayer: 0 }), pixels);
  const tinyScale = await features(tiny({ postNorm: false, layerScale: 1e-6 }), pixels);
  const plain = await features(tiny({ postNorm: false }), pixels);
  assert.deepEqual([...tinyScale.params.get('vision.layers.1.layer_scale2')!.data], Array(8).fill(Math.fround(1e-6)));
  assert.equal([...plain.params.keys()].filter((k) => k.includes('layer_scale')).length, 0, 'absent: no γ, the graph of every saved model');
  const gap = (a: Float32Array, b: Float32Array) => Math.max(...a.map((v, i) => Math.abs(v - b[i])));
  // Same seed, same embeddings: γ = 1e-6 scales what the two blocks add by about 1e-6 of what plain blocks add.
  const [moved, movedPlain] = [gap(tinyScale.out, noBlocks.out), gap(plain.out, noBlocks.out)];
  assert.ok(movedPlain > 1e-3, `plain blocks moved the features by only ${movedPlain}`);
  assert.ok(moved < movedPlain * 1e-4, `γ 1e-6: blocks moved the features by ${moved}, plain blocks by ${movedPlain}`);
  assert.throws(() => hfVisionFamily(tiny({ layerScale: 0.1, classToken: true, preNorm: true }), 'export'), /layerScale 0.1/);
});

test('conv stem: channels double up to the width, parameters replace the patch embedding; an HF export, a patch that is not a power of two and a width that does not halve are refused', async () => {
  const { Graph } = await import('../../src/engine/graph.js');
  assert.deepEqual(convStemChannels({ patchSize: 8, width: 64 }), [16, 32, 64]);
  assert.deepEqual(convStemChannels({ patchSize: 4, width: 64 }), [32, 64]);
  const g = new Graph('vit');
  const y = visionEncoder(g, tiny({ stem: 'conv', imageSize: 16 }), g.input('pixels', [2, 3, 16, 16]));
  assert.deepEqual(y.shape, [2, 16, 8]); // 4×4 patches of width 8, as with the patch embedding
  const stem = g.params.filter((p) => p.name.startsWith('vision.stem.')).map((p) => `${p.name} [${p.shape.join(', ')}]`);
  assert.deepEqual(stem, [
    'vision.stem.blocks.0.conv.weight [4, 3, 3, 3]',
    'vision.stem.blocks.0.norm.weight [4]',
    'vision.stem.blocks.0.norm.bias [4]',
    'vision.stem.blocks.1.conv.weight [8, 4, 3, 3]',
    'vision.stem.blocks.1.norm.weight [8]',
    'vision.stem.blocks.1.norm.bias [8]',
    'vision.stem.proj.weight [8, 8, 1, 1]',
    'vision.stem.proj.bias [8]',
  ]);
  assert.ok(!g.params.some((p) => p.name.startsWith('vision.patch_embedding')));
  assert.throws(() => hfVisionFamily(tiny({ stem: 'conv', classToken: true, preNorm: true }), 'export'), /export: .*convolutional stem \(stem 'conv'\)/);
  assert.throws(() => convStemChannels({ patchSize: 6, width: 64 }), /power of two.*got 6/);
  assert.throws(() => convStemChannels({ patchSize: 8, width: 30 }), /width 30.*divisible by 4/);
});

test('ViT output shape, parameter names and featureLayer semantics', async () => {
  const { Graph } = await import('../../src/engine/graph.js');
  const g = new Graph('vit');
  const cfg = tiny({ imageSize: 16, classToken: true, preNorm: true, depth: 3, featureLayer: -2 });
  const y = visionEncoder(g, cfg, g.input('pixels', [2, 3, 16, 16]));
  assert.deepEqual(y.shape, [2, 16, 8]); // 4×4 patches, class token dropped
  const names = g.params.map((p) => p.name);
  assert.ok(names.includes('vision.layers.1.self_attn.out_proj.weight'));
  assert.ok(!names.some((n) => n.startsWith('vision.layers.2.')), 'blocks after the feature layer are not built');
  assert.deepEqual(g.params.find((p) => p.name === 'vision.position_embedding')!.shape, [17, 8]);
  assert.equal(blocksToRun({ ...cfg, featureLayer: 0 }), 0);
  assert.equal(blocksToRun({ ...cfg, featureLayer: -1 }), 3);
  assert.throws(() => blocksToRun({ ...cfg, featureLayer: -5 }), /featureLayer -5 is outside \[-4, 3\]/);
  assert.throws(() => patchGrid(cfg, 18), /18 px is not a multiple of the patch size 4.*e\.g\. 20/);
  assert.throws(() => visionEncoder(new Graph('x'), cfg, new Graph('x').input('p', [1, 3, 16, 12])), /square RGB/);
});

// Hand-derived weights of torch bicubic (a = -0.75, align_corners=False). With
// near(x) = (1.25x - 2.25)x² + 1 and far(x) = ((-0.75x + 3.75)x - 6)x + 3:
// near(0.25) = 0.87890625, near(0.75) = 0.26171875, far(1.25) = -0.10546875, far(1.75) = -0.03515625.
// 2 -> 4: sources -0.25, 0.25, 0.75, 1.25 (taps beyond the edge fold onto it).
const UP_2_TO_4 = [
  [1.10546875, -0.10546875], // -0.03515625 + 0.26171875 + 0.87890625 on index 0
  [0.7734375, 0.2265625],
  [0.2265625, 0.7734375],
  [-0.10546875, 1.10546875],
];
// 3 -> 2: sources 0.25 and 1.75.
const DOWN_3_TO_2 = [
  [0.7734375, 0.26171875, -0.03515625],
  [-0.03515625, 0.26171875, 0.7734375],
];

test('bicubic weights match hand-computed torch values', () => {
  assert.deepEqual(Array.from(bicubicMatrix(2, 4)), UP_2_TO_4.flat());
  assert.deepEqual(Array.from(bicubicMatrix(3, 2)), DOWN_3_TO_2.flat());
  assert.deepEqual(
    Array.from(bicubicMatrix(5, 5)),
    Array.from({ length: 25 }, (_, i) => (i % 6 === 0 ? 1 : 0)),
  );
});

test('position table resize: class row kept, grid resized bicubically, exact identity at the same size', () => {
  // Class row [9, -9], then a 2×2 grid: channel 0 is v = 1 + x + 2y, channel 1 is 10·(x - y).
  const table = { dtype: 'float32' as const, shape: [5, 2], data: Float32Array.from([9, -9, 1, 0, 2, 10, 3, -10, 4, 0]) };
  const up = resizePositionTable(table, 1, 4);
  assert.deepEqual(up.shape, [17, 2]);
  const at = (y: number, x: number, ch: number) => up.data[(1 + y * 4 + x) * 2 + ch];
  assert.deepEqual([up.data[0], up.data[1]], [9, -9]);
  // By hand: out = 1 + Σ wx·x + 2 Σ wy·y with the weight rows above.
  assert.equal(at(0, 0, 0), 1 - 0.10546875 - 2 * 0.10546875); // 0.68359375
  assert.equal(at(1, 2, 0), 1 + 0.7734375 + 2 * 0.2265625); // 2.2265625
  assert.equal(at(3, 3, 0), 1 + 1.10546875 + 2 * 1.10546875); // 4.31640625
  assert.equal(at(0, 3, 1), 10 * (1.10546875 + 0.10546875)); // x → 1.105…, y → -0.105…
  // Same size: every bit is reproduced.
  const big = { dtype: 'float32' as const, shape: [1 + 36, 3], data: Float32Array.from({ length: 111 }, (_, i) => Math.sin(i * 1.7) * 1e3 + 1e-7 * i) };
  assert.deepEqual(resizePositionTable(big, 1, 6).data, big.data);
  assert.throws(
    () => resizePositionTable({ dtype: 'float32', shape: [6, 2], data: new Float32Array(12) }, 0, 3, 'vision.position_embedding'),
    /vision.position_embedding: expected \[0 \+ G², C\]/,
  );
});
