import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Graph } from '../../src/engine/graph.js';
import { CompiledGraph } from '../../src/engine/session.js';
import { initParams } from '../../src/engine/param_store.js';
import { Rng } from '../../src/engine/rng.js';
import type { HostTensor } from '../../src/engine/host_tensor.js';
import { ConnectorConfigSchema, VisionConfigSchema, type ConnectorConfig } from '../../src/model/build/config.js';
import { connect, connectorTokenCount } from '../../src/model/build/connectors/index.js';
import { adaptivePoolMatrix } from '../../src/model/build/connectors/grid.js';
import { pyRound } from '../../src/compat/python.js';
import { patchGrid, visionEncoder } from '../../src/model/build/vit.js';
import { gradCheck } from '../helpers/gradcheck.js';

const conn = (c: Partial<ConnectorConfig> & { kind: ConnectorConfig['kind']; tokens: number }) => ConnectorConfigSchema.parse(c);
const randomHost = (shape: number[], rng: Rng): HostTensor => ({
  dtype: 'float32',
  shape,
  data: Float32Array.from({ length: shape.reduce((p, d) => p * d, 1) }, () => rng.normal()),
});

// Conv and LayerNormalization have no float64 kernels in ONNX Runtime: float32 checks.
const f32 = { dtype: 'float32' as const, paramStd: 0.4 };
const check = (cfg: ConnectorConfig, grid: number, c = 6, d = 5, eps = 1e-2) =>
  gradCheck([[2, grid * grid, c]], ([f]) => connect(f.graph, cfg, f, grid, d), { ...f32, eps });

test('connector gradients: avgpool (even and overlapping windows), mlp, pixelshuffle', async () => {
  await check(conn({ kind: 'avgpool', tokens: 4 }), 4);
  await check(conn({ kind: 'avgpool', tokens: 9 }), 4);
  await check(conn({ kind: 'mlp', tokens: 9 }), 3);
  await check(conn({ kind: 'pixelshuffle', tokens: 4 }), 4);
});

test('connector gradients: attention pooling', async () => {
  await check(conn({ kind: 'attnpool', tokens: 3, hidden: 8, heads: 2 }), 3);
});

test('connector gradients: C-Abstractor (channel change with downsample; identity shortcut; depth 0)', async () => {
  // LayerNorm2d over few channels is strongly curved: a smaller step keeps the truncation error below tol.
  await check(conn({ kind: 'cabstractor', tokens: 4, depth: 1, hidden: 8 }), 4, 6, 5, 3e-3);
  await check(conn({ kind: 'cabstractor', tokens: 4, depth: 2 }), 4, 4, 5, 3e-3);
  await check(conn({ kind: 'cabstractor', tokens: 9, depth: 0 }), 4);
});

test('adaptive pooling matrix follows AdaptiveAvgPool2d windows (5 -> 3: rows {0,1}, {1,2,3}, {3,4})', () => {
  const m = adaptivePoolMatrix(5, 3);
  const row = (i: number, j: number) => Array.from(m.subarray((i * 3 + j) * 25, (i * 3 + j + 1) * 25));
  const cells = (r: number[], c: number[]) =>
    Array.from({ length: 25 }, (_, k) => (r.includes(Math.floor(k / 5)) && c.includes(k % 5) ? Math.fround(1 / (r.length * c.length)) : 0));
  assert.deepEqual(row(0, 0), cells([0, 1], [0, 1]));
  assert.deepEqual(row(1, 2), cells([1, 2, 3], [3, 4]));
  assert.deepEqual(row(2, 1), cells([3, 4], [1, 2, 3]));
  assert.deepEqual([pyRound(2.5, 0), pyRound(3.5, 0), pyRound(1.25, 0), pyRound(0.75, 0)], [2, 4, 1, 1]);
});

test('every connector gives exactly k tokens of the LLM width at 32, 64 and 96 px (patch 8)', async () => {
  const rng = new Rng(3);
  const cases: [ConnectorConfig, (grid: number) => number][] = [
    [conn({ kind: 'avgpool', tokens: 9 }), () => 9],
    [conn({ kind: 'attnpool', tokens: 9, heads: 2 }), () => 9],
    [conn({ kind: 'cabstractor', tokens: 9, depth: 1, hidden: 12 }), () => 9],
    [conn({ kind: 'pixelshuffle', tokens: 4 }), () => 4],
    [conn({ kind: 'mlp', tokens: 1 }), (grid) => grid * grid], // k = P: the test sets tokens per grid
  ];
  for (const size of [32, 64, 96]) {
    const vision = VisionConfigSchema.parse({ imageSize: size, patchSize: 8, width: 8, depth: 1, heads: 2, mlpHidden: 16 });
    const grid = patchGrid(vision);
    for (const [base, k] of cases) {
      const cfg = { ...base, tokens: k(grid) };
      const g = new Graph('pipeline');
      const pixels = g.input('pixels', [2, 3, size, size]);
      const out = connect(g, cfg, visionEncoder(g, vision, pixels), grid, 10);
      const run = await CompiledGraph.create(g, [pixels, ...g.params], { out }, { threads: 1 });
      const feeds: Record<string, HostTensor> = { pixels: randomHost([2, 3, size, size], rng), ...Object.fromEntries(initParams(g, 1)) };
      const y = (await run.run(feeds)).out;
      assert.deepEqual(y.shape, [2, k(grid), 10], `${cfg.kind} at ${size} px`);
      assert.equal(connectorTokenCount(cfg, grid), k(grid));
      assert.ok(Array.from(y.data as Float32Array).every(Number.isFinite));
      await run.release();
    }
  }
});

test('impossible token counts are refused naming k, the grid and the fix', () => {
  const f = (grid: number) => new Graph('e').input('f', [1, grid * grid, 4]);
  const err = (cfg: ConnectorConfig, grid: number, re: RegExp) => assert.throws(() => connect(f(grid).graph, cfg, f(grid), grid, 8), re);
  err(conn({ kind: 'avgpool', tokens: 8 }), 4, /'avgpool': tokens = 8 is not a perfect square.*use 4 or 9/);
  err(conn({ kind: 'cabstractor', tokens: 25 }), 4, /'cabstractor': tokens = 25 needs a 5×5 output, larger than the 4×4 patch grid.*tokens ≤ 16/);
  err(conn({ kind: 'pixelshuffle', tokens: 9 }), 4, /'pixelshuffle': tokens = 9 is not \(G\/r\)² for the 4×4 patch grid.*use one of 16, 4, 1/);
  err(conn({ kind: 'mlp', tokens: 15 }), 4, /'mlp'.*4×4 patch grid = 16, but tokens = 15; set tokens to 16/);
  err(conn({ kind: 'attnpool', tokens: 4, hidden: 6, heads: 4 }), 4, /hidden width 6 does not divide into 4 heads/);
  assert.throws(() => connect(f(4).graph, conn({ kind: 'avgpool', tokens: 4 }), f(4), 3, 8), /\[N, 9, C\] for a 3×3 patch grid/);
});

/** Run a connector on features [1, G², C] with the given parameter values; returns [k, D] rows. */
async function runConnector(
  cfg: ConnectorConfig,
  grid: number,
  c: number,
  d: number,
  feats: Float32Array,
  set: (p: Map<string, HostTensor>) => void = () => {},
) {
  const g = new Graph('conn');
  const x = g.input('feats', [1, grid * grid, c]);
  const out = connect(g, cfg, x, grid, d);
  const params = initParams(g, 5);
  set(params);
  const run = await CompiledGraph.create(g, [x, ...g.params], { out }, { threads: 1 });
  const y = (await run.run({ feats: { dtype: 'float32', shape: [1, grid * grid, c], data: feats }, ...Object.fromEntries(params) })).out;
  await run.release();
  return Array.from({ length: cfg.tokens }, (_, t) => Array.from((y.data as Float32Array).subarray(t * d, (t + 1) * d)));
}

/** Per-token size of the output change when patch (py, px) of an 8×8 grid is perturbed. */
async function tokenChange(cfg: ConnectorConfig, py: number, px: number): Promise<number[]> {
  const rng = new Rng(9);
  const c = 6;
  const base = Float32Array.from({ length: 64 * c }, () => rng.normal());
  const moved = Float32Array.from(base);
  for (let ch = 0; ch < c; ch++) moved[(py * 8 + px) * c + ch] += 3;
  const a = await runConnector(cfg, 8, c, 4, base);
  const b = await runConnector(cfg, 8, c, 4, moved);
  return a.map((row, t) => Math.hypot(...row.map((v, j) => v - b[t][j])));
}

test('the C-Abstractor keeps spatial layout: a top-left patch moves only top-left tokens', async () => {
  // depth 0 (pool + MLP): exactly the one token whose 2×2 window holds the patch changes.
  const flat = await tokenChange(conn({ kind: 'cabstractor', tokens: 16, depth: 0 }), 0, 1);
  assert.ok(flat[0] > 0);
  assert.deepEqual(flat.slice(1), new Array(15).fill(0));
  const corner = await tokenChange(conn({ kind: 'cabstractor', tokens: 16, depth: 0 }), 7, 6);
  assert.deepEqual(
    corner.map((v, i) => (v > 0 ? i : -1)).filter((i) => i >= 0),
    [15],
  );
  // depth 1: 3×3 convolutions spread the change a little and squeeze-excitation (a global
  // mean) leaks a trace everywhere, but the top-left token dominates.
  const deep = await tokenChange(conn({ kind: 'cabstractor', tokens: 16, depth: 1, hidden: 8 }), 0, 0);
  const farthest = Math.max(...[10, 11, 14, 15].map((t) => deep[t]));
  assert.ok(deep[0] === Math.max(...deep) && farthest < 0.1 * deep[0], `changes per token: ${deep.map((v) => v.toFixed(4))}`);
});

test('pixel shuffle folds r×r patch blocks into channels in nanoVLM order', async () => {
  // Identity projection: the output is the shuffled input itself. Grid 4, r = 2, C = 2.
  const feats = Float32Array.from({ length: 16 * 2 }, (_, i) => i);
  const eye = (n: number) => Float32Array.from({ length: n * n }, (_, i) => (i % (n + 1) === 0 ? 1 : 0));
  const rows = await runConnector(conn({ kind: 'pixelshuffle', tokens: 4 }), 4, 2, 8, feats, (p) =>
    p.set('connector.proj.weight', { dtype: 'float32', shape: [8, 8], data: eye(8) }),
  );
  // Token (1, 0) gathers patches (2,0), (2,1), (3,0), (3,1) = indices 8, 9, 12, 13, each with 2 channels.
  assert.deepEqual(rows[2], [16, 17, 18, 19, 24, 25, 26, 27]);
  assert.deepEqual(rows[1], [4, 5, 6, 7, 12, 13, 14, 15]);
});
